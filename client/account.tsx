/**
 * The signed-in user: asked of the server once (`GET /api/auth/me`), kept
 * for the page's life, and the source of the CSRF token every state-changing
 * request sends. Signing in and out go through here.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Actor } from '../dossier/policy';
import type { PublicUser } from '../dossier/rest';
import { api, ApiError, confirmSession, setCsrfTokenSource } from './api';
import { identityOf, type Identity } from './identity';

type AccountState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: PublicUser; identity: Identity }
  | { status: 'error'; message: string };

interface Account {
  state: AccountState;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const AccountContext = createContext<Account | null>(null);

let csrfToken: string | undefined;
setCsrfTokenSource(() => csrfToken);

export function AccountProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AccountState>({ status: 'loading' });

  const signedIn = useCallback((user: PublicUser, token: string) => {
    csrfToken = token;
    setState({ status: 'signed-in', user, identity: identityOf(user) });
  }, []);

  useEffect(() => {
    api.me().then(
      ({ user, csrfToken: token }) => signedIn(user, token),
      (error: Error) => setState(error instanceof ApiError && error.status === 401 ? { status: 'signed-out' } : { status: 'error', message: error.message }),
    );
  }, [signedIn]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const { user, csrfToken: token } = await api.login(username, password);
      signedIn(user, token);
    },
    [signedIn],
  );

  const signOut = useCallback(async () => {
    await api.logout();
    csrfToken = undefined;
    // Nothing of theirs stays on a shared PC. (A copy of edits never sent, from a
    // dossier closed while offline and not opened since, goes with it.)
    // (Loaded here, not up front: it brings Yjs, which the first page does without.)
    if (state.status === 'signed-in')
      await import('./collab/local-copy').then(({ forgetLocalCopies }) => forgetLocalCopies(state.user.id)).catch(() => undefined);
    setState({ status: 'signed-out' });
  }, [state]);

  useEffect(() => {
    if (state.status !== 'signed-in') return;
    return reportActivity();
  }, [state.status]);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <AccountContext.Provider value={value}>{children}</AccountContext.Provider>;
}

/** Reading and clicking without edits still counts as use of the session: at most every few minutes, the server hears of it. */
const ACTIVITY_INTERVAL_MS = 5 * 60_000;
function reportActivity(): () => void {
  let last = Date.now();
  const active = () => {
    if (Date.now() - last < ACTIVITY_INTERVAL_MS) return;
    last = Date.now();
    void confirmSession();
  };
  const events = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
  for (const event of events) addEventListener(event, active, { passive: true });
  return () => {
    for (const event of events) removeEventListener(event, active);
  };
}

export function useAccount(): Account {
  const account = useContext(AccountContext);
  if (!account) throw new Error('useAccount outside AccountProvider');
  return account;
}

/** The user as the shared policy sees them; the browser uses it only to show what the server will allow. */
export function actorOf(user: PublicUser): Actor {
  return { id: user.id, departmentId: user.department?.id ?? '', departmentFunction: user.department?.function ?? '', roles: user.roles };
}
