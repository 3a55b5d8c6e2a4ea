/** The audit log for clerks and admins: logins, failed logins, new dossiers, who connected, who changed which section. */
import { useEffect, useState } from 'react';
import type { AuditLogEntry } from '../../dossier/rest';
import { api } from '../api';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { dossierPath, Link } from '../router';

const actionKeys: Record<string, MessageKey> = {
  login: 'audit.action.login',
  'login.failed': 'audit.action.loginFailed',
  'password.changed': 'audit.action.passwordChanged',
  'dossier.created': 'audit.action.dossierCreated',
  'dossier.connected': 'audit.action.dossierConnected',
  'section.changed': 'audit.action.sectionChanged',
  'section.restored': 'audit.action.sectionRestored',
};

export function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const [entries, setEntries] = useState<AuditLogEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${t('audit.title')} – ${t('app.name')}`;
    api.audit().then(setEntries, (e: Error) => setError(e.message));
  }, [t]);

  return (
    <div className="page page--list">
      <div className="page__head">
        <div>
          <h1>{t('audit.title')}</h1>
          <p className="page__intro">{t('audit.intro')}</p>
        </div>
      </div>
      {error && (
        <p className="notice notice--error" role="alert">
          {t('app.error', { message: error })}
        </p>
      )}
      {entries && (
        <div className="table-scroll" role="region" aria-label={t('audit.title')} tabIndex={0}>
          <table className="data-table audit-table">
            <caption className="visually-hidden">{t('audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.col.at')}</th>
                <th scope="col">{t('audit.col.user')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('audit.col.dossier')}</th>
                <th scope="col">{t('audit.col.section')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.length === 0 && (
                <tr>
                  <td colSpan={5}>{t('audit.empty')}</td>
                </tr>
              )}
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.at)}</td>
                  <td>{entry.username ?? entry.detail ?? '–'}</td>
                  <td>{actionKeys[entry.action] ? t(actionKeys[entry.action]!) : entry.action}</td>
                  <td>{entry.dossierId ? <Link href={dossierPath(entry.dossierId)}>{entry.dossierTitle ?? entry.dossierId}</Link> : '–'}</td>
                  <td>{entry.sectionId ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
