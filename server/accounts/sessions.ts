/**
 * Sessions: an opaque random token in an HttpOnly cookie; the database keeps
 * only its SHA-256, the user and the CSRF token that state-changing requests
 * must echo in `X-CSRF-Token`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../dossier/policy';
import type { DepartmentRecord, SessionRecord, Storage, UserRecord } from '../storage/storage';

export const SESSION_COOKIE = 'rd_session';

export interface SignedIn {
  session: SessionRecord;
  user: UserRecord;
  department: DepartmentRecord;
  actor: Actor;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export function actorOf(user: UserRecord, department: DepartmentRecord): Actor {
  return { id: user.id, departmentId: department.id, departmentFunction: department.function, roles: user.roles };
}

/** The user as the API shows it: never the password hash. */
export function publicUser(user: UserRecord, department: DepartmentRecord | undefined) {
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
  constructor(
    private readonly storage: Storage,
    private readonly ttlMs: number,
  ) {}

  async create(userId: string, now = new Date()): Promise<{ token: string; session: SessionRecord }> {
    const token = randomBytes(32).toString('base64url');
    const session: SessionRecord = {
      tokenHash: hashToken(token),
      userId,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlMs).toISOString(),
    };
    await this.storage.createSession(session);
    return { token, session };
  }

  /** The signed-in user of a session token, or undefined if the token is unknown, expired or the user disabled. */
  async resolve(token: string | undefined): Promise<SignedIn | undefined> {
    if (!token || token.length > 100) return undefined;
    const session = await this.storage.getSession(hashToken(token));
    if (!session) return undefined;
    if (session.expiresAt <= new Date().toISOString()) {
      await this.storage.deleteSession(session.tokenHash);
      return undefined;
    }
    const user = await this.storage.getUser(session.userId);
    const department = user && (await this.storage.getDepartment(user.departmentId));
    if (!user || user.disabled || !department) return undefined;
    return { session, user, department, actor: actorOf(user, department) };
  }

  async destroy(token: string | undefined): Promise<void> {
    if (token) await this.storage.deleteSession(hashToken(token));
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
