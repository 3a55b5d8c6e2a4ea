/**
 * The completeness checklist (lead and clerk) and, for the clerk, the release:
 * the Vorlagen-Nr. and "Freigeben". Errors block the release, warnings do not;
 * each item says which it is in words and by a mark, not by colour alone.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { Dialog } from '../components/Dialog';
import { useI18n } from '../i18n/i18n';
import { workflowApi, type Completeness, type CompletenessItem, type Release } from './workflow-api';

export function ReleaseDialog({
  open,
  onClose,
  onReleased,
  dossierId,
  referenceNumber,
  referenceExample,
  mayRelease,
  revision,
}: {
  open: boolean;
  onClose: () => void;
  onReleased: () => void;
  dossierId: string;
  referenceNumber: string | null;
  /** The template's example Vorlagen-Nr., shown as the form to follow. */
  referenceExample: string;
  mayRelease: boolean;
  /** Changes whenever the workflow changed: the checklist is asked again. */
  revision: number;
}) {
  const { t } = useI18n();
  const id = useId();
  const [completeness, setCompleteness] = useState<Completeness | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [number, setNumber] = useState(referenceNumber ?? '');
  const [refused, setRefused] = useState<{ message: string; reasons: string[] } | null>(null);
  const [released, setReleased] = useState<Release | null>(null);
  const [submitting, setSubmitting] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new revision is a reason to check again
  useEffect(() => {
    if (!open) return;
    let current = true;
    workflowApi.completeness(dossierId).then(
      (answer) => {
        if (!current) return;
        setCompleteness(answer);
        setLoadError(null);
      },
      (e: Error) => {
        if (current) setLoadError(e.message);
      },
    );
    return () => {
      current = false;
    };
  }, [open, dossierId, revision]);

  // each opening starts afresh, with the Vorlagen-Nr. the dossier has by then (a revision keeps it)
  useEffect(() => {
    if (!open) return;
    setReleased(null);
    setRefused(null);
  }, [open]);
  useEffect(() => setNumber(referenceNumber ?? ''), [referenceNumber]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setRefused(null);
    try {
      setReleased(await workflowApi.release(dossierId, number.trim() || undefined));
      onReleased();
    } catch (e) {
      const reasons = e instanceof ApiError ? e.body?.reasons : undefined;
      setRefused({ message: (e as Error).message, reasons: Array.isArray(reasons) ? reasons.map(String) : [] });
    } finally {
      setSubmitting(false);
    }
  };

  const errors = completeness?.items.filter((item) => !item.ok && item.severity === 'error') ?? [];

  return (
    <Dialog title={mayRelease || released ? t('workflow.release.title') : t('workflow.release.checklistTitle')} open={open} onClose={onClose}>
      <div className="release">
        {loadError && (
          <p className="notice notice--error" role="alert">
            {t('app.error', { message: loadError })}
          </p>
        )}
        {!completeness && !loadError && <p>{t('app.loading')}</p>}
        {completeness && !released && (
          <>
            <p className={`release__summary release__summary--${completeness.ready ? 'ready' : 'blocked'}`}>
              {completeness.ready ? t('workflow.release.ready') : t('workflow.release.notReady')}
            </p>
            <ul className="checklist" aria-label={t('workflow.release.checklist')}>
              {checklistOrder(completeness.items).map((item) => (
                <ChecklistItem key={item.id} item={item} />
              ))}
            </ul>
          </>
        )}
        {released ? (
          <div className="notice notice--success" role="status">
            <p>{t('workflow.release.done', { version: released.version, number: released.referenceNumber })}</p>
            <p className="release__hash">
              <abbr title="SHA-256">SHA-256</abbr>: <code>{released.sha256}</code>
            </p>
          </div>
        ) : (
          mayRelease &&
          completeness && (
            <form onSubmit={submit} noValidate className="release__form">
              <div className="field">
                <label htmlFor={`${id}-number`}>{t('workflow.release.referenceNumber')}</label>
                <input
                  id={`${id}-number`}
                  value={number}
                  maxLength={40}
                  placeholder={referenceExample}
                  aria-describedby={`${id}-number-hint`}
                  onChange={(e) => setNumber(e.target.value)}
                />
                <p id={`${id}-number-hint`} className="field__hint">
                  {t('workflow.release.referenceNumberHint')}
                </p>
              </div>
              {refused && (
                <div className="notice notice--error" role="alert">
                  <p>{refused.message}</p>
                  {refused.reasons.length > 0 && (
                    <ul>
                      {refused.reasons.map((reason) => (
                        <li key={reason}>{reason}</li>
                      ))}
                    </ul>
                  )}
                </div>
              )}
              {errors.length > 0 && (
                <p id={`${id}-blocked`} className="field__hint">
                  {t('workflow.release.blockedHint')}
                </p>
              )}
              <div className="dialog__actions">
                <button type="button" className="button button--secondary" onClick={onClose}>
                  {t('workflow.cancel')}
                </button>
                <button
                  type="submit"
                  className="button button--primary"
                  disabled={submitting || errors.length > 0}
                  aria-describedby={errors.length > 0 ? `${id}-blocked` : undefined}
                >
                  {submitting ? t('workflow.release.submitting') : t('workflow.release.submit')}
                </button>
              </div>
            </form>
          )
        )}
        {(released || !mayRelease) && (
          <div className="dialog__actions">
            <button type="button" className="button button--secondary" onClick={onClose}>
              {t('workflow.close')}
            </button>
          </div>
        )}
      </div>
    </Dialog>
  );
}

/** What blocks the release first, then the warnings, then what is met; otherwise in the server's order. */
function checklistOrder(items: CompletenessItem[]): CompletenessItem[] {
  const rank = (item: CompletenessItem) => (item.ok ? 2 : item.severity === 'error' ? 0 : 1);
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .map(({ item }) => item);
}

function ChecklistItem({ item }: { item: CompletenessItem }) {
  const { t } = useI18n();
  const kind = item.ok ? 'ok' : item.severity;
  return (
    <li className={`checklist__item checklist__item--${kind}`}>
      <span className="checklist__mark" aria-hidden="true">
        {item.ok ? '✓' : item.severity === 'error' ? '✗' : '!'}
      </span>
      <span className="checklist__label">
        {item.ok ? t('workflow.release.item.ok') : item.severity === 'error' ? t('workflow.release.item.error') : t('workflow.release.item.warning')}
      </span>
      <span className="checklist__message">{item.message}</span>
    </li>
  );
}
