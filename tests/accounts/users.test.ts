/** Creating and changing users, and the first administrator, against a real SQLite storage. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../server/accounts/passwords';
import { Sessions } from '../../server/accounts/sessions';
import { FIRST_ADMIN, UserInputError, addUser, changeUser, createFirstAdmin } from '../../server/accounts/users';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { Storage } from '../../server/storage/storage';
import { tempDataDir } from '../support/server';

let storage: Storage;
let removeDir: () => void;

beforeEach(async () => {
  const data = tempDataDir();
  removeDir = data.remove;
  storage = openSqliteStorage(join(data.dir, 'ratsdossier.sqlite'));
  await storage.accounts.saveDepartment({ id: 'sc', name: 'Smart City', shortName: 'SC', function: 'smart-city' });
  await storage.accounts.saveDepartment({ id: 'kaemmerei', name: 'Kämmerei', shortName: '20', function: 'finance' });
});

afterEach(async () => {
  await storage.close();
  removeDir();
});

const annaInput = { username: 'anna', displayName: 'Anna Autorin', departmentId: 'sc', roles: ['author' as const], password: 'Haushaltsplan 2026!' };

/** The error a call rejects with, checked to be a UserInputError. */
async function inputError(call: Promise<unknown>): Promise<UserInputError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UserInputError);
  return error as UserInputError;
}

describe('adding a user', () => {
  it('stores the user with a hash of the password, roles once each, enabled unless said otherwise', async () => {
    const before = Date.now();
    const user = await addUser(storage, { ...annaInput, roles: ['author', 'reader', 'author'] });
    expect(await storage.accounts.getUser(user.id)).toEqual(user);
    expect(user).toMatchObject({ username: 'anna', displayName: 'Anna Autorin', departmentId: 'sc', roles: ['author', 'reader'], disabled: false });
    expect(user.id).not.toBe('');
    expect(Date.parse(user.createdAt)).toBeGreaterThanOrEqual(before);
    expect(user.updatedAt).toBe(user.createdAt);
    expect(user.passwordHash).not.toContain('Haushaltsplan');
    expect(await verifyPassword('Haushaltsplan 2026!', user.passwordHash)).toBe(true);

    const disabled = await addUser(storage, { ...annaInput, username: 'ben', disabled: true });
    expect(disabled.disabled).toBe(true);
    expect(disabled.id).not.toBe(user.id);
  });

  it('refuses a taken user name with 409', async () => {
    await addUser(storage, annaInput);
    const error = await inputError(addUser(storage, { ...annaInput, displayName: 'Andere Anna' }));
    expect(error.status).toBe(409);
    expect(error.message).toBe('Benutzername "anna" ist vergeben.');
  });

  it('refuses an unknown department and a password against the rules with 400', async () => {
    const department = await inputError(addUser(storage, { ...annaInput, departmentId: 'gibtsnicht' }));
    expect(department.status).toBe(400);
    expect(department.message).toBe('Dienststelle "gibtsnicht" gibt es nicht.');
    const password = await inputError(addUser(storage, { ...annaInput, password: 'anna-und-ihr-Passwort' }));
    expect(password.status).toBe(400);
    expect(password.message).toBe('Das Passwort darf den Benutzernamen nicht enthalten.');
    expect(await storage.accounts.listUsers()).toEqual([]);
  });

  it('accepts the published demo password for the demo seed alone, with the hash the seed made once for all its users', async () => {
    await inputError(addUser(storage, { ...annaInput, password: 'ratsdossier-demo' }));
    const demoPasswordHash = await hashPassword('ratsdossier-demo');
    const demo = await addUser(storage, { ...annaInput, password: 'ratsdossier-demo' }, { demoPasswordHash });
    const other = await addUser(storage, { ...annaInput, username: 'ben', password: 'ratsdossier-demo' }, { demoPasswordHash });
    expect([demo.passwordHash, other.passwordHash]).toEqual([demoPasswordHash, demoPasswordHash]);
    expect(await verifyPassword('ratsdossier-demo', demo.passwordHash)).toBe(true);
  });
});

describe('changing a user', () => {
  it('changes only the given fields and keeps the rest', async () => {
    const anna = await addUser(storage, annaInput);
    const renamed = await changeUser(storage, anna, { displayName: 'Anna Amtsleiterin' });
    expect(renamed).toEqual({ ...anna, displayName: 'Anna Amtsleiterin', updatedAt: renamed.updatedAt });
    const moved = await changeUser(storage, renamed, { departmentId: 'kaemmerei', roles: ['finance', 'finance', 'reader'] });
    expect(moved).toEqual({ ...renamed, departmentId: 'kaemmerei', roles: ['finance', 'reader'], updatedAt: moved.updatedAt });
    expect(await storage.accounts.getUser(anna.id)).toEqual(moved);
  });

  it('refuses an unknown department and a bad password, and changes nothing then', async () => {
    const anna = await addUser(storage, annaInput);
    expect((await inputError(changeUser(storage, anna, { departmentId: 'gibtsnicht' }))).message).toBe('Dienststelle "gibtsnicht" gibt es nicht.');
    expect((await inputError(changeUser(storage, anna, { password: 'kurz' }))).message).toMatch(/mindestens 12 Zeichen/);
    expect(await storage.accounts.getUser(anna.id)).toEqual(anna);
  });

  it('sets a new password, checked against the user’s own name, and ends the user’s sessions', async () => {
    const anna = await addUser(storage, annaInput);
    const sessions = new Sessions(storage, { ttlMs: 3_600_000, idleMs: 3_600_000 });
    const { token } = await sessions.create(anna.id);
    await inputError(changeUser(storage, anna, { password: 'ANNA-ist-wieder-da' }));
    expect(await sessions.resolve(token)).toBeDefined();

    const changed = await changeUser(storage, anna, { password: 'Neues Passwort 2026' });
    expect(await verifyPassword('Neues Passwort 2026', changed.passwordHash)).toBe(true);
    expect(await verifyPassword('Haushaltsplan 2026!', changed.passwordHash)).toBe(false);
    expect(await sessions.resolve(token)).toBeUndefined();
  });

  it('ends the sessions of a disabled user, but not on other changes', async () => {
    const anna = await addUser(storage, annaInput);
    const sessions = new Sessions(storage, { ttlMs: 3_600_000, idleMs: 3_600_000 });
    const { token, session } = await sessions.create(anna.id);
    const renamed = await changeUser(storage, anna, { displayName: 'Anna A.', roles: ['reader'], disabled: false });
    expect(await storage.accounts.getSession(session.tokenHash)).toBeDefined();
    const disabled = await changeUser(storage, renamed, { disabled: true });
    expect(disabled.disabled).toBe(true);
    expect(await storage.accounts.getSession(session.tokenHash)).toBeUndefined();
    expect(await sessions.resolve(token)).toBeUndefined();
    const enabled = await changeUser(storage, disabled, { disabled: false });
    expect((await storage.accounts.getUser(anna.id))?.disabled).toBe(false);
    expect(enabled.disabled).toBe(false);
  });

  it('moves the change time forward on every change, even past a clock that lags', async () => {
    const anna = await addUser(storage, annaInput);
    const before = Date.now();
    const now = await changeUser(storage, anna, { displayName: 'Anna B.' });
    expect(Date.parse(now.updatedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(now.updatedAt)).toBeLessThanOrEqual(Date.now());
    const future = { ...now, updatedAt: '2999-01-01T00:00:00.000Z' };
    const after = await changeUser(storage, future, { displayName: 'Anna C.' });
    expect(after.updatedAt).toBe('2999-01-01T00:00:00.001Z');
    expect((await storage.accounts.getUser(anna.id))?.updatedAt).toBe('2999-01-01T00:00:00.001Z');
  });
});

describe('the first administrator', () => {
  it('is created on an empty installation with a one-time password, in the IT department', async () => {
    const password = await createFirstAdmin(storage);
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    const admin = await storage.accounts.getUserByUsername(FIRST_ADMIN);
    expect(admin).toMatchObject({ username: 'admin', displayName: 'Administration', departmentId: 'it', roles: ['admin'], disabled: false });
    expect(await verifyPassword(password!, admin!.passwordHash)).toBe(true);
    expect(await storage.accounts.getDepartment('it')).toEqual({ id: 'it', name: 'IT und Organisation', shortName: 'IT', function: 'it' });
  });

  it('is created once only', async () => {
    expect(await createFirstAdmin(storage)).toBeDefined();
    expect(await createFirstAdmin(storage)).toBeUndefined();
    expect(await storage.accounts.listUsers()).toHaveLength(1);
  });

  it('is not created where users exist, or once the marker was claimed', async () => {
    await addUser(storage, annaInput);
    expect(await createFirstAdmin(storage)).toBeUndefined();
    expect(await storage.accounts.getUserByUsername(FIRST_ADMIN)).toBeUndefined();
    // the marker alone also prevents it: another process got there first
    const data = tempDataDir();
    const other = openSqliteStorage(join(data.dir, 'ratsdossier.sqlite'));
    try {
      expect(await other.accounts.claimOnce('first-admin')).toBe(true);
      expect(await createFirstAdmin(other)).toBeUndefined();
      expect(await other.accounts.listUsers()).toEqual([]);
    } finally {
      await other.close();
      data.remove();
    }
  });

  it('keeps an existing IT department as it is', async () => {
    await storage.accounts.saveDepartment({ id: 'it', name: 'Informationstechnik', shortName: '10', function: 'it' });
    expect(await createFirstAdmin(storage)).toBeDefined();
    expect(await storage.accounts.getDepartment('it')).toEqual({ id: 'it', name: 'Informationstechnik', shortName: '10', function: 'it' });
  });
});
