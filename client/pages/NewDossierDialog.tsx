/** "Neue Vorlage": choose a template, enter the subject; the server seeds every section. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Template } from '../../dossier/template';
import { api } from '../api';
import { Dialog } from '../components/Dialog';
import { useI18n } from '../i18n/i18n';
import { dossierPath, navigate } from '../router';

export function NewDossierDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [templateId, setTemplateId] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [titleError, setTitleError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const titleField = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!open || templates) return;
    api.templates().then(
      (list) => {
        setTemplates(list);
        setTemplateId((current) => current || list[0]?.id || '');
      },
      (e: Error) => setError(e.message),
    );
  }, [open, templates]);

  const chosen = templates?.find((template) => template.id === templateId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (title.trim().length < 3) {
      setTitleError(t('create.subjectTooShort'));
      titleField.current?.focus();
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const dossier = await api.createDossier({ templateId, title: title.trim() });
      onClose();
      setTitle('');
      navigate(dossierPath(dossier.id));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog title={t('create.title')} open={open} onClose={onClose}>
      <form onSubmit={submit} noValidate className="create-form">
        {templates && templates.length === 0 && <p className="notice notice--error">{t('create.noTemplates')}</p>}
        <div className="field">
          <label htmlFor="create-template">{t('create.template')}</label>
          <select
            id="create-template"
            value={templateId}
            onChange={(e) => setTemplateId(e.target.value)}
            aria-describedby="create-template-hint"
            disabled={!templates}
          >
            {templates?.map((template) => (
              <option key={template.id} value={template.id}>
                {template.name}
              </option>
            ))}
          </select>
          <p id="create-template-hint" className="field__hint">
            {chosen?.description ?? t('create.templateHint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor="create-title">{t('create.subject')}</label>
          <textarea
            id="create-title"
            ref={titleField}
            rows={2}
            value={title}
            maxLength={300}
            autoFocus
            placeholder={t('create.subjectPlaceholder')}
            aria-invalid={titleError ? true : undefined}
            aria-describedby={titleError ? 'create-title-error' : undefined}
            onChange={(e) => {
              setTitle(e.target.value);
              setTitleError(null);
            }}
          />
          {titleError && (
            <p id="create-title-error" className="field__error" role="alert">
              {titleError}
            </p>
          )}
        </div>
        {error && (
          <p className="notice notice--error" role="alert">
            {t('app.error', { message: error })}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('create.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={submitting || !templateId}>
            {submitting ? t('create.submitting') : t('create.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
