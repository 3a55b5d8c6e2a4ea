/**
 * A change of access seen in the live header of one process reaches the open connections of
 * the others at once, and so does a logout: the process that sees it records it, then announces it, and each other
 * process re-decides its own connections to the dossier from the record. Two servers in this
 * process (two-processes.ts), so that mutation testing reaches the code; tests/cluster shows
 * the same with real processes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redisEvents } from '../../server/cluster/redis';
import { redisUrl } from '../support/redis';
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
    vi.restoreAllMocks();
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** Clara (Rechtsamt) has the dossier's header open on A; Felix (Klimaschutz) is logged in on B. */
  async function claraOnAFelixOnB() {
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
    return { a, b, felix, dossierId, kopf, text, author };
  }

  it('closes the connections on B of a department that lost access on A, and lets a new one in when it is back', async () => {
    const { a, b, felix, dossierId, kopf, text, author } = await claraOnAFelixOnB();
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

  it('decides again a connection whose section was still loading when the change of access arrived', async () => {
    const { b, felix, dossierId, kopf, text, author } = await claraOnAFelixOnB();

    // B reads what it learns of the dossier from the database: count the reads that see it nichtöffentlich
    const get = b.storage.dossiers.get;
    let seenHidden = 0;
    vi.spyOn(b.storage.dossiers, 'get').mockImplementation(async (id) => {
      const dossier = await get(id);
      if (id === dossierId && dossier?.public === false) seenHidden += 1;
      return dossier;
    });
    // Hocuspocus says "authenticated" before it loads the section; B's load waits at the gate
    let openGate!: () => void;
    b.control.loadGate = new Promise((resolve) => {
      openGate = resolve;
    });
    const spy = await RawSyncClient.connect(b.wsUrl, felix.cookie);
    cleanup.push(() => spy.close());
    expect(await spy.authenticate(text)).toBe('authenticated:readonly');
    await waitFor(() => b.control.stateReads.includes('ausgangslage'), { message: 'B did not start loading the section' });

    headerRoots(author.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
    await waitFor(() => seenHidden > 0, { message: 'B did not hear of the change' });
    // B has re-decided the connections it has; Felix's joins only now
    openGate();
    await waitFor(() => spy.received.some((m) => m.type === MessageType.Close && m.document === text), { message: 'B kept Felix’s late connection open' });
    expect(spy.received.find((m) => m.type === MessageType.Close)!.summary).toBe('forbidden');
  });

  it('announces each change of access once, and nothing for header edits that change none, on either process', async () => {
    const { prefix, a, b } = await twoProcesses(cleanup);
    const listener = await redisEvents(redisUrl, prefix);
    cleanup.push(() => listener.close());
    const announced: boolean[] = [];
    const clara = await login(a.server.url, users.legal);
    const dossierId = await createTestDossier(a.server.url, { session: clara });
    listener.subscribe((event) => {
      if (event.type === 'dossier-access' && event.dossierId === dossierId) announced.push(true);
    });
    const kopf = documentName(dossierId, 'kopf');
    const onA = new TestClient(a.wsUrl, clara);
    const onB = new TestClient(b.wsUrl, clara);
    cleanup.push(
      () => onA.destroy(),
      () => onB.destroy(),
    );
    onA.open(kopf);
    onB.open(kopf);
    await Promise.all([onA.synced(kopf), onB.synced(kopf)]);
    const recordedOnB = vi.spyOn(b.storage.dossiers, 'setPublic');
    /** Sets a header field through `client` and waits until both processes' documents hold it. */
    const edit = async (client: TestClient, field: string, value: string) => {
      headerRoots(client.doc(kopf)).fields.set(field, value);
      for (const server of [a.server, b.server]) {
        await waitFor(() => headerRoots(server.collaboration.hocuspocus.documents.get(kopf)!).fields.get(field) === value, {
          message: `${field} did not arrive`,
        });
      }
    };

    await edit(onA, 'oeffentlichkeit', 'nichtoeffentlich');
    await waitFor(() => announced.length === 1, { message: 'the change was not announced' });
    // B learned of it from the record: edits there compare with the new state, and record nothing
    await waitFor(async () => (await b.real.dossiers.get(dossierId))?.public === false);
    await edit(onA, 'aktenzeichen', '61.2-0815');
    await edit(onB, 'aktenzeichen', '61.2-0816');
    await edit(onB, 'berichterstattung', 'Bürgermeisterin');
    // one more change of access: when it is announced, nothing else was in between
    await edit(onA, 'oeffentlichkeit', 'oeffentlich');
    await waitFor(() => announced.length >= 2, { message: 'the second change was not announced' });
    expect(announced).toHaveLength(2);
    expect(recordedOnB).not.toHaveBeenCalledWith(dossierId, false);
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
