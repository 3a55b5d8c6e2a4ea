/** Creating and changing users, with the checks shared by the admin API and the `npm run users` CLI. */
import { z } from 'zod';
import { safeString } from '../../dossier/content';
import { newId } from '../../dossier/ids';
import { roles } from '../../dossier/policy';
import { DuplicateKeyError, type Storage, type UserRecord } from '../storage/storage';
import { hashPassword, passwordProblem, randomPassword } from './passwords';

export class UserInputError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const userFields = z.object({
  displayName: safeString().trim().min(2, 'Der Name braucht mindestens 2 Zeichen.').max(100),
  departmentId: z.string().min(1),
  roles: z.array(z.enum(roles)).min(1, 'Mindestens eine Rolle.'),
  password: z.string().optional(),
  disabled: z.boolean().optional(),
});
export const newUserFields = userFields.extend({
  username: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/i, 'Benutzername: 2–40 Zeichen, Buchstaben, Ziffern, Punkt, Bindestrich, Unterstrich.'),
  password: z.string(),
});

async function checkDepartment(storage: Storage, departmentId: string) {
  if (!(await storage.accounts.getDepartment(departmentId))) throw new UserInputError(`Dienststelle "${departmentId}" gibt es nicht.`);
}

async function passwordHash(password: string, username: string): Promise<string> {
  const problem = passwordProblem(password, username);
  if (problem) throw new UserInputError(problem);
  return hashPassword(password);
}

/**
 * Creates a user. `demoPasswordHash` is for the demo seed alone: its users share a published password that
 * the rules refuse on purpose, hashed once for all of them (a salt protects nothing that is published, and
 * each scrypt hash costs a tenth of a second of CPU at every start on a fresh data directory).
 */
export async function addUser(storage: Storage, input: z.infer<typeof newUserFields>, options: { demoPasswordHash?: string } = {}): Promise<UserRecord> {
  if (await storage.accounts.getUserByUsername(input.username)) throw new UserInputError(`Benutzername "${input.username}" ist vergeben.`, 409);
  await checkDepartment(storage, input.departmentId);
  const now = new Date().toISOString();
  const user: UserRecord = {
    id: newId(),
    username: input.username,
    displayName: input.displayName,
    departmentId: input.departmentId,
    roles: [...new Set(input.roles)],
    passwordHash: options.demoPasswordHash ?? (await passwordHash(input.password, input.username)),
    disabled: input.disabled ?? false,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await storage.accounts.createUser(user);
  } catch (error) {
    // another request took the name since the check above
    if (error instanceof DuplicateKeyError && error.key === 'users.username') throw new UserInputError(`Benutzername "${input.username}" ist vergeben.`, 409);
    throw error;
  }
  return user;
}

export async function changeUser(storage: Storage, user: UserRecord, change: Partial<z.infer<typeof userFields>>): Promise<UserRecord> {
  if (change.departmentId !== undefined) await checkDepartment(storage, change.departmentId);
  const updated: UserRecord = {
    ...user,
    ...(change.displayName !== undefined ? { displayName: change.displayName } : {}),
    ...(change.departmentId !== undefined ? { departmentId: change.departmentId } : {}),
    ...(change.roles !== undefined ? { roles: [...new Set(change.roles)] } : {}),
    ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
    ...(change.password !== undefined ? { passwordHash: await passwordHash(change.password, user.username) } : {}),
    // strictly increasing, so a poll for changes since the last one always sees it
    updatedAt: new Date(Math.max(Date.now(), Date.parse(user.updatedAt) + 1)).toISOString(),
  };
  await storage.accounts.updateUser(updated);
  if (updated.disabled || change.password !== undefined) await storage.accounts.deleteUserSessions(user.id);
  return updated;
}

export const FIRST_ADMIN = 'admin';

/**
 * A real installation's first start (no user at all): creates the administrator `admin` with a random
 * one-time password and returns it, for the caller to show once. Returns undefined when users exist.
 */
export async function createFirstAdmin(storage: Storage): Promise<string | undefined> {
  if ((await storage.accounts.listUsers()).length > 0 || !(await storage.accounts.claimOnce('first-admin'))) return undefined;
  const department = { id: 'it', name: 'IT und Organisation', shortName: 'IT', function: 'it' };
  if (!(await storage.accounts.getDepartment(department.id))) await storage.accounts.saveDepartment(department);
  const password = randomPassword();
  await addUser(storage, { username: FIRST_ADMIN, displayName: 'Administration', departmentId: department.id, roles: ['admin'], password });
  return password;
}
