/**
 * The application frame: language, account, header and the page for the
 * current address. Every page but the login needs a signed-in user. The
 * dossier page (with the whole editor stack) is loaded only when a dossier is
 * opened, so the list appears quickly.
 */
import { lazy, Suspense, useEffect } from 'react';
import { AccountProvider, useAccount } from './account';
import { LOGIN_PATH, leavingForLogin } from './api';
import { Avatar } from './components/Avatar';
import { I18nProvider, locales, useI18n, type Locale } from './i18n/i18n';
import { DossierListPage } from './pages/DossierListPage';
import { canReadAudit } from '../dossier/policy';
import { actorOf } from './account';
import { AuditPage } from './pages/AuditPage';
import { LoginPage } from './pages/LoginPage';
import { Link, navigate, useRoute } from './router';

const DossierPage = lazy(() => import('./pages/DossierPage'));

export function App() {
  return (
    <I18nProvider>
      <AccountProvider>
        <Shell />
      </AccountProvider>
    </I18nProvider>
  );
}

function Shell() {
  const { t, locale, setLocale } = useI18n();
  const route = useRoute();
  const { state, signOut } = useAccount();

  useEffect(() => {
    if (state.status === 'signed-out' && route.page !== 'login' && !leavingForLogin()) {
      navigate(`${LOGIN_PATH}?next=${encodeURIComponent(location.pathname + location.search)}`);
    }
  }, [state.status, route.page]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <Link href="/" className="app-header__brand">
          <span className="app-header__mark" aria-hidden="true">
            R
          </span>
          <span>
            <span className="app-header__name">{t('app.name')}</span>
            <span className="app-header__tagline">{t('app.tagline')}</span>
          </span>
        </Link>
        <div className="app-header__tools">
          {state.status === 'signed-in' && canReadAudit(actorOf(state.user)) && (
            <Link href="/protokoll" className="app-header__link">
              {t('audit.title')}
            </Link>
          )}
          {state.status === 'signed-in' && (
            <>
              <span className="user-chip" title={t('account.signedInAs', { name: state.user.displayName, department: state.user.department?.name ?? '' })}>
                <Avatar name={state.identity.name} color={state.identity.color} />
                <span className="user-chip__text">
                  <span className="user-chip__name">{state.user.displayName}</span>
                  <span className="user-chip__department">{state.user.department?.name}</span>
                </span>
              </span>
              <button type="button" className="button button--secondary button--small" onClick={() => void signOut().then(() => navigate(LOGIN_PATH))}>
                {t('account.signOut')}
              </button>
            </>
          )}
          <label className="locale-select">
            <span className="visually-hidden">{t('app.language')}</span>
            <select value={locale} onChange={(event) => setLocale(event.target.value as Locale)}>
              {Object.entries(locales).map(([value, { label }]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'login' && <LoginPage />}
        {route.page !== 'login' && state.status === 'loading' && <p className="page-status">{t('app.loading')}</p>}
        {route.page !== 'login' && state.status === 'error' && (
          <p className="page-status notice notice--error" role="alert">
            {t('app.error', { message: state.message })}
          </p>
        )}
        {state.status === 'signed-in' && (
          <>
            {route.page === 'list' && <DossierListPage />}
            {route.page === 'audit' && <AuditPage />}
            {route.page === 'dossier' && (
              <Suspense fallback={<p className="page-status">{t('app.loading')}</p>}>
                <DossierPage key={`${route.id}:${state.user.id}`} dossierId={route.id} identity={state.identity} />
              </Suspense>
            )}
            {route.page === 'notFound' && (
              <div className="page-status">
                <h1>{t('app.notFound')}</h1>
                <Link href="/">{t('app.toList')}</Link>
              </div>
            )}
          </>
        )}
      </main>
    </>
  );
}
