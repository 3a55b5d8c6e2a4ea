/**
 * Failure paths of persistence against the real server, for every storage
 * back end (`storageBackends()` in tests/storage/factories.ts: SQLite, and
 * PostgreSQL where it answers — in CI it must): the real storage is wrapped so that
 * `storeSection` fails while a flag is set, or waits at a gate (faulty-storage.ts),
 * and passed to startRatsdossier.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentName, readSection } from '../../dossier/layout';
import { findSection } from '../../dossier/template';
import { loadTemplates } from '../../server/templates/loader';
import { storageBackends } from '../storage/factories';
import { faulty } from './faulty-storage';
import { startRatsdossier } from '../../server/app';
import { createTestDossier, login, projectRoot, testConfig, TestClient, typeInto, users, waitFor, wsUrlOf } from '../support/server';

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;

describe.each(await storageBackends())('persistence failure paths: $name', (factory) => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setup(config: Parameters<typeof testConfig>[0] = {}) {
    const { storage, control } = faulty(await factory.open());
    const app = await startRatsdossier(testConfig(config), { storage });
    const server = { ...app, wsUrl: wsUrlOf(app.url) };
    cleanup.push(() => server.close());
    const lead = await login(server.url, users.lead);
    const dossierId = await createTestDossier(server.url, { session: lead });
    const name = documentName(dossierId, 'ausgangslage');
    const client = new TestClient(server.wsUrl, lead);
    cleanup.push(() => client.destroy());
    client.open(name);
    await client.synced(name);
    const storedText = async () => JSON.stringify((await storage.dossiers.getSectionContents(dossierId)).get('ausgangslage')?.content);
    const liveText = () => {
      const live = server.collaboration.hocuspocus.documents.get(name);
      return live ? JSON.stringify(readSection(live, findSection(template, 'ausgangslage')!)) : '';
    };
    /** After any store: the stored JSON is exactly what the stored Yjs state gives. */
    const assertConsistent = async () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, (await storage.dossiers.loadSectionState(dossierId, 'ausgangslage'))!);
      expect((await storage.dossiers.getSectionContents(dossierId)).get('ausgangslage')?.content).toEqual(
        readSection(doc, findSection(template, 'ausgangslage')!),
      );
    };
    return { server, storage, control, client, name, dossierId, storedText, liveText, assertConsistent };
  }

  it('retries a failed store until the storage works again', async () => {
    const { control, client, name, storedText, assertConsistent } = await setup();
    control.failing = true;
    typeInto(client.doc(name), 'Trotz Ausfall gespeichert.');
    await waitFor(() => control.failures >= 2, { message: 'the store was not attempted and retried while failing' });
    // the first retry waits half a second (a timer never fires early)
    expect(control.failedAt[1]! - control.failedAt[0]!).toBeGreaterThanOrEqual(498);
    expect(await storedText()).not.toContain('Trotz Ausfall gespeichert.');
    control.failing = false;
    // no further edit: only the retry can store it now
    await waitFor(async () => (await storedText()).includes('Trotz Ausfall gespeichert.'), { message: 'no retry stored the change' });
    await client.storedAll(name);
    await assertConsistent();
  });

  it('a change that arrives while a store is running is stored by the next store', async () => {
    const { control, client, name, storedText, liveText, assertConsistent } = await setup();
    let open!: () => void;
    control.gate = new Promise((resolve) => (open = resolve));
    typeInto(client.doc(name), 'Erster Teil.');
    await waitFor(() => control.entered >= 1, { message: 'the first store did not start' });
    typeInto(client.doc(name), 'Zweiter Teil.');
    await waitFor(() => liveText().includes('Zweiter Teil.'), { message: 'the second change did not reach the server' });
    control.gate = undefined;
    open();
    await waitFor(async () => (await storedText()).includes('Erster Teil.Zweiter Teil.'), { message: 'the change made during the store was not stored' });
    await client.storedAll(name);
    await assertConsistent();
  });

  it('stores before unload: the last client disconnects before any debounced store ran', async () => {
    const { server, control, client, name, storedText, liveText, assertConsistent } = await setup({ storeDebounceMs: 60_000, storeMaxDebounceMs: 60_000 });
    typeInto(client.doc(name), 'Beim Schließen gespeichert.');
    await waitFor(() => liveText().includes('Beim Schließen gespeichert.'), { message: 'the change did not reach the server' });
    expect(control.attempts).toHaveLength(0);
    client.destroy();
    await waitFor(() => !server.collaboration.hocuspocus.documents.has(name), { message: 'the document was not unloaded' });
    expect(await storedText()).toContain('Beim Schließen gespeichert.');
    await assertConsistent();
  });

  it('a store that failed, then the last client leaves: the store before unload fails too and keeps the document in memory', async () => {
    const { server, control, client, name, storedText } = await setup();
    control.failing = true;
    typeInto(client.doc(name), 'Nicht verloren.');
    // the debounced store fails while the client is still there; Hocuspocus does not store again on its own
    await waitFor(() => control.failures >= 1, { message: 'the debounced store was not attempted' });
    client.destroy();
    const document = () => server.collaboration.hocuspocus.documents.get(name);
    await waitFor(() => document()?.getConnectionsCount() === 0, { message: 'the client did not disconnect' });
    const failuresAtDisconnect = control.failures;
    await waitFor(() => control.failures > failuresAtDisconnect, { message: 'no store was attempted after the last client left' });
    expect(document(), 'the document was unloaded with unstored changes').toBeDefined();
    control.failing = false;
    await waitFor(async () => (await storedText()).includes('Nicht verloren.'), { message: 'the change was never stored' });
  });
});
