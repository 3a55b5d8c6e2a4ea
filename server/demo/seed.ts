/** Seeds the demo departments, users and dossier on the first start of a fresh data directory (and never again). */
import { hashPassword } from '../accounts/passwords';
import { addUser } from '../accounts/users';
import { createDossier } from '../dossiers/create';
import type { Storage } from '../storage/storage';
import type { TemplateRegistry } from '../templates/loader';
import { demoContents, demoTitle } from './labor-der-kreativen-koepfe';
import { DEMO_PASSWORD, demoDepartments, demoUsers } from './people';

export const DEMO_TEMPLATE_ID = 'verstetigung-smart-city';

/** Demo departments and users (password DEMO_PASSWORD), once per data directory. */
export async function seedDemoPeople(storage: Storage): Promise<void> {
  if (!(await storage.accounts.claimOnce('demo-people'))) return;
  for (const department of demoDepartments) await storage.accounts.saveDepartment(department);
  const demoPasswordHash = await hashPassword(DEMO_PASSWORD);
  for (const user of demoUsers) await addUser(storage, { ...user, password: DEMO_PASSWORD }, { demoPasswordHash });
}

export async function seedDemo(storage: Storage, templates: TemplateRegistry): Promise<void> {
  await seedDemoPeople(storage);
  const template = templates.get(DEMO_TEMPLATE_ID);
  if (!template || !(await storage.accounts.claimOnce('demo-dossier'))) return;
  await createDossier(storage, template, {
    title: demoTitle,
    contents: demoContents,
    leadDepartmentId: 'smart-city',
  });
}
