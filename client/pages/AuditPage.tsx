/**
 * The audit log for clerks and admins, one sentence per entry ("Sabine Huber
 * hat Finanzielle Auswirkungen geändert"): logins, failed logins, new
 * dossiers, who connected, who changed which section, the workflow's steps.
 */
import { useEffect, useState } from 'react';
import type { AuditLogEntry } from '../../dossier/rest';
import { api } from '../api';
import { useI18n } from '../i18n/i18n';
import type { Translate } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { dossierPath, Link } from '../router';

/** The sentence for each action; `{user}`, `{section}`, `{department}`, `{detail}` are filled in. */
const sentences: Record<string, MessageKey> = {
  login: 'audit.sentence.login',
  'login.failed': 'audit.sentence.loginFailed',
  'password.changed': 'audit.sentence.passwordChanged',
  'dossier.created': 'audit.sentence.dossierCreated',
  'dossier.connected': 'audit.sentence.dossierConnected',
  'section.changed': 'audit.sentence.sectionChanged',
  'signature.invalidated': 'audit.sentence.signatureInvalidated',
  'section.restored': 'audit.sentence.sectionRestored',
};

/** Status changes (`detail`: `from→to`). */
const transitions: Record<string, MessageKey> = {
  'draft→cosigning': 'audit.sentence.cosigningStarted',
  'cosigning→draft': 'audit.sentence.backToDraft',
  'cosigning→released': 'audit.sentence.released',
  'released→draft': 'audit.sentence.revision',
};

/** Signatures (`detail`: the decision). */
const decisions: Record<string, MessageKey> = {
  agree: 'audit.sentence.signed',
  'agree-with-remarks': 'audit.sentence.signedWithRemarks',
  object: 'audit.sentence.objected',
};

function sentence(t: Translate, entry: AuditLogEntry): string {
  const user = entry.userDisplayName ?? entry.username ?? t('audit.someone');
  const detail = entry.detail ?? '';
  const key = entry.action === 'dossier.status' ? transitions[detail] : entry.action === 'signature.given' ? decisions[detail] : sentences[entry.action];
  if (!key) return t('audit.sentence.other', { user, action: entry.action });
  return t(key, {
    user,
    section: entry.sectionTitle ?? entry.sectionId ?? '',
    sections: entry.sectionTitles?.join(', ') ?? detail,
    department: entry.departmentName ?? '',
    detail,
  });
}

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
                <th scope="col">{t('audit.col.event')}</th>
                <th scope="col">{t('audit.col.dossier')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.length === 0 && (
                <tr>
                  <td colSpan={3}>{t('audit.empty')}</td>
                </tr>
              )}
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.at)}</td>
                  <td>{sentence(t, entry)}</td>
                  <td>{entry.dossierId ? <Link href={dossierPath(entry.dossierId)}>{entry.dossierTitle ?? entry.dossierId}</Link> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
