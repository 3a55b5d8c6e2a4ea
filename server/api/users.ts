/** User and department administration (admins), and the department list every signed-in user needs for badges. */
import { Router } from 'express';
import { canManageUsers } from '../../dossier/policy';
import type { Department } from '../../dossier/rest';
import { publicUser } from '../accounts/sessions';
import { addUser, changeUser, newUserFields, userFields, UserInputError } from '../accounts/users';
import type { Storage } from '../storage/storage';
import { HttpError, parseBody } from './errors';
import { signedIn } from './guards';

export function departmentsRouter(storage: Storage): Router {
  const router = Router();
  // Stryker disable next-line StringLiteral: Express mounts a route at '' exactly as at '/', the router's own path
  router.get('/', async (_req, res) => {
    res.json((await storage.accounts.listDepartments()) satisfies Department[]);
  });
  return router;
}

/** `onUserChanged` lets open collaboration connections follow the change at once. */
export function usersRouter(storage: Storage, onUserChanged: (userId: string) => Promise<void>): Router {
  const router = Router();
  router.use((_req, res, next) => {
    if (!canManageUsers(signedIn(res).actor)) throw new HttpError(403, 'Nur die Administration verwaltet Benutzerkonten.');
    next();
  });
  const departments = async () => new Map((await storage.accounts.listDepartments()).map((d) => [d.id, d]));
  const asHttp = (error: unknown): never => {
    if (error instanceof UserInputError) throw new HttpError(error.status, error.message);
    throw error;
  };

  // Stryker disable next-line StringLiteral: Express mounts a route at '' exactly as at '/', the router's own path
  router.get('/', async (_req, res) => {
    const byId = await departments();
    res.json((await storage.accounts.listUsers()).map((user) => publicUser(user, byId.get(user.departmentId))));
  });
  // Stryker disable next-line StringLiteral: Express mounts a route at '' exactly as at '/', the router's own path
  router.post('/', async (req, res) => {
    const user = await addUser(storage, parseBody(newUserFields, req.body)).catch(asHttp);
    res.status(201).json(publicUser(user, (await departments()).get(user.departmentId)));
  });
  router.patch('/:id', async (req, res) => {
    const user = await storage.accounts.getUser(req.params.id);
    if (!user) throw new HttpError(404, 'Benutzerkonto gibt es nicht.');
    const updated = await changeUser(storage, user, parseBody(userFields.partial(), req.body)).catch(asHttp);
    await onUserChanged(updated.id);
    res.json(publicUser(updated, (await departments()).get(updated.departmentId)));
  });
  return router;
}
