/**
 * Restarts of a real server process: nothing stored is lost when it is killed,
 * everything received is stored on a graceful stop, and a client that stayed
 * connected pushes what the server missed once the server is back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import { openStorage } from '../../server/storage/open';
import {
  api,
  createTestDossier,
  freePort,
  login,
  startServerProcess,
  tempDataDir,
  TestClient,
  typeInto,
  users,
  waitFor,
  type ServerProcess,
  type Session,
} from '../support/server';

const running: ServerProcess[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of running.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await server.exited;
  }
});

async function start(dataDir: string, port: number, storeDebounceMs: number) {
  const server = await startServerProcess({ dataDir, port, storeDebounceMs });
  running.push(server);
  return server;
}

/** Reads a section's stored canonical JSON from the data directory's storage, as the next start will see it. */
async function storedContent(dataDir: string, dossierId: string, sectionId: string): Promise<string> {
  const storage = await openStorage({ dataDir, databaseUrl: null });
  try {
    return JSON.stringify((await storage.dossiers.getSectionContents(dossierId)).get(sectionId)?.content);
  } finally {
    await storage.close();
  }
}

async function sectionText(url: string, session: Session, dossierId: string, sectionId: string): Promise<string> {
  const { body } = await api(url, `/api/dossiers/${dossierId}`, { session });
  return JSON.stringify(body.sections.find((s: { id: string }) => s.id === sectionId).content);
}

// two server processes each, and a start takes half a minute on a loaded machine
describe('server restarts', () => {
  it('a graceful stop stores everything received, even within the store debounce', async () => {
    const data = tempDataDir();
    const port = await freePort();
    // a debounce far longer than the test: only the shutdown itself can have stored the edit
    const first = await start(data.dir, port, 60_000);
    const session = await login(first.url, users.lead);
    const dossierId = await createTestDossier(first.url, { session });
    const name = documentName(dossierId, 'ausgangslage');
    const client = new TestClient(first.wsUrl, session);
    clients.push(client);
    client.open(name);
    await client.synced(name);
    typeInto(client.doc(name), 'Vor dem geordneten Neustart getippt.');
    await client.synced(name);
    expect(await storedContent(data.dir, dossierId, 'ausgangslage')).not.toContain('Vor dem geordneten Neustart');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    client.destroy(); // it must not be the one that brings the edit back
    expect(await storedContent(data.dir, dossierId, 'ausgangslage')).toContain('Vor dem geordneten Neustart getippt.');

    const second = await start(data.dir, port, 100);
    // sessions are stored: the login survives the restart
    expect(await sectionText(second.url, session, dossierId, 'ausgangslage')).toContain('Vor dem geordneten Neustart getippt.');
    const reader = new TestClient(second.wsUrl, session);
    clients.push(reader);
    reader.open(name);
    await reader.synced(name);
    expect(JSON.stringify(reader.doc(name).getXmlFragment('content').toJSON())).toContain('Vor dem geordneten Neustart getippt.');
    data.remove();
  }, 180_000);

  it('after SIGKILL, what was stored is there and a connected client pushes what the server missed', async () => {
    const data = tempDataDir();
    const port = await freePort();
    const first = await start(data.dir, port, 60_000);
    const session = await login(first.url, users.lead);
    const dossierId = await createTestDossier(first.url, { session });
    const name = documentName(dossierId, 'betreibermodell');

    // stored: the last client leaving makes the server store at once
    const early = new TestClient(first.wsUrl, session);
    early.open(name);
    await early.synced(name);
    typeInto(early.doc(name), 'Gespeichert vor dem Absturz.');
    await early.synced(name);
    early.destroy();
    await waitFor(async () => (await storedContent(data.dir, dossierId, 'betreibermodell')).includes('Gespeichert vor dem Absturz.'), {
      message: 'the edit was not stored when the last client left',
    });

    // received by the server but not stored yet (60 s debounce), then the process dies
    const client = new TestClient(first.wsUrl, session);
    clients.push(client);
    client.open(name);
    await client.synced(name);
    typeInto(client.doc(name), ' Nur im Arbeitsspeicher des Servers.');
    await client.synced(name);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const afterCrash = await storedContent(data.dir, dossierId, 'betreibermodell');
    expect(afterCrash).toContain('Gespeichert vor dem Absturz.');
    expect(afterCrash).not.toContain('Nur im Arbeitsspeicher des Servers.');

    // the client keeps typing while the server is down
    typeInto(client.doc(name), ' Offline weitergeschrieben.');

    const second = await start(data.dir, port, 100);
    await waitFor(async () => (await sectionText(second.url, session, dossierId, 'betreibermodell')).includes('Offline weitergeschrieben.'), {
      timeout: 20_000,
      message: () => `the reconnected client did not push its edits:\n${second.output()}`,
    });
    const text = await sectionText(second.url, session, dossierId, 'betreibermodell');
    expect(text).toContain('Gespeichert vor dem Absturz. Nur im Arbeitsspeicher des Servers. Offline weitergeschrieben.');
    data.remove();
  }, 180_000);
});
