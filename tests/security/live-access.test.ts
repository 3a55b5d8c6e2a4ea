/**
 * Access is re-decided on open connections, not only when they open: a
 * dossier turned nichtöffentlich, a session that ended (logout, password
 * change, expiry, idle) — whatever changes what the policy reads takes
 * effect on every open socket at once. Real server, real sockets.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '../../dossier/close-codes';
import { documentName, headerRoots } from '../../dossier/layout';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { encodeMessage, MessageType, RawSyncClient } from '../support/raw-sync';
import { api, createTestDossier, login, startTestServer, TestClient, typeInto, users, waitFor, type Session, type TestServer } from '../support/server';

const SECRET = 'STRENG VERTRAULICH Personalakte';
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
function client(s: TestServer, session: Session): TestClient {
  const c = new TestClient(s.wsUrl, session);
  cleanups.push(() => c.destroy());
  return c;
}
async function raw(s: TestServer, session?: Session): Promise<RawSyncClient & { bytes: Buffer[] }> {
  const c = await RawSyncClient.connect(s.wsUrl, session?.cookie);
  const bytes: Buffer[] = [];
  c.socket.on('message', (data: Buffer) => bytes.push(Buffer.from(data)));
  cleanups.push(() => c.close());
  return Object.assign(c, { bytes });
}
/** A read: sync step 1 with an empty state vector asks for the whole document. */
const syncStep1 = (name: string) =>
  encodeMessage(name, (e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
  });
/** Clara (Rechtsamt) with a new dossier she leads, and Felix (Klimaschutz), whom its access concerns; the dossier's header and a text section. */
async function claraAndFelix(s: TestServer, dossier: { title?: string; involvedDepartmentIds?: string[] } = {}) {
  const clara = await login(s.url, users.legal);
  const felix = await login(s.url, users.climate);
  const dossierId = await createTestDossier(s.url, { ...dossier, session: clara });
  return { clara, felix, dossierId, kopf: documentName(dossierId, 'kopf'), text: documentName(dossierId, 'ausgangslage') };
}
const saw = (c: { bytes: Buffer[] }, text: string) => c.bytes.some((b) => b.includes(Buffer.from(text)));

describe('a dossier turned nichtöffentlich', () => {
  it('closes the open connections of departments that lost access before the next text reaches them', async () => {
    const s = await server();
    const { clara, felix, dossierId, kopf, text } = await claraAndFelix(s, { title: 'Grundstücksangelegenheit' });

    const spy = await raw(s, felix);
    expect(await spy.authenticate(kopf)).toBe('authenticated:readonly');
    expect(await spy.authenticate(text)).toBe('authenticated:readonly');
    await spy.fetchDocument(text);

    const author = client(s, clara);
    author.open(kopf);
    author.open(text);
    await Promise.all([author.synced(kopf), author.synced(text)]);
    // the lead types openly first: Felix may still read that
    typeInto(author.doc(text), 'Noch öffentlich.');
    await waitFor(() => saw(spy, 'Noch öffentlich.'), { message: 'Felix did not receive the public text' });

    headerRoots(author.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
    typeInto(author.doc(text), SECRET);
    await author.storedAll(text);
    await waitFor(async () => (await s.storage.dossiers.get(dossierId))?.public === false, { message: 'dossier not recorded nichtöffentlich' });

    expect(saw(spy, SECRET)).toBe(false);
    for (const name of [kopf, text]) {
      const connections = s.collaboration.hocuspocus.documents.get(name)!.getConnections();
      expect(connections.map((c) => (c.context as { user: { id: string } }).user.id)).not.toContain(felix.user.id);
    }
    // a new connection of Felix is refused alike, and REST shows him nothing
    const again = await raw(s, felix);
    expect(await again.authenticate(text)).toBe('denied:unknown-document');
    expect((await api(s.url, `/api/dossiers/${dossierId}`, { session: felix })).status).toBe(404);
    // the lead keeps writing; an involved department or a clerk would keep reading
    expect(author.refusals).toEqual([]);
  });

  it('lets them back in when it turns öffentlich again', async () => {
    const s = await server();
    const { clara, felix, dossierId, kopf } = await claraAndFelix(s);
    const author = client(s, clara);
    author.open(kopf);
    await author.synced(kopf);
    headerRoots(author.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
    await waitFor(async () => (await s.storage.dossiers.get(dossierId))?.public === false);
    expect(await (await raw(s, felix)).authenticate(kopf)).toBe('denied:unknown-document');
    headerRoots(author.doc(kopf)).fields.set('oeffentlichkeit', 'oeffentlich');
    await waitFor(async () => (await s.storage.dossiers.get(dossierId))?.public === true);
    expect(await (await raw(s, felix)).authenticate(kopf)).toBe('authenticated:readonly');
  });
});

describe('the involved departments follow the live header', () => {
  // a long store debounce: what changes access here is the live header, not the next store
  const slowStore = { storeDebounceMs: 60_000, storeMaxDebounceMs: 120_000 };
  const involvedOf = async (s: TestServer, dossierId: string) => (await s.storage.dossiers.get(dossierId))?.involvedDepartmentIds;

  it('lets the users of a department picked in Beteiligte Dienststellen open a nichtöffentlich dossier at once', async () => {
    const s = await server(slowStore);
    const { clara, felix, dossierId, kopf } = await claraAndFelix(s, { title: 'Grundstückstausch Klimawald' });
    const author = client(s, clara);
    author.open(kopf);
    await author.synced(kopf);
    headerRoots(author.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
    await waitFor(async () => (await s.storage.dossiers.get(dossierId))?.public === false);
    expect(await (await raw(s, felix)).authenticate(kopf)).toBe('denied:unknown-document');

    // an unknown id and the lead's own department are not involved; Felix's department is
    headerRoots(author.doc(kopf)).fields.set('beteiligt', ['gibt-es-nicht', 'rechtsamt', 'klimaschutz']);
    await waitFor(async () => (await involvedOf(s, dossierId))?.includes('klimaschutz') === true, { message: 'involved departments not recorded' });
    expect(await involvedOf(s, dossierId)).toEqual(['klimaschutz']);
    const spy = await raw(s, felix);
    expect(await spy.authenticate(kopf)).toBe('authenticated:readonly');
    expect(await spy.authenticate(documentName(dossierId, 'ausgangslage'))).toBe('authenticated:readonly');
    expect((await api(s.url, `/api/dossiers/${dossierId}`, { session: felix })).status).toBe(200);
  });

  it('reads names that older dossiers hold as the departments of those names, whatever their case', async () => {
    const s = await server(slowStore);
    const jana = await login(s.url, users.lead);
    const dossierId = await createTestDossier(s.url, { session: jana });
    const kopf = documentName(dossierId, 'kopf');
    const author = client(s, jana);
    author.open(kopf);
    await author.synced(kopf);
    headerRoots(author.doc(kopf)).fields.set('beteiligt', ['Kämmerei', 'kämmerei', 'RECHTSAMT', 'Stadtwerke']);
    await waitFor(async () => (await involvedOf(s, dossierId))?.length === 2, { message: 'involved departments not recorded' });
    expect(await involvedOf(s, dossierId)).toEqual(['kaemmerei', 'rechtsamt']);
  });

  it('closes the open connections of a department taken off the list (forbidden) before the next text reaches them', async () => {
    const s = await server(slowStore);
    const { clara, felix, dossierId, kopf, text } = await claraAndFelix(s, {
      title: 'Personalangelegenheit Klimaschutz',
      involvedDepartmentIds: ['klimaschutz'],
    });
    // creation wrote the involved department into the header
    const view = await api(s.url, `/api/dossiers/${dossierId}`, { session: clara });
    expect(
      (view.body as { sections: { id: string; content: { fields: Record<string, unknown> } }[] }).sections.find((x) => x.id === 'kopf')!.content.fields
        .beteiligt,
    ).toEqual(['klimaschutz']);

    const author = client(s, clara);
    author.open(kopf);
    author.open(text);
    await Promise.all([author.synced(kopf), author.synced(text)]);
    headerRoots(author.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
    await waitFor(async () => (await s.storage.dossiers.get(dossierId))?.public === false);

    // Felix's department is involved: he reads the nichtöffentlich text live
    const spy = await raw(s, felix);
    expect(await spy.authenticate(kopf)).toBe('authenticated:readonly');
    expect(await spy.authenticate(text)).toBe('authenticated:readonly');
    await spy.fetchDocument(text);
    typeInto(author.doc(text), 'Für die Beteiligten.');
    await waitFor(() => saw(spy, 'Für die Beteiligten.'), { message: 'Felix did not receive the text of his dossier' });

    headerRoots(author.doc(kopf)).fields.set('beteiligt', []);
    typeInto(author.doc(text), SECRET);
    await waitFor(() => spy.received.filter((m) => m.type === MessageType.Close && m.summary === 'forbidden').length === 2, {
      message: 'connections not closed as forbidden',
    });
    expect(
      spy.received
        .filter((m) => m.type === MessageType.Close)
        .map((m) => m.document)
        .sort(),
    ).toEqual([kopf, text].sort());
    await waitFor(async () => (await involvedOf(s, dossierId))?.length === 0);
    // the secret was typed after the change: it never reached Felix
    const probe = client(s, clara);
    probe.open(text);
    await probe.synced(text);
    expect(probe.doc(text).getXmlFragment('content').toString()).toContain(SECRET);
    expect(saw(spy, SECRET)).toBe(false);
    expect(await (await raw(s, felix)).authenticate(text)).toBe('denied:unknown-document');
    expect(author.refusals).toEqual([]);
  });
});

describe('the header is watched while any section of the dossier is open here', () => {
  it('a section unloading does not forget the dossier; the last one does', async () => {
    const s = await server();
    const { clara, felix, dossierId, kopf, text } = await claraAndFelix(s);
    const reader = client(s, clara);
    reader.open(text);
    await reader.synced(text);
    const author = client(s, clara);
    author.open(kopf);
    await author.synced(kopf);
    const spy = await raw(s, felix);
    expect(await spy.authenticate(kopf)).toBe('authenticated:readonly');
    expect(s.collaboration.access.openDossiers()).toEqual([dossierId]);

    reader.destroy();
    await waitFor(() => !s.collaboration.hocuspocus.documents.has(text), { message: 'the text section did not unload' });
    expect(s.collaboration.access.openDossiers()).toEqual([dossierId]);
    headerRoots(author.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
    await waitFor(() => spy.received.some((m) => m.type === MessageType.Close && m.document === kopf), { message: 'Felix kept the header open' });
    expect(spy.received.find((m) => m.type === MessageType.Close)!.summary).toBe('forbidden');

    author.destroy();
    await waitFor(() => s.collaboration.access.openDossiers().length === 0, { message: 'the dossier stayed open after its last section unloaded' });
  });

  it('records and announces a change of access once, and nothing for header edits that change no access', async () => {
    const s = await server();
    const clara = await login(s.url, users.legal);
    const dossierId = await createTestDossier(s.url, { session: clara });
    const kopf = documentName(dossierId, 'kopf');
    const author = client(s, clara);
    author.open(kopf);
    await author.synced(kopf);
    const setPublic = vi.spyOn(s.storage.dossiers, 'setPublic');
    const setInvolved = vi.spyOn(s.storage.dossiers, 'setInvolvedDepartments');
    /** Sets a header field and waits until the server's document holds it: the watcher has seen it then. */
    const edit = async (field: string, value: unknown) => {
      headerRoots(author.doc(kopf)).fields.set(field, value);
      const live = () => headerRoots(s.collaboration.hocuspocus.documents.get(kopf)!).fields.get(field);
      await waitFor(() => JSON.stringify(live()) === JSON.stringify(value), { message: `the server did not receive ${field}` });
    };
    const calls = () => [setPublic.mock.calls.length, setInvolved.mock.calls.length];

    await edit('aktenzeichen', '61.2-0815');
    await edit('berichterstattung', 'Bürgermeisterin');
    expect(calls()).toEqual([0, 0]);
    await edit('oeffentlichkeit', 'nichtoeffentlich');
    expect(setPublic.mock.calls).toEqual([[dossierId, false]]);
    await edit('aktenzeichen', '61.2-0816');
    await edit('oeffentlichkeit', 'nichtoeffentlich');
    expect(calls()).toEqual([1, 0]);

    await edit('beteiligt', ['klimaschutz']);
    expect(setInvolved.mock.calls).toEqual([[dossierId, ['klimaschutz']]]);
    // the same list again, as a new value: no change
    await edit('beteiligt', ['klimaschutz']);
    expect(calls()).toEqual([1, 1]);
    // as long, but another department; then one more
    await edit('beteiligt', ['kaemmerei']);
    await edit('beteiligt', ['kaemmerei', 'klimaschutz']);
    expect(setInvolved.mock.calls.slice(1)).toEqual([
      [dossierId, ['kaemmerei']],
      [dossierId, ['kaemmerei', 'klimaschutz']],
    ]);
    expect(setPublic).toHaveBeenCalledTimes(1);
    await waitFor(async () => (await s.storage.dossiers.get(dossierId))?.involvedDepartmentIds.length === 2);
    // the author's rights never changed: she was told nothing
    expect(author.accessChanges).toEqual([]);
  });
});

describe('ending a session ends its connections', () => {
  async function openSocket(s: TestServer, session: Session, dossierId: string) {
    const c = await raw(s, session);
    const name = documentName(dossierId, 'ausgangslage');
    expect(await c.authenticate(name)).toMatch(/^authenticated/);
    return c;
  }

  // the periodic sweep is an hour away: what closes the sockets here is the session ending
  const noSweep = { sessionCheckMs: 3_600_000 };

  it('logout closes the sockets of that session at once, not those of the same user’s other session', async () => {
    const s = await server(noSweep);
    const lead = await login(s.url, users.lead);
    const otherDevice = await login(s.url, users.lead);
    const dossierId = await createTestDossier(s.url, { session: lead });
    // a socket without a session, opened first, is passed over
    await raw(s);
    const c = await openSocket(s, lead, dossierId);
    const other = await openSocket(s, otherDevice, dossierId);
    expect((await api(s.url, '/api/auth/logout', { method: 'POST', session: lead })).status).toBe(204);
    expect(await c.closed).toBe(CloseCode.unauthorized);
    expect(c.closeReason).toBe('session-ended');
    expect(other.socket.readyState).toBe(WebSocket.OPEN);
    // what others write no longer reaches the closed socket; the other session still receives it
    const writer = client(s, otherDevice);
    const name = documentName(dossierId, 'ausgangslage');
    writer.open(name);
    await writer.synced(name);
    typeInto(writer.doc(name), 'Nach der Abmeldung.');
    await waitFor(() => saw(other, 'Nach der Abmeldung.'));
    expect(saw(c, 'Nach der Abmeldung.')).toBe(false);
  });

  it('a password change by the admin closes all of that user’s sockets at once, and no one else’s', async () => {
    const s = await server(noSweep);
    const lead = await login(s.url, users.lead);
    const admin = await login(s.url, users.admin);
    const dossierId = await createTestDossier(s.url, { session: lead });
    const c = await openSocket(s, lead, dossierId);
    const colleague = await openSocket(s, await login(s.url, users.leadColleague), dossierId);
    const change = await api(s.url, `/api/users/${lead.user.id}`, { method: 'PATCH', session: admin, json: { password: 'Neues-Passwort-für-Jana-2026' } });
    expect(change.status).toBe(200);
    expect(await c.closed).toBe(CloseCode.unauthorized);
    expect(colleague.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('an expired session closes its sockets', async () => {
    const s = await server({ sessionTtlMs: 1500, sessionCheckMs: 100 });
    const lead = await login(s.url, users.lead);
    const dossierId = await createTestDossier(s.url, { session: lead });
    const c = await openSocket(s, lead, dossierId);
    expect(await c.closed).toBe(CloseCode.unauthorized);
    expect((await api(s.url, '/api/auth/me', { session: lead })).status).toBe(401);
  });

  it('an idle session expires, while one in use does not', async () => {
    const s = await server({ sessionIdleMs: 2000, sessionCheckMs: 100 });
    const idle = await login(s.url, users.lead);
    const busy = await login(s.url, users.leadColleague);
    const dossierId = await createTestDossier(s.url, { session: idle });
    const idleSocket = await openSocket(s, idle, dossierId);
    const writer = client(s, busy);
    const name = documentName(dossierId, 'ausgangslage');
    writer.open(name);
    await writer.synced(name);
    let closed: number | undefined;
    void idleSocket.closed.then((code) => (closed = code));
    const started = Date.now();
    // edits count as use; the idle session's socket keeps reading (asks for the document), which does not:
    // it is closed while it reads, and the writer's session lives on for longer than the idle time
    while (closed === undefined || Date.now() - started < 3500) {
      expect(Date.now() - started, 'the reading session was not closed').toBeLessThan(15_000);
      typeInto(writer.doc(name), 'x');
      if (closed === undefined) idleSocket.send(syncStep1(name));
      await writer.storedAll(name);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(closed).toBe(CloseCode.unauthorized);
    expect((await api(s.url, '/api/auth/me', { session: idle })).status).toBe(401);
    expect((await api(s.url, '/api/auth/me', { session: busy })).status).toBe(200);
    expect(writer.refusals).toEqual([]);
  });
});

describe('idle sessions and the list page', () => {
  it('a background refresh does not keep an idle session alive; an ordinary request does', async () => {
    const s = await server({ sessionIdleMs: 1200 });
    const active = await login(s.url, users.clerk);
    const polling = await login(s.url, users.reader);
    const started = Date.now();
    const background = () => api(s.url, '/api/dossiers', { session: polling, headers: { 'x-background-refresh': '1' } });
    while ((await background()).status === 200) {
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await api(s.url, '/api/dossiers', { session: active })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
    }
    // it lapsed after the idle time, though the list kept asking; the clerk's requests kept hers alive
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000 - 100);
    await new Promise((r) => setTimeout(r, 500));
    expect((await api(s.url, '/api/dossiers', { session: active })).status).toBe(200);
  });
});
