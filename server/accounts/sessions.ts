/**
 * Sessions: an opaque random token in an HttpOnly cookie; the database keeps
 * only its SHA-256, the user and the CSRF token that state-changing requests
 * must echo in `X-CSRF-Token`.
 *
 * A session ends at logout, after its absolute lifetime, after being idle for
 * too long, or when its user's password changes or the user is disabled.
 * Whoever holds live connections listens through `onEnded`, so that ending a
 * session also ends what was opened with it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../dossier/policy';
import type { PublicUser } from '../../dossier/rest';
import type { DepartmentRecord, SessionRecord, Storage, UserRecord } from '../storage/storage';

export const SESSION_COOKIE = 'rd_session';

export interface SignedIn {
  session: SessionRecord;
  user: UserRecord;
  department: DepartmentRecord;
  actor: Actor;
}

/** Which session ended (logout, expiry). Changes to a user end their sessions in storage; connections follow through the user refresh. */
export interface SessionsEnded {
  tokenHash: string;
}

/** Use of a session is written at most this often (or a quarter of the idle limit): the database need not hear of every keystroke. */
const TOUCH_INTERVAL_MS = 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * What names a session to the other server processes (a `session-ended` cluster event): a hash of
 * the stored token hash, so what travels through Redis is neither the token nor the key it is stored under.
 */
export const sessionIdOf = (tokenHash: string) => createHash('sha256').update(`session:${tokenHash}`).digest('base64url');

export function actorOf(user: UserRecord, department: DepartmentRecord): Actor {
  return { id: user.id, departmentId: department.id, departmentFunction: department.function, roles: user.roles };
}

/** The user as the API shows it: never the password hash. */
export function publicUser(user: UserRecord, department: DepartmentRecord | undefined): PublicUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    department: department ? { id: department.id, name: department.name, shortName: department.shortName, function: department.function } : null,
    roles: user.roles,
    disabled: user.disabled,
  };
}

export class Sessions {
  private readonly listeners = new Set<(ended: SessionsEnded) => void>();

  constructor(
    private readonly storage: Storage,
    private readonly limits: { ttlMs: number; idleMs: number },
  ) {}

  async create(userId: string, now = new Date()): Promise<{ token: string; session: SessionRecord }> {
    const token = randomBytes(32).toString('base64url');
    const session: SessionRecord = {
      tokenHash: hashToken(token),
      userId,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.limits.ttlMs).toISOString(),
      lastSeenAt: now.toISOString(),
    };
    await this.storage.accounts.createSession(session);
    return { token, session };
  }

  /**
   * The signed-in user of a session token, or undefined if it is unknown,
   * expired, idle or the user disabled. The session counts as used unless the
   * request is a page's own background refresh.
   */
  async resolve(token: string | undefined, options: { use: boolean } = { use: true }): Promise<SignedIn | undefined> {
    if (!token || token.length > 100) return undefined;
    const signedIn = await this.resolveHash(hashToken(token));
    if (signedIn && options.use) await this.touch(signedIn.session);
    return signedIn;
  }

  /** Like `resolve`, by the stored hash (for connections opened with the session), without counting as use. */
  async resolveHash(tokenHash: string, now = new Date()): Promise<SignedIn | undefined> {
    const session = await this.storage.accounts.getSession(tokenHash);
    if (!session) return undefined;
    if (this.expired(session, now)) {
      await this.storage.accounts.deleteSession(session.tokenHash);
      this.ended({ tokenHash: session.tokenHash });
      return undefined;
    }
    const user = await this.storage.accounts.getUser(session.userId);
    const department = user && (await this.storage.accounts.getDepartment(user.departmentId));
    if (!user || user.disabled || !department) return undefined;
    return { session, user, department, actor: actorOf(user, department) };
  }

  expired(session: SessionRecord, now = new Date()): boolean {
    return session.expiresAt <= now.toISOString() || Date.parse(session.lastSeenAt) + this.limits.idleMs <= now.getTime();
  }

  /** Records that the session was used (a request, an edit): it is not idle. */
  async touch(session: SessionRecord, now = new Date()): Promise<void> {
    if (now.getTime() - Date.parse(session.lastSeenAt) < Math.min(TOUCH_INTERVAL_MS, this.limits.idleMs / 4)) return;
    session.lastSeenAt = now.toISOString();
    await this.storage.accounts.touchSession(session.tokenHash, session.lastSeenAt);
  }

  async destroy(token: string | undefined): Promise<void> {
    if (!token) return;
    const tokenHash = hashToken(token);
    await this.storage.accounts.deleteSession(tokenHash);
    this.ended({ tokenHash });
  }

  onEnded(listener: (ended: SessionsEnded) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private ended(ended: SessionsEnded): void {
    for (const listener of this.listeners) listener(ended);
  }
}

/** Reads one cookie from a Cookie header. */
export function cookieValue(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
