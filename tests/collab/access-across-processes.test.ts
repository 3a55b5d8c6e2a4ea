/**
 * A change of access seen in the live header of one process reaches the open connections of
 * the others at once, and so does a logout: the process that sees it records it, then announces it, and each other
 * process re-decides its own connections to the dossier from the record. Two servers in this
 * process (two-processes.ts), so that mutation testing reaches the code; tests/cluster shows
 * the same with real processes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { documentName, headerRoots } from '../../dossier/layout';
import { MessageType, RawSyncClient } from '../support/raw-sync';
import WebSocket from 'ws';
import { CloseCode } from '../../dossier/close-codes';
import { api, createTestDossier, login, TestClient, users, waitFor } from '../support/server';
import { twoProcesses, twoProcessesUnavailable } from './two-processes';

const unavailable = await twoProcessesUnavailable('changes of access across processes');

describe.skipIf(unavailable !== undefined)('a change of access in the live header, across processes', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('closes the connections on B of a department that lost access on A, and lets a new one in when it is back', async () => {
    const { a, b } = await twoProcesses(cleanup);
    const clara = await login(a.server.url, users.legal);
    const felix = await login(b.server.url, users.climate);
    const dossierId = await createTestDossier(a.server.url, { session: clara });
    const kopf = documentName(dossierId, 'kopf');
    const text = documentName(dossierId, 'ausgangslage');

    const author = new TestClient(a.wsUrl, clara);
    cleanup.push(() => author.destroy());
    author.open(kopf);
    await author.synced(kopf);
    // Felix reads the text on B, a section A does not even have loaded
    const spy = await RawSyncClient.connect(b.wsUrl, felix.cookie);
    cleanup.push(() => spy.close());
    expect(await spy.authenticate(text)).toBe('authenticated:readonly');
    expect(a.server.collaboration.hocuspocus.documents.has(text)).toBe(false);

    headerRoots(author.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
    await waitFor(() => spy.received.some((m) => m.type === MessageType.Close && m.document === text), { message: 'B kept Felix’s connection open' });
    expect(spy.received.find((m) => m.type === MessageType.Close)!.summary).toBe('forbidden');
    // B's own record of the dossier is the new one: a new connection there is refused too
    const again = await RawSyncClient.connect(b.wsUrl, felix.cookie);
    cleanup.push(() => again.close());
    expect(await again.authenticate(text)).toBe('denied:unknown-document');

    headerRoots(author.doc(kopf)).fields.set('oeffentlichkeit', 'oeffentlich');
    await waitFor(async () => (await b.real.dossiers.get(dossierId))?.public === true, { message: 'the change back was not recorded' });
    const back = await RawSyncClient.connect(b.wsUrl, felix.cookie);
    cleanup.push(() => back.close());
    expect(await back.authenticate(text)).toBe('authenticated:readonly');
  });

  it('closes the sockets on B of a session that logged out on A, at once and only those', async () => {
    // the periodic sweep is an hour away: what closes the socket is the logout announced
    const { a, b } = await twoProcesses(cleanup, { sessionCheckMs: 3_600_000 });
    const lead = await login(a.server.url, users.lead);
    const otherDevice = await login(a.server.url, users.lead);
    const dossierId = await createTestDossier(a.server.url, { session: lead });
    const text = documentName(dossierId, 'ausgangslage');
    const onB = await RawSyncClient.connect(b.wsUrl, lead.cookie);
    const otherOnB = await RawSyncClient.connect(b.wsUrl, otherDevice.cookie);
    cleanup.push(
      () => onB.close(),
      () => otherOnB.close(),
    );
    expect(await onB.authenticate(text)).toMatch(/^authenticated/);
    expect(await otherOnB.authenticate(text)).toMatch(/^authenticated/);

    expect((await api(a.server.url, '/api/auth/logout', { method: 'POST', session: lead })).status).toBe(204);
    expect(await onB.closed).toBe(CloseCode.unauthorized);
    expect(onB.closeReason).toBe('session-ended');
    expect(otherOnB.socket.readyState).toBe(WebSocket.OPEN);
  });
});
