/**
 * A dossier outlives changes to its template: the template taken away, or installed without
 * the budget section, or given one after the dossier was created. The budget CSV route says which
 * of these it is instead of failing (the other routes: errors.test.ts). Each test starts the
 * same data directory with the template directory it describes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { api, createTestDossier, login, projectRoot, startTestServer, tempDataDir, users, type TestServer } from '../support/server';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
async function start(overrides: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer(overrides);
  servers.push(server);
  return server;
}
async function stop(server: TestServer) {
  servers.splice(servers.indexOf(server), 1);
  await server.close();
}

type TemplateJson = { id: string; sections: { id: string; kind: string }[]; cosigning: { covers: Record<string, string[]> } };
const installed = JSON.parse(readFileSync(join(projectRoot, 'templates/verstetigung-smart-city.json'), 'utf8')) as TemplateJson;

/** A template directory holding the given templates. */
function templatesDir(...templates: TemplateJson[]): string {
  const dir = join(tempDataDir().dir, 'templates');
  mkdirSync(dir);
  for (const template of templates) writeFileSync(join(dir, `${template.id}.json`), JSON.stringify(template));
  return dir;
}
/** The installed template without its budget section (and without the Kämmerei's co-signing of it). */
const withoutBudget: TemplateJson = {
  ...installed,
  sections: installed.sections.filter((section) => section.kind !== 'budget'),
  cosigning: { covers: { finance: ['beschlussvorschlag'] } },
};

const budgetCsv = async (server: TestServer, dossierId: string) => {
  const answer = await api(server.url, `/api/dossiers/${dossierId}/budget.csv`, { session: await login(server.url, users.lead) });
  return [answer.status, answer.body.error];
};

it('answers the budget CSV of a dossier whose template is no longer installed with 409', async () => {
  const { dir: dataDir } = tempDataDir();
  const first = await start({ dataDir });
  const dossierId = await createTestDossier(first.url);
  await stop(first);
  const second = await start({ dataDir, templatesDir: templatesDir({ ...installed, id: 'andere-vorlage' }) });
  expect(await budgetCsv(second, dossierId)).toEqual([409, 'Das Vorlagenmuster "verstetigung-smart-city" dieser Vorlage ist nicht mehr installiert.']);
});

it('answers 404 for a template without a budget section, and for a budget section added after the dossier was created', async () => {
  const { dir: dataDir } = tempDataDir();
  const first = await start({ dataDir, templatesDir: templatesDir(withoutBudget) });
  const dossierId = await createTestDossier(first.url);
  expect(await budgetCsv(first, dossierId)).toEqual([404, 'Diese Vorlage hat keinen Finanzabschnitt.']);
  await stop(first);
  // the template as installed now has the section; the dossier has nothing stored for it
  const second = await start({ dataDir });
  expect(await budgetCsv(second, dossierId)).toEqual([404, 'Der Finanzabschnitt ist leer.']);
  // a dossier created with the budget section has its CSV
  const withBudget = await createTestDossier(second.url);
  expect((await budgetCsv(second, withBudget))[0]).toBe(200);
});
