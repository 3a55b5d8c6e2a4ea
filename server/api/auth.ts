/**
 * Login contract: `POST /api/auth/login {username, password}` sets the session
 * cookie; `GET /api/auth/me` returns the user and the CSRF token that every
 * state-changing request sends as `X-CSRF-Token`; `POST /api/auth/logout`.
 * Without a valid session every other /api route answers 401.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { LoginThrottle } from '../accounts/login-throttle';
import { unmatchableHash, verifyPassword } from '../accounts/passwords';
import { cookieValue, publicUser, SESSION_COOKIE, type Sessions, type SignedIn } from '../accounts/sessions';
import { canExportFinal } from '../../dossier/policy';
import type { Storage } from '../storage/storage';
import { HttpError, parseBody } from './errors';
import { assertVisible } from './dossiers';
import type { ExportPermission } from './export';

const loginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) });

export function signedIn(res: Response): SignedIn {
  const value = res.locals.signedIn as SignedIn | undefined;
  if (!value) throw new HttpError(401, 'Bitte anmelden.');
  return value;
}

const sessionToken = (req: Request) => cookieValue(req.headers.cookie, SESSION_COOKIE);

export function requireSession(sessions: Sessions): RequestHandler {
  return async (req, res, next) => {
    const session = await sessions.resolve(sessionToken(req));
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
    const address = req.ip ?? 'unknown';
    const wait = deps.throttle.retryAfter(username, address);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      throw new HttpError(429, `Zu viele fehlgeschlagene Anmeldungen. Bitte in ${Math.ceil(wait / 60)} Minute(n) erneut versuchen.`);
    }
    const user = await deps.storage.getUserByUsername(username);
    // compare against a dummy hash for unknown users, so the answer time does not tell who exists
    const valid = await verifyPassword(password, user?.passwordHash ?? unmatchableHash);
    const department = user && (await deps.storage.getDepartment(user.departmentId));
    const at = new Date().toISOString();
    if (!user || !valid || user.disabled || !department) {
      deps.throttle.fail(username, address);
      await deps.storage.appendAudit({ at, userId: user?.id ?? null, action: 'login.failed', dossierId: null, sectionId: null, detail: username.slice(0, 100) });
      throw new HttpError(401, 'Benutzername oder Passwort ist falsch.');
    }
    deps.throttle.succeed(username);
    const { token, session } = await deps.sessions.create(user.id);
    await deps.storage.appendAudit({ at, userId: user.id, action: 'login', dossierId: null, sectionId: null, detail: null });
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: deps.sessionTtlMs,
    });
    res.json({ user: publicUser(user, department), csrfToken: session.csrfToken });
  };
}

/** Routes for a signed-in user: who am I, log out. */
export function sessionRouter(sessions: Sessions): Router {
  const router = Router();
  router.get('/me', (_req, res) => {
    const { user, department, session } = signedIn(res);
    res.json({ user: publicUser(user, department), csrfToken: session.csrfToken });
  });
  router.post('/logout', async (req, res) => {
    await sessions.destroy(sessionToken(req));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });
  return router;
}

/** Whoever may read a dossier may export its draft; the final (archival) file is the clerks' business. */
export const exportPermission: ExportPermission = (req, dossier, mode) => {
  const { actor } = signedIn(req.res!);
  assertVisible(actor, dossier, dossier.id);
  if (mode === 'final' && !canExportFinal(actor)) throw new HttpError(403, 'Die endgültige Fassung exportiert der Sitzungsdienst.');
};
