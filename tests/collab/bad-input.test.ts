/**
 * Bad input on the collaboration WebSocket: unknown documents are refused,
 * garbage closes only the connection that sent it, and documents stay intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { documentName } from '../../dossier/layout';
import { MessageType, RawSyncClient } from '../support/raw-sync';
import { api, createTestDossier, login, startTestServer, TestClient, typeInto, users, waitFor, type Session, type TestServer } from '../support/server';

let server: TestServer;
let dossierId: string;
let watcher: TestClient;
let lead: Session;
const name = () => documentName(dossierId, 'ausgangslage');

beforeAll(async () => {
  server = await startTestServer({ maxMessageBytes: 64 * 1024 });
  lead = await login(server.url, users.lead);
  dossierId = await createTestDossier(server.url, { session: lead });
  watcher = new TestClient(server.wsUrl, lead);
  watcher.open(name());
  await watcher.synced(name());
  typeInto(watcher.doc(name()), 'Ausgangstext.');
  await watcher.storedAll(name());
});
afterAll(async () => {
  watcher.destroy();
  await server.close();
});

const state = () => Buffer.from(Y.encodeStateAsUpdate(server.collaboration.hocuspocus.documents.get(name())!)).toString('hex');

const raw = (path = '/collab') => RawSyncClient.connect(`${server.url.replace('http', 'ws')}${path}`, lead.cookie);

async function stillServing(): Promise<void> {
  typeInto(watcher.doc(name()), ' Weiter.');
  await watcher.storedAll(name());
  expect((await api(server.url, '/api/health')).status).toBe(200);
}

describe('collaboration refuses bad input', () => {
  it('refuses documents that are not a section of an existing dossier, and keeps the socket for good ones', async () => {
    const client = new TestClient(server.wsUrl, lead);
    const bad = ['unbekannt/ausgangslage', `${dossierId}/unbekannt`, 'kein-name', `${dossierId}/ausgangslage/x`, '../../etc/passwd'];
    for (const document of bad) client.open(document);
    const good = documentName(dossierId, 'kopf');
    client.open(good);
    await client.synced(good);
    await waitFor(() => client.refusals.length === bad.length, { message: () => `refusals: ${JSON.stringify(client.refusals)}` });
    expect(client.refusals.map((r) => r.documentName).sort()).toEqual([...bad].sort());
    expect(new Set(client.refusals.map((r) => r.reason))).toEqual(new Set(['unknown-document']));
    for (const document of bad) expect(server.collaboration.hocuspocus.documents.has(document), document).toBe(false);
    client.destroy();
  });

  it('closes a connection that sends garbage, and only that one', async () => {
    const before = state();
    const client = await raw();
    client.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]));
    expect(await client.closed).toBeGreaterThanOrEqual(4000);
    expect(state()).toBe(before);
    await stillServing();
  });

  it('closes a document connection whose sync update is corrupt, and the document stays unchanged', async () => {
    const before = state();
    const client = await raw();
    expect(await client.authenticate(name())).toBe('authenticated:read-write');
    client.sendUpdate(name(), new Uint8Array([1, 200, 7, 3, 3, 3, 99, 42]));
    // the server closes that document's connection with a Close message naming the reason
    await waitFor(() => client.received.some((m) => m.type === MessageType.Close), { message: 'document connection was not closed' });
    expect(client.received.find((m) => m.type === MessageType.Close)!.summary).toBe('invalid-update');
    client.close();
    expect(state()).toBe(before);
    await stillServing();
  });

  it('closes a connection whose message exceeds the size limit', async () => {
    const before = state();
    const client = await raw();
    await client.authenticate(name());
    client.send(new Uint8Array(65 * 1024).fill(1));
    expect(await client.closed).toBe(1009);
    expect(state()).toBe(before);
    await stillServing();
  });

  it('refuses WebSocket handshakes from pages of other sites, and takes its own', async () => {
    const url = `${server.url.replace('http', 'ws')}/collab`;
    const open = (origin: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url, { headers: { cookie: lead.cookie }, origin });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.once('error', reject);
      });
    expect(await open('https://boese.example')).toBe(403);
    expect(await open('null')).toBe(403);
    expect(await open(server.url)).toBe(101);
    await stillServing();
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    await expect(raw('/anderswo')).rejects.toThrow(/404/);
    await stillServing();
  });
});
