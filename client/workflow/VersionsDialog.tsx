/**
 * The released versions: who released which, when, its Vorlagen-Nr. and the
 * SHA-256 of its PDF, the stored PDF to download, and a comparison between two
 * versions or a version and the current draft (the Änderungsnachweis).
 */
import { useId, useState, type FormEvent } from 'react';
import type { SectionComparison } from '../../dossier/compare';
import { Dialog } from '../components/Dialog';
import { useI18n } from '../i18n/i18n';
import { ChangeReport } from './ChangeReport';
import { VersionPdfButton } from './VersionPdfButton';
import { workflowApi, type VersionEntry } from './workflow-api';

type Target = number | 'current';

export function VersionsDialog({ open, onClose, dossierId, versions }: { open: boolean; onClose: () => void; dossierId: string; versions: VersionEntry[] }) {
  const { t, formatDateTime } = useI18n();
  const id = useId();
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  const [from, setFrom] = useState<number>(sorted[0]?.version ?? 1);
  const [to, setTo] = useState<Target>('current');
  const [comparison, setComparison] = useState<{ from: number; to: Target; sections: SectionComparison[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comparing, setComparing] = useState(false);

  const compare = async (fromVersion: number, toTarget: Target) => {
    setFrom(fromVersion);
    setTo(toTarget);
    setComparing(true);
    setError(null);
    try {
      setComparison({ from: fromVersion, to: toTarget, sections: await workflowApi.compare(dossierId, fromVersion, toTarget) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setComparing(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void compare(from, to);
  };
  const targetLabel = (target: Target) => (target === 'current' ? t('workflow.versions.current') : t('workflow.versions.version', { version: target }));

  return (
    <Dialog title={t('workflow.versions.title')} open={open} onClose={onClose}>
      <div className="versions">
        <div className="table-scroll" role="region" aria-label={t('workflow.versions.title')} tabIndex={0}>
          <table className="data-table versions__table">
            <thead>
              <tr>
                <th scope="col">{t('workflow.versions.col.version')}</th>
                <th scope="col">{t('workflow.versions.col.referenceNumber')}</th>
                <th scope="col">{t('workflow.versions.col.releasedBy')}</th>
                <th scope="col">{t('workflow.versions.col.releasedAt')}</th>
                <th scope="col">{t('workflow.versions.col.sha256')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('workflow.versions.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((entry) => (
                <tr key={entry.version}>
                  <td>{entry.version}</td>
                  <td>{entry.referenceNumber}</td>
                  <td>{entry.releasedBy}</td>
                  <td>{formatDateTime(entry.releasedAt)}</td>
                  <td>
                    <code className="versions__hash">{entry.sha256}</code>
                  </td>
                  <td>
                    <div className="versions__actions">
                      <VersionPdfButton dossierId={dossierId} version={entry} label={t('workflow.versions.pdf', { version: entry.version })} showHash={false} />
                      <button type="button" className="button button--secondary button--small" onClick={() => void compare(entry.version, 'current')}>
                        {t('workflow.versions.compareWithCurrent', { version: entry.version })}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form className="versions__compare" onSubmit={submit}>
          <div className="field">
            <label htmlFor={`${id}-from`}>{t('workflow.versions.from')}</label>
            <select id={`${id}-from`} value={from} onChange={(e) => setFrom(Number(e.target.value))}>
              {sorted.map((entry) => (
                <option key={entry.version} value={entry.version}>
                  {targetLabel(entry.version)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>{t('workflow.versions.to')}</label>
            <select id={`${id}-to`} value={String(to)} onChange={(e) => setTo(e.target.value === 'current' ? 'current' : Number(e.target.value))}>
              <option value="current">{targetLabel('current')}</option>
              {sorted.map((entry) => (
                <option key={entry.version} value={entry.version}>
                  {targetLabel(entry.version)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button--primary button--small" disabled={comparing}>
            {t('workflow.versions.compare')}
          </button>
        </form>
        {error && (
          <p className="notice notice--error" role="alert">
            {t('app.error', { message: error })}
          </p>
        )}
        {comparison && (
          <section
            className="versions__result"
            aria-label={t('workflow.versions.result', { from: targetLabel(comparison.from), to: targetLabel(comparison.to) })}
          >
            <h3>{t('workflow.versions.result', { from: targetLabel(comparison.from), to: targetLabel(comparison.to) })}</h3>
            <ChangeReport sections={comparison.sections} headingLevel={4} />
          </section>
        )}
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('workflow.close')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
