/**
 * "Mitzeichnen": what the department signs (the covered sections), its
 * decision, and the content hashes of what this page shows. When the server's
 * content differs (409) the dialog names the changed sections and stays open;
 * signing again then binds the signature to the content now on screen.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { SectionComparison } from '../../dossier/compare';
import { signatureDecisions, type SignatureDecision } from '../../dossier/content';
import { coveredSections } from '../../dossier/signatures';
import type { Template } from '../../dossier/template';
import { ApiError } from '../api';
import type { CollabSession } from '../collab/session';
import { Dialog } from '../components/Dialog';
import { useI18n } from '../i18n/i18n';
import { ChangeReport } from './ChangeReport';
import { liveContents } from './content-hashes';
import { workflowApi, type SignatureState } from './workflow-api';

export function SignDialog({
  open,
  onClose,
  onSigned,
  dossierId,
  template,
  session,
  row,
  departmentFunction,
}: {
  open: boolean;
  onClose: () => void;
  onSigned: () => void;
  dossierId: string;
  template: Template;
  session: CollabSession;
  row: SignatureState;
  /** The signatory's department function: a template may narrow what it signs (the finance office). */
  departmentFunction: string;
}) {
  const { t, formatDateTime } = useI18n();
  const id = useId();
  const [decision, setDecision] = useState<SignatureDecision>('agree');
  const [remark, setRemark] = useState('');
  const [remarkMissing, setRemarkMissing] = useState(false);
  const [stale, setStale] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  // what the department signs, as the template says, in template order
  const coveredIds = new Set(coveredSections(template, departmentFunction));
  const covered = template.sections.filter((section) => coveredIds.has(section.id));
  const titleOf = (sectionId: string) => template.sections.find((section) => section.id === sectionId)?.title ?? sectionId;
  const needsRemark = decision !== 'agree';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (needsRemark && remark.trim() === '') {
      setRemarkMissing(true);
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const { hashes } = await liveContents(
        session,
        template,
        covered.map((section) => section.id),
      );
      await workflowApi.sign(dossierId, { contentHashes: hashes, decision, ...(needsRemark ? { remark: remark.trim() } : {}) });
      setStale([]);
      setRemark('');
      setDecision('agree');
      onSigned();
    } catch (e) {
      const changed = e instanceof ApiError && e.status === 409 ? e.body?.changedSections : undefined;
      if (Array.isArray(changed)) setStale(changed.filter((value): value is string => typeof value === 'string'));
      else setError((e as Error).message);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog title={t('workflow.sign.title', { department: row.departmentName })} open={open} onClose={onClose}>
      <form onSubmit={submit} noValidate className="sign-form">
        {row.state === 'invalid' && (
          <div className="notice notice--warning">
            <p>{t('workflow.sign.invalidated', { date: row.signedAt ? formatDateTime(row.signedAt) : '' })}</p>
            <ul className="sign-form__changed">
              {row.changedSections.map((sectionId) => (
                <li key={sectionId}>{titleOf(sectionId)}</li>
              ))}
            </ul>
          </div>
        )}
        {row.state === 'invalid' && <ChangesSinceSigned dossierId={dossierId} row={row} />}
        <div>
          <p id={`${id}-covers`}>{t('workflow.sign.covers')}</p>
          <ul className="sign-form__sections" aria-labelledby={`${id}-covers`}>
            {covered.map((section) => (
              <li key={section.id}>{section.title}</li>
            ))}
          </ul>
        </div>
        <fieldset className="sign-form__decision">
          <legend>{t('workflow.sign.decision')}</legend>
          {signatureDecisions.map((value) => (
            <label key={value} className="radio">
              <input
                type="radio"
                name={`${id}-decision`}
                value={value}
                checked={decision === value}
                onChange={() => {
                  setDecision(value);
                  setRemarkMissing(false);
                }}
              />
              {t(`workflow.sign.decision.${value}`)}
            </label>
          ))}
        </fieldset>
        {needsRemark && (
          <div className="field">
            <label htmlFor={`${id}-remark`}>{decision === 'object' ? t('workflow.sign.reason') : t('workflow.sign.remark')}</label>
            <textarea
              id={`${id}-remark`}
              rows={3}
              maxLength={2000}
              value={remark}
              aria-invalid={remarkMissing ? true : undefined}
              aria-describedby={remarkMissing ? `${id}-remark-error` : undefined}
              onChange={(e) => {
                setRemark(e.target.value);
                setRemarkMissing(false);
              }}
            />
            {remarkMissing && (
              <p id={`${id}-remark-error`} className="field__error" role="alert">
                {decision === 'object' ? t('workflow.sign.reasonMissing') : t('workflow.sign.remarkMissing')}
              </p>
            )}
          </div>
        )}
        {stale.length > 0 && (
          <div className="notice notice--error" role="alert">
            <p>{t('workflow.sign.stale')}</p>
            <ul className="sign-form__changed">
              {stale.map((sectionId) => (
                <li key={sectionId}>{titleOf(sectionId)}</li>
              ))}
            </ul>
          </div>
        )}
        {error && (
          <p className="notice notice--error" role="alert">
            {t('app.error', { message: error })}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('workflow.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={submitting}>
            {submitting ? t('workflow.sign.submitting') : t('workflow.sign.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Word by word what changed in the voided signature's sections since the department signed them (the server keeps what was signed). */
function ChangesSinceSigned({ dossierId, row }: { dossierId: string; row: SignatureState }) {
  const { t } = useI18n();
  const [changes, setChanges] = useState<SectionComparison[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const changedKey = row.changedSections.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new list of changed sections is a reason to ask again
  useEffect(() => {
    let current = true;
    workflowApi.changes(dossierId, row.departmentId).then(
      (answer) => current && setChanges(answer),
      (e: Error) => current && setFailed(e.message),
    );
    return () => {
      current = false;
    };
  }, [dossierId, row.departmentId, changedKey]);
  if (failed) return <p className="field__hint">{failed}</p>;
  if (!changes) return <p className="field__hint">{t('workflow.sign.loadingChanges')}</p>;
  return (
    <section className="sign-form__report" aria-label={t('workflow.sign.changes')}>
      <ChangeReport sections={changes} />
    </section>
  );
}
