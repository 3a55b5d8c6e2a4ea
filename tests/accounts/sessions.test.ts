/** Sessions against a real SQLite storage: creation, expiry, idling, use, logout and the cookie they travel in. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionCookie } from '../../server/accounts/session-cookie';
import { SESSION_COOKIE, Sessions, cookieValue, hashToken, publicUser, type SessionsEnded } from '../../server/accounts/sessions';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { DepartmentRecord, Storage, UserRecord } from '../../server/storage/storage';
import { tempDataDir } from '../support/server';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const department: DepartmentRecord = { id: 'sc', name: 'Smart City', shortName: 'SC', function: 'smart-city' };
const anna: UserRecord = {
  id: 'u-anna',
  username: 'anna',
  displayName: 'Anna Autorin',
  departmentId: 'sc',
  roles: ['author'],
  passwordHash: 'scrypt$geheim',
  disabled: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

let storage: Storage;
let removeDir: () => void;

beforeEach(async () => {
  const data = tempDataDir();
  removeDir = data.remove;
  storage = openSqliteStorage(join(data.dir, 'ratsdossier.sqlite'));
  await storage.accounts.saveDepartment(department);
  await storage.accounts.createUser(anna);
});

afterEach(async () => {
  await storage.close();
  removeDir();
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * MINUTE);

describe('sessions', () => {
  it('store only the hash of a random token, with a CSRF token, the lifetime and the first use', async () => {
    const sessions = new Sessions(storage, { ttlMs: 8 * HOUR, idleMs: HOUR });
    const now = new Date('2026-03-01T08:00:00.000Z');
    const { token, session } = await sessions.create(anna.id, now);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(session.tokenHash).toBe(hashToken(token));
    expect(session.tokenHash).not.toContain(token);
    expect(Buffer.from(session.csrfToken, 'base64url')).toHaveLength(24);
    expect(await storage.accounts.getSession(hashToken(token))).toEqual({
      tokenHash: hashToken(token),
      userId: anna.id,
      csrfToken: session.csrfToken,
      createdAt: '2026-03-01T08:00:00.000Z',
      expiresAt: '2026-03-01T16:00:00.000Z',
      lastSeenAt: '2026-03-01T08:00:00.000Z',
    });
    const other = await sessions.create(anna.id, now);
    expect(other.token).not.toBe(token);
    expect(other.session.csrfToken).not.toBe(session.csrfToken);
  });

  it('hash tokens with SHA-256', () => {
    expect(hashToken('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('resolve a token to the signed-in user, department and actor', async () => {
    const sessions = new Sessions(storage, { ttlMs: HOUR, idleMs: HOUR });
    const { token } = await sessions.create(anna.id);
    const signedIn = await sessions.resolve(token);
    expect(signedIn?.user).toEqual(anna);
    expect(signedIn?.department).toEqual(department);
    expect(signedIn?.session.tokenHash).toBe(hashToken(token));
    expect(signedIn?.actor).toEqual({ id: 'u-anna', departmentId: 'sc', departmentFunction: 'smart-city', roles: ['author'] });
    expect(await sessions.resolveHash(hashToken(token))).toMatchObject({ user: anna });
  });

  it('resolve nothing for no token, an unknown one or one longer than 100 characters', async () => {
    const sessions = new Sessions(storage, { ttlMs: HOUR, idleMs: HOUR });
    expect(await sessions.resolve(undefined)).toBeUndefined();
    expect(await sessions.resolve('')).toBeUndefined();
    expect(await sessions.resolve('unbekannt')).toBeUndefined();
    // sessions whose tokens are 100 and 101 characters long: only the first is looked up
    for (const length of [100, 101]) {
      const now = new Date().toISOString();
      await storage.accounts.createSession({
        tokenHash: hashToken('t'.repeat(length)),
        userId: anna.id,
        csrfToken: 'c',
        createdAt: now,
        expiresAt: new Date(Date.now() + HOUR).toISOString(),
        lastSeenAt: now,
      });
    }
    expect(await sessions.resolve('t'.repeat(100))).toMatchObject({ user: anna });
    expect(await sessions.resolve('t'.repeat(101))).toBeUndefined();
  });

  it('resolve nothing once the user is disabled', async () => {
    const sessions = new Sessions(storage, { ttlMs: HOUR, idleMs: HOUR });
    const { token } = await sessions.create(anna.id);
    await storage.accounts.updateUser({ ...anna, disabled: true });
    expect(await sessions.resolve(token)).toBeUndefined();
    await storage.accounts.updateUser({ ...anna, disabled: false });
    expect(await sessions.resolve(token)).toMatchObject({ user: { id: anna.id, disabled: false } });
  });

  it('end at the end of their lifetime, are deleted and tell the listeners', async () => {
    const sessions = new Sessions(storage, { ttlMs: HOUR, idleMs: 24 * HOUR });
    const ended: SessionsEnded[] = [];
    sessions.onEnded((event) => ended.push(event));
    const created = new Date('2026-03-01T08:00:00.000Z');
    const { session } = await sessions.create(anna.id, created);
    expect(await sessions.resolveHash(session.tokenHash, new Date('2026-03-01T08:59:59.999Z'))).toBeDefined();
    expect(ended).toEqual([]);
    expect(await sessions.resolveHash(session.tokenHash, new Date('2026-03-01T09:00:00.000Z'))).toBeUndefined();
    expect(ended).toEqual([{ tokenHash: session.tokenHash }]);
    expect(await storage.accounts.getSession(session.tokenHash)).toBeUndefined();
  });

  it('end when idle for longer than the idle limit', async () => {
    const sessions = new Sessions(storage, { ttlMs: 24 * HOUR, idleMs: HOUR });
    const lastSeen = new Date('2026-03-01T08:00:00.000Z');
    const { session } = await sessions.create(anna.id, lastSeen);
    expect(sessions.expired(session, new Date('2026-03-01T08:59:59.999Z'))).toBe(false);
    expect(sessions.expired(session, new Date('2026-03-01T09:00:00.000Z'))).toBe(true);
    expect(await sessions.resolveHash(session.tokenHash, new Date('2026-03-01T09:00:00.000Z'))).toBeUndefined();
    expect(await storage.accounts.getSession(session.tokenHash)).toBeUndefined();
  });

  it('count a request as use, but not a background refresh or a lookup by hash', async () => {
    const sessions = new Sessions(storage, { ttlMs: 24 * HOUR, idleMs: HOUR });
    const { token, session } = await sessions.create(anna.id, minutesAgo(10));
    const stored = () => storage.accounts.getSession(session.tokenHash).then((found) => found?.lastSeenAt);

    await sessions.resolve(token, { use: false });
    await sessions.resolveHash(session.tokenHash);
    expect(await stored()).toBe(session.lastSeenAt);

    const before = Date.now();
    const signedIn = await sessions.resolve(token);
    const seen = Date.parse((await stored())!);
    expect(seen).toBeGreaterThanOrEqual(before);
    expect(signedIn?.session.lastSeenAt).toBe(await stored());
  });

  it('write use at most once a minute, or a quarter of a shorter idle limit', async () => {
    const long = new Sessions(storage, { ttlMs: 24 * HOUR, idleMs: HOUR });
    const { session } = await long.create(anna.id, new Date('2026-03-01T08:00:00.000Z'));
    await long.touch(session, new Date('2026-03-01T08:00:59.999Z'));
    expect((await storage.accounts.getSession(session.tokenHash))?.lastSeenAt).toBe('2026-03-01T08:00:00.000Z');
    await long.touch(session, new Date('2026-03-01T08:01:00.000Z'));
    expect((await storage.accounts.getSession(session.tokenHash))?.lastSeenAt).toBe('2026-03-01T08:01:00.000Z');
    expect(session.lastSeenAt).toBe('2026-03-01T08:01:00.000Z');

    const short = new Sessions(storage, { ttlMs: 24 * HOUR, idleMs: 2 * MINUTE });
    const brief = (await short.create(anna.id, new Date('2026-03-01T08:00:00.000Z'))).session;
    await short.touch(brief, new Date('2026-03-01T08:00:29.999Z'));
    expect((await storage.accounts.getSession(brief.tokenHash))?.lastSeenAt).toBe('2026-03-01T08:00:00.000Z');
    await short.touch(brief, new Date('2026-03-01T08:00:30.000Z'));
    expect((await storage.accounts.getSession(brief.tokenHash))?.lastSeenAt).toBe('2026-03-01T08:00:30.000Z');
  });

  it('end at logout and tell the listeners until they unsubscribe', async () => {
    const sessions = new Sessions(storage, { ttlMs: HOUR, idleMs: HOUR });
    const ended: SessionsEnded[] = [];
    const unsubscribe = sessions.onEnded((event) => ended.push(event));
    const first = await sessions.create(anna.id);
    const second = await sessions.create(anna.id);

    await sessions.destroy(undefined);
    expect(ended).toEqual([]);
    await sessions.destroy(first.token);
    expect(ended).toEqual([{ tokenHash: first.session.tokenHash }]);
    expect(await sessions.resolve(first.token)).toBeUndefined();
    expect(await sessions.resolve(second.token)).toBeDefined();

    unsubscribe();
    await sessions.destroy(second.token);
    expect(ended).toHaveLength(1);
    expect(await sessions.resolve(second.token)).toBeUndefined();
  });
});

describe('the public view of a user', () => {
  it('shows the department and never the password hash', () => {
    const shown = publicUser(anna, department);
    expect(shown).toEqual({
      id: 'u-anna',
      username: 'anna',
      displayName: 'Anna Autorin',
      department: { id: 'sc', name: 'Smart City', shortName: 'SC', function: 'smart-city' },
      roles: ['author'],
      disabled: false,
    });
    expect(JSON.stringify(publicUser(anna, undefined))).not.toContain('geheim');
    expect(publicUser(anna, undefined).department).toBeNull();
  });
});

describe('the session cookie', () => {
  it('is read from a Cookie header among others, URL-decoded', () => {
    expect(cookieValue(`theme=dunkel; ${SESSION_COOKIE}=abc%3Dd ; x=1`, SESSION_COOKIE)).toBe('abc=d');
    expect(cookieValue(`${SESSION_COOKIE}=erstes;${SESSION_COOKIE}=zweites`, SESSION_COOKIE)).toBe('erstes');
    expect(cookieValue(`x${SESSION_COOKIE}=nein; =leer`, SESSION_COOKIE)).toBeUndefined();
    expect(cookieValue(`${SESSION_COOKIE}=%E0%A4%A`, SESSION_COOKIE)).toBeUndefined();
    // a broken first value is not made up for by a second cookie of the same name
    expect(cookieValue(`${SESSION_COOKIE}=%E0%A4%A; ${SESSION_COOKIE}=zweites`, SESSION_COOKIE)).toBeUndefined();
    expect(cookieValue(`${SESSION_COOKIE}`, SESSION_COOKIE)).toBeUndefined();
    expect(cookieValue('', SESSION_COOKIE)).toBeUndefined();
    expect(cookieValue(null, SESSION_COOKIE)).toBeUndefined();
    expect(cookieValue(undefined, SESSION_COOKIE)).toBeUndefined();
  });

  it('is Secure and __Host- prefixed behind a TLS proxy, plain otherwise', () => {
    expect(sessionCookie(false)).toEqual({ name: 'rd_session', secure: false });
    expect(sessionCookie(0)).toEqual({ name: 'rd_session', secure: false });
    expect(sessionCookie(true)).toEqual({ name: '__Host-rd_session', secure: true });
    expect(sessionCookie(1)).toEqual({ name: '__Host-rd_session', secure: true });
    expect(sessionCookie('loopback')).toEqual({ name: '__Host-rd_session', secure: true });
  });
});
