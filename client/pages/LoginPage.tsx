import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useAccount } from '../account';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';

/** Where to go after signing in: the page that asked for it, if it is one of ours. */
function nextPath(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const { t } = useI18n();
  const { state, signIn } = useAccount();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (state.status === 'signed-in') navigate(nextPath());
  }, [state.status]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (e) {
      setError((e as Error).message);
      setPassword('');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="login">
      <form className="login__card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <h1 id="login-title" ref={heading} className="login__title">
          {t('login.title')}
        </h1>
        <p className="login__intro">{t('login.intro')}</p>
        <div className="field">
          <label htmlFor="login-username">{t('login.username')}</label>
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            // biome-ignore lint/a11y/noAutofocus: the sign-in page has one thing to do
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'login-error' : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t('login.password')}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'login-error' : undefined}
          />
        </div>
        {error && (
          <p id="login-error" className="notice notice--error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary login__submit" disabled={submitting}>
          {submitting ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}
