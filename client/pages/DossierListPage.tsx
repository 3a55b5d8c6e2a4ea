/** The overview: every dossier with status, last change and who is editing it now; a table, or cards on narrow screens. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { canCreateDossier } from '../../dossier/policy';
import { dossierStatuses } from '../../dossier/status';
import { useAccount, actorOf } from '../account';
import type { DossierSummary } from '../../dossier/rest';
import { api, type DossierStatus } from '../api';
import { Avatar } from '../components/Avatar';
import { StatusBadge } from '../components/StatusBadge';
import { Icon } from '../components/Icon';
import { useI18n } from '../i18n/i18n';
import { LIST_AS_CARDS, useMediaQuery } from '../reading-layout';
import { dossierPath, Link } from '../router';
import { NewDossierDialog } from './NewDossierDialog';
import { SearchPassages } from '../search/SearchPassages';
import { useTextSearch } from '../search/use-text-search';

const statuses: readonly DossierStatus[] = dossierStatuses;
/** Presence changes while the list is open; it is refreshed this often and when the tab regains focus. */
const REFRESH_MS = 15_000;

export function DossierListPage() {
  const { t, formatDateTime } = useI18n();
  const [dossiers, setDossiers] = useState<DossierSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<DossierStatus | ''>('');
  const [creating, setCreating] = useState(false);
  const { state } = useAccount();
  const mayCreate = state.status === 'signed-in' && canCreateDossier(actorOf(state.user));
  const cards = useMediaQuery(LIST_AS_CARDS);

  const load = useCallback((background = false) => {
    api.dossiers(background).then(
      (list) => {
        setDossiers(list);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, []);

  useEffect(() => {
    document.title = `${t('list.title')} – ${t('app.name')}`;
  }, [t]);

  useEffect(() => {
    const refresh = () => load();
    refresh();
    const timer = setInterval(() => load(true), REFRESH_MS);
    addEventListener('focus', refresh);
    return () => {
      clearInterval(timer);
      removeEventListener('focus', refresh);
    };
  }, [load]);

  const textSearch = useTextSearch(query);
  const textResults = textSearch.state === 'done' ? textSearch.results : undefined;
  const visible = useMemo(() => {
    const needle = query.trim().toLocaleLowerCase('de');
    // a Vorlage matches by its subject, template or number here, or by its text on the server
    const matches = (d: DossierSummary) =>
      !needle || textResults?.has(d.id) || [d.title, d.templateName, d.referenceNumber ?? ''].some((text) => text.toLocaleLowerCase('de').includes(needle));
    return (dossiers ?? [])
      .filter((d) => !status || d.status === status)
      .filter(matches)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }, [dossiers, query, status, textResults]);

  return (
    <div className="page page--list">
      <div className="page__head">
        <div>
          <h1>{t('list.title')}</h1>
          <p className="page__intro">{t('list.intro')}</p>
        </div>
        {mayCreate && (
          <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
            <Icon name="plus" /> {t('list.new')}
          </button>
        )}
      </div>

      <div className="filters" role="search">
        <div className="field field--inline">
          <label htmlFor="dossier-search">{t('list.search')}</label>
          <input id="dossier-search" type="search" value={query} placeholder={t('list.searchPlaceholder')} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="field field--inline">
          <label htmlFor="dossier-status">{t('list.statusFilter')}</label>
          <select id="dossier-status" value={status} onChange={(e) => setStatus(e.target.value as DossierStatus | '')}>
            <option value="">{t('list.allStatuses')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        {dossiers && (
          <p className="filters__count" aria-live="polite">
            {t('list.count', { count: visible.length, total: dossiers.length })}
            {textSearch.state === 'searching' && <span className="muted"> · {t('search.searching')}</span>}
            {textSearch.state === 'failed' && <span className="notice--error"> · {t('search.failed', { message: textSearch.message })}</span>}
          </p>
        )}
      </div>

      {error && (
        <div className="notice notice--error" role="alert">
          {t('app.error', { message: error })}{' '}
          <button type="button" className="button button--link" onClick={() => load()}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {!dossiers && !error && <p className="page-status">{t('app.loading')}</p>}
      {dossiers && dossiers.length === 0 && <p className="empty">{t('list.empty')}</p>}
      {dossiers && dossiers.length > 0 && visible.length === 0 && <p className="empty">{t('list.noMatch')}</p>}
      {visible.length > 0 && cards && (
        <ul className="dossier-cards" aria-label={t('list.title')}>
          {visible.map((d) => (
            <li key={d.id} className="dossier-card">
              <h2 className="dossier-card__title">
                <Link href={dossierPath(d.id)}>{d.title}</Link>
              </h2>
              <p className="dossier-card__line">
                <StatusBadge status={d.status} /> <span className="dossier-card__reference">{d.referenceNumber ?? t('list.noReference')}</span>
              </p>
              <dl className="dossier-card__facts">
                <div>
                  <dt>{t('list.col.template')}</dt>
                  <dd>{d.templateName}</dd>
                </div>
                <div>
                  <dt>{t('list.col.updated')}</dt>
                  <dd>
                    <time dateTime={d.updatedAt}>{formatDateTime(d.updatedAt)}</time>
                  </dd>
                </div>
                {d.editors.length > 0 && (
                  <div>
                    <dt>{t('list.col.editors')}</dt>
                    <dd>
                      <Editors editors={d.editors} />
                    </dd>
                  </div>
                )}
              </dl>
            </li>
          ))}
        </ul>
      )}
      {visible.length > 0 && !cards && (
        <table className="dossier-table">
          <thead>
            <tr>
              <th scope="col">{t('list.col.title')}</th>
              <th scope="col">{t('list.col.template')}</th>
              <th scope="col">{t('list.col.status')}</th>
              <th scope="col">{t('list.col.updated')}</th>
              <th scope="col">{t('list.col.editors')}</th>
            </tr>
          </thead>
          <tbody>
            {visible.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link href={dossierPath(d.id)} className="dossier-table__title">
                    {d.title}
                  </Link>
                  <span className="dossier-table__reference">{d.referenceNumber ?? t('list.noReference')}</span>
                  {textResults?.get(d.id) && <SearchPassages result={textResults.get(d.id)!} />}
                </td>
                <td>{d.templateName}</td>
                <td>
                  <StatusBadge status={d.status} />
                </td>
                <td>
                  <time dateTime={d.updatedAt}>{formatDateTime(d.updatedAt)}</time>
                </td>
                <td>
                  {d.editors.length === 0 ? (
                    <>
                      <span className="muted" aria-hidden="true">
                        —
                      </span>
                      <span className="visually-hidden">{t('list.nobody')}</span>
                    </>
                  ) : (
                    <Editors editors={d.editors} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewDossierDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function Editors({ editors }: { editors: DossierSummary['editors'] }) {
  return (
    <ul className="editor-list">
      {editors.map((editor) => (
        <li key={editor.id}>
          <Avatar name={editor.name} color={editor.color} />
          <span>{editor.name}</span>
        </li>
      ))}
    </ul>
  );
}
