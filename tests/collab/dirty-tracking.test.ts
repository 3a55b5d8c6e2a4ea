/**
 * A change is stored even when another extension's `onChange` fails: Hocuspocus
 * runs the hook as one chain, so an extension ordered before ours (here with
 * the Redis extension's priority, 1000) that throws stops it. Persistence
 * tracks changes on the Y.Doc itself, with the user taken from the transaction
 * origin.
 */
import type { Extension } from '@hocuspocus/server';
import { afterEach, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import { startRatsdossier } from '../../server/app';
import { api, createTestDossier, login, testConfig, TestClient, typeInto, users, waitFor, wsUrlOf } from '../support/server';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

it('stores a change and who made it although an extension before persistence throws in onChange', async () => {
  const failures: unknown[] = [];
  // Hocuspocus does not await the onChange chain: its failure is an unhandled rejection, which this test expects
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on('unhandledRejection', onRejection);
  cleanup.push(() => process.off('unhandledRejection', onRejection));
  const failing: Extension = {
    extensionName: 'FailingPublisher',
    priority: 1000,
    async onChange() {
      throw new Error('injected: publish failed');
    },
  };
  const app = await startRatsdossier(testConfig({ storeDebounceMs: 100, storeMaxDebounceMs: 500 }), { extensions: [failing] });
  cleanup.push(() => app.close());
  const lead = await login(app.url, users.lead);
  const dossierId = await createTestDossier(app.url, { session: lead });
  const name = documentName(dossierId, 'ausgangslage');
  const client = new TestClient(wsUrlOf(app.url), lead);
  cleanup.push(() => client.destroy());
  client.open(name);
  await client.synced(name);

  typeInto(client.doc(name), 'Trotz gescheitertem onChange gespeichert.');
  await client.synced(name);
  await waitFor(() => failures.some((reason) => (reason as Error).message === 'injected: publish failed'), {
    message: 'the failing extension never ran',
  });
  await client.storedAll(name);

  const { body } = await api(app.url, `/api/dossiers/${dossierId}`, { session: lead });
  const stored = body.sections.find((section: { id: string }) => section.id === 'ausgangslage');
  expect(JSON.stringify(stored.content)).toContain('Trotz gescheitertem onChange gespeichert.');
  const admin = await login(app.url, users.admin);
  const audit = await api(app.url, `/api/audit?dossierId=${dossierId}`, { session: admin });
  expect(audit.body).toContainEqual(expect.objectContaining({ action: 'section.changed', sectionId: 'ausgangslage', userId: lead.user.id }));
});

it('still stores after unload when the last client leaves within the debounce', async () => {
  const failing: Extension = {
    extensionName: 'FailingPublisher',
    priority: 1000,
    onChange: () => Promise.reject(new Error('injected: publish failed')),
  };
  const onRejection = () => undefined;
  process.on('unhandledRejection', onRejection);
  cleanup.push(() => process.off('unhandledRejection', onRejection));
  const app = await startRatsdossier(testConfig({ storeDebounceMs: 60_000, storeMaxDebounceMs: 60_000 }), { extensions: [failing] });
  cleanup.push(() => app.close());
  const lead = await login(app.url, users.lead);
  const dossierId = await createTestDossier(app.url, { session: lead });
  const name = documentName(dossierId, 'betreibermodell');
  const client = new TestClient(wsUrlOf(app.url), lead);
  client.open(name);
  await client.synced(name);
  typeInto(client.doc(name), 'Beim Verlassen gespeichert.');
  await client.synced(name);
  client.destroy();
  await waitFor(() => !app.collaboration.hocuspocus.documents.has(name), { message: 'the document was not unloaded' });

  const { body } = await api(app.url, `/api/dossiers/${dossierId}`, { session: lead });
  const stored = body.sections.find((section: { id: string }) => section.id === 'betreibermodell');
  expect(JSON.stringify(stored.content)).toContain('Beim Verlassen gespeichert.');
});
