/**
 * Server-enforced ownership on the collaboration WebSocket, attacked with a
 * raw client that speaks the sync protocol itself: refused updates leave the
 * live and the stored document byte-for-byte unchanged, while the legitimate
 * editors' changes go through.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { budgetLineToY, budgetRoots, documentName, headerRoots } from '../../dossier/layout';
import { configFromEnv } from '../../server/config';
import { RawSyncClient } from '../support/raw-sync';
import {
  api,
  createTestDossier,
  createTestUser,
  login,
  projectRoot,
  startTestServer,
  TestClient,
  typeInto,
  users,
  waitFor,
  type Session,
  type TestServer,
} from '../support/server';
import { loadTemplates } from '../../server/templates/loader';

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;

let server: TestServer;
let lead: Session;
let finance: Session;
let reader: Session;
const open: { close(): void }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [lead, finance, reader] = await Promise.all([login(server.url, users.lead), login(server.url, users.finance), login(server.url, users.viewer)]);
});
afterAll(async () => {
  for (const client of open) client.close();
  await server.close();
});

async function raw(session?: Session, wsUrl = server.wsUrl): Promise<RawSyncClient> {
  const client = await RawSyncClient.connect(wsUrl, session?.cookie);
  open.push(client);
  return client;
}
function client(session: Session, wsUrl = server.wsUrl): TestClient {
  const c = new TestClient(wsUrl, session);
  open.push({ close: () => c.destroy() });
  return c;
}

/** Live state in the server's memory (if loaded) and the stored state with its JSON, as bytes and text. */
async function states(dossierId: string, sectionId: string) {
  const live = server.collaboration.hocuspocus.documents.get(documentName(dossierId, sectionId));
  const stored = (await server.storage.dossiers.loadSectionState(dossierId, sectionId))!;
  const content = JSON.stringify((await server.storage.dossiers.getSectionContents(dossierId)).get(sectionId)?.content);
  return { live: live ? Buffer.from(Y.encodeStateAsUpdate(live)).toString('hex') : null, stored: Buffer.from(stored).toString('hex'), content };
}

describe('section ownership on the WebSocket', () => {
  it('refuses a finance user’s crafted update to the problem section, while the lead’s edits go through', async () => {
    const dossierId = await createTestDossier(server.url, { session: lead });
    const name = documentName(dossierId, 'ausgangslage');
    const author = client(lead);
    author.open(name);
    await author.synced(name);
    typeInto(author.doc(name), 'Text der federführenden Stelle.');
    await author.storedAll(name);
    const before = await states(dossierId, 'ausgangslage');

    const attacker = await raw(finance);
    expect(await attacker.authenticate(name)).toBe('authenticated:readonly');
    const copy = await attacker.fetchDocument(name);
    attacker.sendEdit(name, copy, (doc) => typeInto(doc, ' Von der Kämmerei eingeschmuggelt.'));
    attacker.sendEdit(name, copy, (doc) => doc.getXmlFragment('content').delete(0, 1), 'step2');
    await waitFor(() => attacker.count(name, 'refused') === 2, { message: () => JSON.stringify(attacker.received) });
    expect(await states(dossierId, 'ausgangslage')).toEqual(before);
    expect(JSON.stringify(author.doc(name).getXmlFragment('content').toJSON())).not.toContain('eingeschmuggelt');

    typeInto(author.doc(name), ' Und weiter.');
    await author.storedAll(name);
    const after = await states(dossierId, 'ausgangslage');
    expect(after.content).toContain('Text der federführenden Stelle. Und weiter.');
    expect(after.content).not.toContain('eingeschmuggelt');
  });

  it('lets the finance office write the budget section, and no one else', async () => {
    const dossierId = await createTestDossier(server.url, { session: lead });
    const name = documentName(dossierId, 'finanzen');
    const kaemmerei = await raw(finance);
    expect(await kaemmerei.authenticate(name)).toBe('authenticated:read-write');
    const copy = await kaemmerei.fetchDocument(name);
    kaemmerei.sendEdit(name, copy, (doc) =>
      budgetRoots(doc).lines.push([
        budgetLineToY({
          id: 'wartung',
          costType: 'sach',
          recurrence: 'laufend',
          description: 'Wartungsvertrag',
          account: { produkt: '1.1.1.08', kostenstelle: '', sachkonto: '', haushaltsstelle: '' },
          amounts: { [String(new Date().getFullYear())]: 1_200_000 },
        }),
      ]),
    );
    await waitFor(() => kaemmerei.count(name, 'saved') === 1, { message: () => JSON.stringify(kaemmerei.received) });
    await waitFor(async () => (await states(dossierId, 'finanzen')).content.includes('Wartungsvertrag'), { message: 'budget line was not stored' });

    const before = await states(dossierId, 'finanzen');
    const author = await raw(lead);
    expect(await author.authenticate(name)).toBe('authenticated:readonly');
    const authorCopy = await author.fetchDocument(name);
    author.sendEdit(name, authorCopy, (doc) => budgetRoots(doc).lines.delete(0, 1));
    await waitFor(() => author.count(name, 'refused') === 1);
    expect(await states(dossierId, 'finanzen')).toEqual(before);
  });

  it('refuses the updates of a user who writes nothing, in every section', async () => {
    const dossierId = await createTestDossier(server.url, { session: lead });
    const attacker = await raw(reader);
    const copies = new Map<string, Y.Doc>();
    for (const section of template.sections) {
      const name = documentName(dossierId, section.id);
      expect(await attacker.authenticate(name), section.id).toBe('authenticated:readonly');
      copies.set(name, await attacker.fetchDocument(name));
    }
    const before = Object.fromEntries(await Promise.all(template.sections.map(async (s) => [s.id, await states(dossierId, s.id)])));
    for (const section of template.sections) {
      const name = documentName(dossierId, section.id);
      attacker.sendEdit(name, copies.get(name)!, (doc) => doc.getMap('eingeschmuggelt').set('von', 'Leserin'));
      await waitFor(() => attacker.count(name, 'refused') === 1, { message: `no refusal for ${section.id}` });
    }
    for (const section of template.sections) expect(await states(dossierId, section.id), section.id).toEqual(before[section.id]);
  });

  it('refuses clients without a valid session before anything is read or applied', async () => {
    const dossierId = await createTestDossier(server.url, { session: lead });
    const name = documentName(dossierId, 'beschlussvorschlag');
    const before = await states(dossierId, 'beschlussvorschlag');
    for (const cookie of [undefined, 'rd_session=gefaelscht', `rd_session=${'x'.repeat(43)}`]) {
      const stranger = await RawSyncClient.connect(server.wsUrl, cookie);
      open.push(stranger);
      const copy = new Y.Doc();
      stranger.sendEdit(name, copy, (doc) => typeInto(doc, 'Anonym.'));
      expect(await stranger.authenticate(name)).toBe('denied:unauthorized');
      stranger.sendEdit(name, copy, (doc) => typeInto(doc, 'Noch einmal.'));
      // answered after the edit before it on this connection: the server has handled that edit
      expect(await stranger.authenticate(name)).toBe('denied:unauthorized');
      expect(stranger.received.some((m) => m.summary === 'step2' || m.summary === 'saved')).toBe(false);
    }
    expect(await states(dossierId, 'beschlussvorschlag')).toEqual(before);
  });

  it('hides a nichtöffentlich dossier from users outside its departments, like a missing one', async () => {
    const hiddenId = await createTestDossier(server.url, { session: lead, title: 'Nichtöffentliche Vergabe', involvedDepartmentIds: ['kaemmerei'] });
    const kopf = documentName(hiddenId, 'kopf');
    const author = client(lead);
    author.open(kopf);
    await author.synced(kopf);
    headerRoots(author.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
    await author.storedAll(kopf);

    const outsider = await raw(reader);
    expect(await outsider.authenticate(documentName(hiddenId, 'ausgangslage'))).toBe('denied:unknown-document');
    expect(await outsider.authenticate(documentName('gibtesnicht', 'ausgangslage'))).toBe('denied:unknown-document');
    const involved = await raw(finance);
    expect(await involved.authenticate(documentName(hiddenId, 'ausgangslage'))).toBe('authenticated:readonly');
  });
});

describe('permission changes reach open connections at once', () => {
  it('downgrades a finance user whose role is taken away through the admin API, and upgrades again', async () => {
    const dossierId = await createTestDossier(server.url, { session: lead });
    const name = documentName(dossierId, 'finanzen');
    const colleague = await createTestUser(server.url, { departmentId: 'kaemmerei', roles: ['finance'] });
    const kaemmerei = client(colleague);
    kaemmerei.open(name);
    await kaemmerei.synced(name);
    expect(kaemmerei.readOnly.get(name)).toBe(false);

    const admin = await login(server.url, users.admin);
    const patch = (roles: string[]) => api(server.url, `/api/users/${colleague.user.id}`, { method: 'PATCH', json: { roles }, session: admin });
    expect((await patch(['signatory'])).status).toBe(200);
    await waitFor(() => kaemmerei.readOnly.get(name) === true, { message: 'the connection was not downgraded' });
    const before = await states(dossierId, 'finanzen');
    budgetRoots(kaemmerei.doc(name)).settings.set('followUpCosts', 'nach der Herabstufung');
    // the server's answer to that very update
    await waitFor(() => kaemmerei.refusedUpdates.get(name) === 1, { message: 'the update after the downgrade was not refused' });
    expect((await states(dossierId, 'finanzen')).live).toBe(before.live);

    expect((await patch(['finance'])).status).toBe(200);
    await waitFor(() => kaemmerei.readOnly.get(name) === false, { message: 'the connection was not upgraded' });
  });

  it('follows changes made by another process (the users CLI) within the default poll interval', async () => {
    // the production default, not the short one of the other tests
    const pollMs = configFromEnv().userChangePollMs;
    const own = await startTestServer({ userChangePollMs: pollMs });
    try {
      const dossierId = await createTestDossier(own.url);
      const colleague = await createTestUser(own.url, { departmentId: 'smart-city', roles: ['author'] });
      const names = ['ausgangslage', 'zielgruppen'].map((s) => documentName(dossierId, s));
      const author = client(colleague, own.wsUrl);
      for (const name of names) author.open(name);
      for (const name of names) await author.synced(name);
      expect(names.map((n) => author.readOnly.get(n))).toEqual([false, false]);

      /** `npm run users -- set …` in its own process; resolves when it has exited (its change is committed by then). */
      const cli = (...args: string[]) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', join(projectRoot, 'server/accounts/cli.ts'), 'set', colleague.user.username, ...args], {
          cwd: projectRoot,
          env: { ...process.env, DATA_DIR: own.dataDir },
        });
      // one poll interval at most, and a margin for the refresh itself on a busy machine
      const bound = pollMs * 1.5;
      const connected = () =>
        names.filter((n) =>
          own.collaboration.hocuspocus.documents
            .get(n)
            ?.getConnections()
            .some((c) => (c.context as { user: { id: string } }).user.id === colleague.user.id),
        );

      // moved to the legal office: no longer of the lead department
      expect((await cli('--department', 'rechtsamt')).stdout).toContain('geändert');
      let changed = Date.now();
      await waitFor(() => names.every((n) => author.readOnly.get(n) === true), {
        timeout: bound,
        message: `not downgraded within ${bound} ms of the department change`,
      });
      expect(Date.now() - changed).toBeLessThanOrEqual(bound);

      // disabled: the connections are closed and the session is gone
      expect(connected()).toEqual(names);
      await cli('--disable');
      changed = Date.now();
      await waitFor(() => connected().length === 0, { timeout: bound, message: `connections of the disabled user stayed open longer than ${bound} ms` });
      expect(Date.now() - changed).toBeLessThanOrEqual(bound);
      expect((await api(own.url, '/api/auth/me', { session: colleague })).status).toBe(401);
    } finally {
      await own.close();
    }
  }, 30_000);
});

describe('audit log', () => {
  it('records who connected to which dossier and who changed which section', async () => {
    const dossierId = await createTestDossier(server.url, { session: lead });
    const ausgangslage = documentName(dossierId, 'ausgangslage');
    const finanzen = documentName(dossierId, 'finanzen');

    // the reader connects and tries to write; refused
    const leser = await raw(reader);
    expect(await leser.authenticate(ausgangslage)).toBe('authenticated:readonly');
    leser.sendEdit(ausgangslage, await leser.fetchDocument(ausgangslage), (doc) => typeInto(doc, 'Von der Leserin.'));
    await waitFor(() => leser.count(ausgangslage, 'refused') === 1, { message: 'the reader’s update was not refused' });
    // then the lead and the finance office write, stored after the refusal
    const author = client(lead);
    const kaemmerei = client(finance);
    author.open(ausgangslage);
    kaemmerei.open(finanzen);
    await Promise.all([author.synced(ausgangslage), kaemmerei.synced(finanzen)]);
    typeInto(author.doc(ausgangslage), 'Text der federführenden Stelle.');
    budgetRoots(kaemmerei.doc(finanzen)).settings.set('followUpCosts', 'keine');
    await Promise.all([author.storedAll(ausgangslage), kaemmerei.storedAll(finanzen)]);

    const clerk = await login(server.url, users.clerk);
    const { body } = await api(server.url, `/api/audit?dossierId=${dossierId}&limit=1000`, { session: clerk });
    const entries = body as { action: string; username: string; sectionId: string | null }[];
    expect(entries.some((e) => e.action === 'dossier.connected' && e.username === users.viewer)).toBe(true);
    expect(entries.some((e) => e.action === 'section.changed' && e.username === users.lead && e.sectionId === 'ausgangslage')).toBe(true);
    expect(entries.some((e) => e.action === 'section.changed' && e.username === users.finance && e.sectionId === 'finanzen')).toBe(true);
    // refused updates change nothing, so they are not in the log as changes
    expect(entries.some((e) => e.action === 'section.changed' && e.username === users.viewer)).toBe(false);
  });

  it('records that a session opened a dossier once, however many sections and connections it opens; a new session again', async () => {
    const dossierId = await createTestDossier(server.url, { session: lead });
    const sections = ['ausgangslage', 'finanzen', 'betreff'].map((section) => documentName(dossierId, section));
    const session = await login(server.url, users.lead);
    const first = client(session);
    for (const name of sections) first.open(name);
    await Promise.all(sections.map((name) => first.synced(name)));
    first.destroy();
    const again = client(session);
    again.open(sections[0]!);
    await again.synced(sections[0]!);
    const clerk = await login(server.url, users.clerk);
    const connections = async () => {
      const { body } = await api(server.url, `/api/audit?dossierId=${dossierId}&limit=1000`, { session: clerk });
      return (body as { action: string; username: string }[]).filter((e) => e.action === 'dossier.connected' && e.username === users.lead).length;
    };
    expect(await connections()).toBe(1);
    const next = client(await login(server.url, users.lead));
    next.open(sections[1]!);
    await next.synced(sections[1]!);
    expect(await connections()).toBe(2);
  });
});
