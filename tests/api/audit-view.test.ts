/**
 * The audit log as the clerks read it (GET /api/audit) for entries the usual paths do not make:
 * entries naming a dossier that is not there (the log keeps what happened; a restored backup or a
 * removed dossier leaves such entries), a dossier whose template is no longer installed, and a
 * detail that only looks like an invalidated signature's. The view names what it can and never
 * fails on what it cannot. The usual entries are in accounts.test.ts and whole-path.test.ts.
 */
import { expect, it } from 'vitest';
import type { AuditLogEntry } from '../../dossier/rest';
import { api, createTestDossier, login, tempDataDir, users, type TestServer } from '../support/server';
import { serversPerTest, templatesDirWithoutInstalled } from '../support/server-per-test';

const { start, stop } = serversPerTest();

/** What the view adds to an entry; the rest is what was appended. */
type Entry = Pick<AuditLogEntry, 'action' | 'dossierTitle' | 'sectionTitle' | 'sectionTitles' | 'departmentName' | 'detail'>;
async function auditView(server: TestServer, query: string): Promise<Entry[]> {
  const { status, body } = await api(server.url, `/api/audit?${query}`, { session: await login(server.url, users.clerk) });
  expect(status, JSON.stringify(body)).toBe(200);
  return body as Entry[];
}
const fields = ({ action, dossierTitle, sectionTitle, sectionTitles, departmentName }: Entry) => ({
  action,
  dossierTitle,
  sectionTitle,
  sectionTitles,
  departmentName,
});

it('lists entries of a dossier that is not there by their ids, without titles', async () => {
  const server = await start();
  const at = new Date().toISOString();
  const entry = { at, userId: null, dossierId: 'd-nicht-mehr-da' };
  await server.storage.audit.append({ ...entry, action: 'section.changed', sectionId: 'finanzen', detail: null });
  await server.storage.audit.append({ ...entry, action: 'signature.invalidated', sectionId: null, detail: 'kaemmerei: finanzen, beschlussvorschlag' });
  expect((await auditView(server, 'dossierId=d-nicht-mehr-da')).map(fields)).toEqual([
    { action: 'signature.invalidated', dossierTitle: null, sectionTitle: null, sectionTitles: ['finanzen', 'beschlussvorschlag'], departmentName: 'Kämmerei' },
    { action: 'section.changed', dossierTitle: null, sectionTitle: null, sectionTitles: null, departmentName: null },
  ]);
});

it('names a dossier whose template is no longer installed, and its sections by id', async () => {
  const { dir: dataDir } = tempDataDir();
  const first = await start({ dataDir });
  const dossierId = await createTestDossier(first.url, { title: 'Vorlage ohne Muster' });
  await stop(first);
  // the same data, started with a template directory that lacks the dossier's template
  const second = await start({ dataDir, templatesDir: templatesDirWithoutInstalled() });
  const at = new Date().toISOString();
  await second.storage.audit.append({ at, userId: null, action: 'section.changed', dossierId, sectionId: 'finanzen', detail: null });
  await second.storage.audit.append({ at, userId: null, action: 'signature.invalidated', dossierId, sectionId: null, detail: 'rechtsamt: finanzen' });
  const [invalidated, changed] = await auditView(second, `dossierId=${dossierId}&limit=2`);
  expect(fields(changed!)).toEqual({
    action: 'section.changed',
    dossierTitle: 'Vorlage ohne Muster',
    sectionTitle: null,
    sectionTitles: null,
    departmentName: null,
  });
  expect(fields(invalidated!)).toEqual({
    action: 'signature.invalidated',
    dossierTitle: 'Vorlage ohne Muster',
    sectionTitle: null,
    sectionTitles: ['finanzen'],
    departmentName: 'Rechtsamt',
  });
});

it('reads a department and sections only from an invalidated signature, not from a detail that looks alike', async () => {
  const server = await start();
  // a failed login records the user name as typed
  const typed = 'rechtsamt: finanzen';
  const refused = await api(server.url, '/api/auth/login', { method: 'POST', json: { username: typed, password: 'falsch-falsch-falsch' } });
  expect(refused.status).toBe(401);
  const failed = (await auditView(server, 'limit=1000')).filter((entry) => entry.action === 'login.failed');
  expect(failed.map((entry) => ({ ...fields(entry), detail: entry.detail }))).toEqual([
    { action: 'login.failed', dossierTitle: null, sectionTitle: null, sectionTitles: null, departmentName: null, detail: typed },
  ]);
});
