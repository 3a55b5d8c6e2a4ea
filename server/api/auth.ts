/**
 * Login contract: `POST /api/auth/login {username, password}` sets the session
 * cookie; `GET /api/auth/me` returns the user and the CSRF token that every
 * state-changing request sends as `X-CSRF-Token`; `POST /api/auth/logout`;
 * `POST /api/auth/password {currentPassword, newPassword}` changes one's own password.
 * Without a valid session every other /api route answers 401.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { LoginThrottled, type LoginThrottle } from '../accounts/login-throttle';
import { unmatchableHash, verifyPassword } from '../accounts/passwords';
import { sessionCookie } from '../accounts/session-cookie';
import { BACKGROUND_REFRESH_HEADER } from '../../dossier/http';
import { cookieValue, publicUser, type Sessions, type SignedIn } from '../accounts/sessions';
import { changeUser, UserInputError } from '../accounts/users';
import type { SessionAnswer } from '../../dossier/rest';
import type { Storage } from '../storage/storage';
import { HttpError, parseBody } from './errors';
import { signedIn } from './guards';

const loginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) });

/** The cookie as configured by the app's "trust proxy" setting (TRUST_PROXY). */
const cookieOf = (req: Request) => sessionCookie(req.app.get('trust proxy') as boolean | number | string);
const sessionToken = (req: Request) => cookieValue(req.headers.cookie, cookieOf(req).name);

/** Starts a session: the cookie and the body that login and a password change answer with. */
async function startSession(req: Request, res: Response, deps: { sessions: Sessions; sessionTtlMs: number }, signed: Pick<SignedIn, 'user' | 'department'>) {
  const { token, session } = await deps.sessions.create(signed.user.id);
  const { name, secure } = cookieOf(req);
  res.cookie(name, token, { httpOnly: true, sameSite: 'lax', secure: secure || req.secure, path: '/', maxAge: deps.sessionTtlMs });
  res.json({ user: publicUser(signed.user, signed.department), csrfToken: session.csrfToken } satisfies SessionAnswer);
}

/** Runs a password check through the login throttle; a refusal is a 429 with Retry-After. */
async function throttled(req: Request, res: Response, throttle: LoginThrottle, username: string, verify: () => Promise<boolean>): Promise<boolean> {
  return throttle.attempt(username, req.ip ?? 'unknown', verify).catch((error: unknown) => {
    if (!(error instanceof LoginThrottled)) throw error;
    res.set('Retry-After', String(error.retryAfterSeconds));
    throw new HttpError(429, error.message);
  });
}

export function requireSession(sessions: Sessions): RequestHandler {
  return async (req, res, next) => {
    // A list refreshing itself on a timer is no sign that anyone is at work: it must not keep an idle session alive.
    const session = await sessions.resolve(sessionToken(req), { use: req.get(BACKGROUND_REFRESH_HEADER) !== '1' });
    if (!session) throw new HttpError(401, 'Bitte anmelden.');
    res.locals.signedIn = session;
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const requireCsrfToken: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const expected = Buffer.from(signedIn(res).session.csrfToken);
  const sent = Buffer.from(req.get('x-csrf-token') ?? '');
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw new HttpError(403, 'Sicherheitstoken (X-CSRF-Token) fehlt oder ist ungültig. Bitte die Seite neu laden.');
  }
  next();
};

export function loginRoute(deps: { storage: Storage; sessions: Sessions; throttle: LoginThrottle; sessionTtlMs: number }): RequestHandler {
  return async (req, res) => {
    const { username, password } = parseBody(loginBody, req.body);
    const user = await deps.storage.accounts.getUserByUsername(username);
    const department = user && (await deps.storage.accounts.getDepartment(user.departmentId));
    // compare against a dummy hash for unknown users, so the answer time does not tell who exists
    const verified = await throttled(
      req,
      res,
      deps.throttle,
      username,
      async () => (await verifyPassword(password, user?.passwordHash ?? unmatchableHash)) && !!user && !user.disabled && !!department,
    );
    const at = new Date().toISOString();
    if (!verified || !user || !department) {
      await deps.storage.audit.append({
        at,
        userId: user?.id ?? null,
        action: 'login.failed',
        dossierId: null,
        sectionId: null,
        detail: username.slice(0, 100),
      });
      throw new HttpError(401, 'Benutzername oder Passwort ist falsch.');
    }
    await deps.storage.audit.append({ at, userId: user.id, action: 'login', dossierId: null, sectionId: null, detail: null });
    await startSession(req, res, deps, { user, department });
  };
}

const passwordChangeBody = z.object({ currentPassword: z.string().min(1).max(1000), newPassword: z.string().max(1000) });

/** Routes for a signed-in user: who am I, log out, change my password. */
export function sessionRouter(deps: {
  storage: Storage;
  sessions: Sessions;
  throttle: LoginThrottle;
  sessionTtlMs: number;
  /** The password change ended the user's sessions: their sockets on every process close. */
  onUserChanged: (userId: string) => Promise<void>;
}): Router {
  const router = Router();
  router.get('/me', (_req, res) => {
    const { user, department, session } = signedIn(res);
    res.json({ user: publicUser(user, department), csrfToken: session.csrfToken } satisfies SessionAnswer);
  });
  router.post('/logout', async (req, res) => {
    await deps.sessions.destroy(sessionToken(req));
    // a browser ignores a __Host- cookie without Secure, also when it clears one
    const { name, secure } = cookieOf(req);
    res.clearCookie(name, { path: '/', secure });
    res.status(204).end();
  });
  // changeUser ends every session of the user; this browser gets a new one.
  router.post('/password', async (req, res) => {
    const { currentPassword, newPassword } = parseBody(passwordChangeBody, req.body);
    const { user, department } = signedIn(res);
    if (!(await throttled(req, res, deps.throttle, user.username, () => verifyPassword(currentPassword, user.passwordHash)))) {
      throw new HttpError(403, 'Das bisherige Passwort ist falsch.');
    }
    const changed = await changeUser(deps.storage, user, { password: newPassword }).catch((error: unknown) => {
      throw error instanceof UserInputError ? new HttpError(error.status, error.message) : error;
    });
    await deps.onUserChanged(user.id);
    await deps.storage.audit.append({
      at: new Date().toISOString(),
      userId: user.id,
      action: 'password.changed',
      dossierId: null,
      sectionId: null,
      detail: null,
    });
    await startSession(req, res, deps, { user: changed, department });
  });
  return router;
}
