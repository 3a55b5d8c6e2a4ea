/**
 * One client cannot flood the collaboration server: sockets are limited per
 * user (a burst meets the same limit as a sequence), opening a dossier is
 * audited once per session, malformed frames are logged once and close their
 * socket, and forged proxy headers do not pass the origin check.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { CloseCode } from '../../dossier/close-codes';
import { documentName } from '../../dossier/layout';
import { captureLog } from '../support/log';
import { encodeMessage, MessageType, RawSyncClient } from '../support/raw-sync';
import { createTestDossier, login, startTestServer, TestClient, typeInto, users, waitFor, type TestServer } from '../support/server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function server(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const started = await startTestServer(overrides);
  cleanups.push(() => started.close());
  return started;
}

/** Opens a socket; resolves with it, or with the HTTP status that refused the upgrade. */
function connect(url: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      cleanups.push(() => socket.terminate());
      resolve(socket);
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', (error) => reject(error));
  });
}

describe('sockets per user', () => {
  it('a burst of upgrades meets the limit, and other users keep working', async () => {
    const s = await server({ socketsPerUser: 5 });
    const reader = await login(s.url, users.reader);
    const results = await Promise.all(Array.from({ length: 40 }, () => connect(s.wsUrl, { cookie: reader.cookie })));
    expect(results.filter((r) => r instanceof WebSocket)).toHaveLength(5);
    expect(results.filter((r) => r === 429)).toHaveLength(35);
    expect(s.websockets.socketsOf(reader.user.id)).toBe(5);

    const lead = await login(s.url, users.lead);
    const dossierId = await createTestDossier(s.url, { session: lead });
    const writer = new TestClient(s.wsUrl, lead);
    cleanups.push(() => writer.destroy());
    const name = documentName(dossierId, 'ausgangslage');
    writer.open(name);
    await writer.synced(name);
    typeInto(writer.doc(name), 'Arbeit geht weiter.');
    await writer.storedAll(name);

    // closed sockets free their places
    for (const socket of results) if (socket instanceof WebSocket) socket.close();
    await waitFor(() => s.websockets.socketsOf(reader.user.id) === 0);
    expect(await connect(s.wsUrl, { cookie: reader.cookie })).toBeInstanceOf(WebSocket);
  });

  it('limits the sockets per address too, signed in or not, and a closed socket frees its place', async () => {
    const s = await server({ socketsPerAddress: 3 });
    const reader = await login(s.url, users.reader);
    const first = await connect(s.wsUrl, {});
    const second = await connect(s.wsUrl, { cookie: reader.cookie });
    expect(await connect(s.wsUrl, {})).toBeInstanceOf(WebSocket);
    expect(await connect(s.wsUrl, {})).toBe(429);
    expect(await connect(s.wsUrl, { cookie: reader.cookie })).toBe(429);
    expect(first).toBeInstanceOf(WebSocket);
    // a refused upgrade took no place; a closed socket gives its place back, and only its own
    (second as WebSocket).close();
    await waitFor(() => s.websockets.socketsOf(reader.user.id) === 0);
    expect(await connect(s.wsUrl, {})).toBeInstanceOf(WebSocket);
    expect(await connect(s.wsUrl, {})).toBe(429);
  });

  it('are closed (1009) by a message over the configured size, which is not read', async () => {
    const s = await server({ maxMessageBytes: 4096 });
    const lead = await login(s.url, users.lead);
    const c = await RawSyncClient.connect(s.wsUrl, lead.cookie);
    c.send(new Uint8Array(4097).fill(1));
    expect(await c.closed).toBe(1009);
  });

  it('leave their documents as soon as their client closes them: nobody left, the document unloads', async () => {
    const s = await server();
    const lead = await login(s.url, users.lead);
    const name = documentName(await createTestDossier(s.url, { session: lead }), 'ausgangslage');
    const c = await RawSyncClient.connect(s.wsUrl, lead.cookie);
    expect(await c.authenticate(name)).toMatch(/^authenticated/);
    expect(s.collaboration.hocuspocus.documents.get(name)!.getConnectionsCount()).toBe(1);
    c.close();
    await waitFor(() => !s.collaboration.hocuspocus.documents.has(name), { message: 'the document stayed loaded for a closed socket' });
  });

  it('are closed as "going away" when the server stops, so that clients reconnect to another process', async () => {
    const s = await startTestServer();
    const lead = await login(s.url, users.lead);
    const socket = await RawSyncClient.connect(s.wsUrl, lead.cookie);
    await s.close();
    expect(await socket.closed).toBe(1001);
    expect(socket.closeReason).toBe('server shutting down');
  });

  it('gives a refused socket’s place back to its address, whichever limit refused it', async () => {
    const s = await server({ socketsPerUser: 1, socketsPerAddress: 2 });
    const reader = await login(s.url, users.reader);
    expect(await connect(s.wsUrl, { cookie: reader.cookie })).toBeInstanceOf(WebSocket);
    expect(await connect(s.wsUrl, { cookie: reader.cookie })).toBe(429);
    expect(await connect(s.wsUrl, {})).toBeInstanceOf(WebSocket);
    expect(await connect(s.wsUrl, {})).toBe(429);
  });

  it('counts the sockets per client address a trusted proxy names, each address on its own', async () => {
    const s = await server({ socketsPerAddress: 1, trustProxy: 'loopback' });
    const from = (address: string) => connect(s.wsUrl, { 'x-forwarded-for': address });
    expect(await from('198.51.100.7')).toBeInstanceOf(WebSocket);
    expect(await from('198.51.100.8')).toBeInstanceOf(WebSocket);
    expect(await from('198.51.100.7')).toBe(429);
  });

  it('audits the opening of a dossier once per session, not once per socket', async () => {
    const s = await server();
    const lead = await login(s.url, users.lead);
    const dossierId = await createTestDossier(s.url, { session: lead });
    const name = documentName(dossierId, 'ausgangslage');
    for (let i = 0; i < 8; i += 1) {
      const c = await RawSyncClient.connect(s.wsUrl, lead.cookie);
      cleanups.push(() => c.close());
      expect(await c.authenticate(name)).toMatch(/^authenticated/);
    }
    const other = await login(s.url, users.leadColleague);
    const c = await RawSyncClient.connect(s.wsUrl, other.cookie);
    cleanups.push(() => c.close());
    await c.authenticate(name);
    const rows = (await s.storage.audit.list({ dossierId, limit: 100 })).filter((row) => row.action === 'dossier.connected');
    expect(rows.map((row) => row.userId).sort()).toEqual([lead.user.id, other.user.id].sort());
  });
});

describe('malformed frames', () => {
  it('are logged once per socket, escaped, and close it', async () => {
    const s = await server();
    const lead = await login(s.url, users.lead);
    const log = captureLog();
    cleanups.push(() => log.stop());
    const collabLines = () => log.entries().filter((entry) => entry.area === 'collab');
    const c = await RawSyncClient.connect(s.wsUrl, lead.cookie);
    const forged = encodeMessage('x\n[access] admin signed in\u2028', (e) => encoding.writeVarUint(e, MessageType.Auth));
    c.send(forged);
    for (let i = 0; i < 1000; i += 1) c.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, i & 0xff]));
    expect(await c.closed).toBe(CloseCode.invalidMessage);
    expect(c.closeReason).toBe('invalid-message');
    expect(collabLines()).toHaveLength(1);
    expect(collabLines()[0]).toMatchObject({ level: 40, userId: lead.user.id });
    expect(collabLines()[0]!.msg).not.toMatch(/[\n\u2028]/);
    expect(collabLines()[0]!.msg).toContain('\\n[access] admin signed in');

    const garbage = await RawSyncClient.connect(s.wsUrl, lead.cookie);
    for (let i = 0; i < 1000; i += 1) garbage.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, i & 0xff]));
    expect(await garbage.closed).toBe(CloseCode.invalidMessage);
    expect(collabLines()).toHaveLength(2);
    // one JSON object per line: nothing a client sends can start a line of its own
    for (const line of log.raw) expect(line.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('the origin check', () => {
  it('does not trust X-Forwarded-Host unless the request came through a trusted proxy', async () => {
    const forged = { origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' };
    const direct = await server();
    const lead = await login(direct.url, users.lead);
    expect(await connect(direct.wsUrl, { ...forged, cookie: lead.cookie })).toBe(403);
    expect(await connect(direct.wsUrl, { origin: direct.url, cookie: lead.cookie })).toBeInstanceOf(WebSocket);

    const proxied = await server({ trustProxy: 'loopback' });
    const behindProxy = await login(proxied.url, users.lead);
    expect(await connect(proxied.wsUrl, { ...forged, cookie: behindProxy.cookie })).toBeInstanceOf(WebSocket);
  });
});
