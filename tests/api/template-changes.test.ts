/**
 * A dossier outlives changes to its template: the template taken away, or installed without
 * the budget section, or given one after the dossier was created. The budget CSV route says which
 * of these it is instead of failing (the other routes: errors.test.ts). Each test starts the
 * same data directory with the template directory it describes.
 */
import { expect, it } from 'vitest';
import { api, createTestDossier, login, tempDataDir, users, type TestServer } from '../support/server';
import { installedTemplateJson, serversPerTest, type TemplateJson, templatesDir, templatesDirWithoutInstalled } from '../support/server-per-test';

const { start, stop } = serversPerTest();
const installed = installedTemplateJson;

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
  const second = await start({ dataDir, templatesDir: templatesDirWithoutInstalled() });
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
