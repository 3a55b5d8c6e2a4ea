/**
 * The drafting history against a real server: snapshots after section stores
 * (at most once per interval while people work, and when the last editor
 * leaves), identical states skipped, authors from who changed what; a section
 * restored from a snapshot reaches another open editor live and is stored;
 * only who may write the section restores it, and a hidden dossier is a 404.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEntry, HistorySnapshotView } from '../../dossier/drafting-history';
import { documentName, headerRoots, readSection } from '../../dossier/layout';
import { richTextPlain } from '../../dossier/schema';
import { findSection } from '../../dossier/template';
import { loadTemplates } from '../../server/templates/loader';
import {
  api,
  createTestDossier,
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

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;
const ausgangslage = findSection(template, 'ausgangslage')!;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWith(historyIntervalMs: number): Promise<TestServer> {
  const server = await startTestServer({ historyIntervalMs });
  cleanups.push(() => server.close());
  return server;
}

function client(server: TestServer, session: Session): TestClient {
  const opened = new TestClient(server.wsUrl, session);
  cleanups.push(() => opened.destroy());
  return opened;
}

async function history(server: TestServer, dossierId: string, session: Session): Promise<HistoryEntry[]> {
  const { status, body } = await api(server.url, `/api/dossiers/${dossierId}/history`, { session });
  expect(status, JSON.stringify(body)).toBe(200);
  return body as HistoryEntry[];
}

async function snapshot(server: TestServer, dossierId: string, id: number, session: Session): Promise<HistorySnapshotView> {
  const { status, body } = await api(server.url, `/api/dossiers/${dossierId}/history/${id}`, { session });
  expect(status, JSON.stringify(body)).toBe(200);
  return body as HistorySnapshotView;
}

const plainOf = (view: HistorySnapshotView, sectionId: string) => richTextPlain(view.sections.find((s) => s.sectionId === sectionId)!.content);

/** Types into a section through the client and waits until the server has stored it (and decided on a snapshot). */
async function typeAndStore(editor: TestClient, name: string, text: string, fragment?: string): Promise<void> {
  if (!editor.providers.has(name)) editor.open(name);
  await editor.synced(name);
  typeInto(editor.doc(name), text, fragment);
  await editor.storedAll(name);
}

describe('snapshots while drafting', () => {
  it('takes one at the first store, none within the interval, the next after it, each with who wrote since the one before', async () => {
    const intervalMs = 3000;
    const server = await serverWith(intervalMs);
    const lead = await login(server.url, users.lead);
    const finance = await login(server.url, users.finance);
    const dossierId = await createTestDossier(server.url, { session: lead });
    const leadEditor = client(server, lead);
    const financeEditor = client(server, finance);
    const text = documentName(dossierId, 'ausgangslage');
    const budget = documentName(dossierId, 'finanzen');

    await typeAndStore(leadEditor, text, 'Erster Absatz.');
    const [first] = await history(server, dossierId, lead);
    expect(first!.id).toBe(1);
    expect(first!.authors).toEqual([{ id: lead.user.id, name: lead.user.displayName }]);

    // within the interval: stored, but no second snapshot
    await typeAndStore(leadEditor, text, ' Noch ein Satz.');
    expect((await history(server, dossierId, lead)).map((e) => e.id)).toEqual([1]);
    expect(plainOf(await snapshot(server, dossierId, 1, lead), 'ausgangslage')).toBe('Erster Absatz.');

    // once the interval has passed, the next store takes one: everything stored since, by both authors
    await waitFor(() => Date.now() - Date.parse(first!.takenAt) > intervalMs, { timeout: intervalMs + 5000 });
    await typeAndStore(financeEditor, budget, 'Kosten trägt der Haushalt.', 'statement');
    const entries = await history(server, dossierId, lead);
    expect(entries.map((e) => e.id)).toEqual([2, 1]);
    expect(entries[0]!.authors.map((a) => a.name).sort()).toEqual([finance.user.displayName, lead.user.displayName].sort());
    expect(Date.parse(entries[0]!.takenAt) - Date.parse(entries[1]!.takenAt)).toBeGreaterThanOrEqual(intervalMs);

    const second = await snapshot(server, dossierId, 2, lead);
    expect(second.sections.map((s) => s.sectionId)).toEqual(template.sections.map((s) => s.id));
    expect(second.sections.find((s) => s.sectionId === 'ausgangslage')!.title).toBe(ausgangslage.title);
    expect(plainOf(second, 'ausgangslage')).toBe('Erster Absatz. Noch ein Satz.');
    expect(richTextPlain((second.sections.find((s) => s.sectionId === 'finanzen')!.content as { statement: unknown }).statement)).toBe(
      'Kosten trägt der Haushalt.',
    );
  });

  it('skips a state equal to the last snapshot', async () => {
    const server = await serverWith(0);
    const lead = await login(server.url, users.lead);
    const dossierId = await createTestDossier(server.url, { session: lead });
    const editor = client(server, lead);
    const kopf = documentName(dossierId, 'kopf');
    editor.open(kopf);
    await editor.synced(kopf);

    headerRoots(editor.doc(kopf)).fields.set('aktenzeichen', 'SC-0001/2026');
    await editor.storedAll(kopf);
    expect(await history(server, dossierId, lead)).toHaveLength(1);

    // a new Yjs change with the same content: stored, but no snapshot
    headerRoots(editor.doc(kopf)).fields.set('aktenzeichen', 'SC-0001/2026');
    await editor.storedAll(kopf);
    expect(await history(server, dossierId, lead)).toHaveLength(1);

    // a real change is snapshotted at once (interval 0)
    headerRoots(editor.doc(kopf)).fields.set('aktenzeichen', 'SC-0002/2026');
    await editor.storedAll(kopf);
    expect((await history(server, dossierId, lead)).map((e) => e.id)).toEqual([2, 1]);
  });

  it('takes one when the last editor leaves, even within the interval', async () => {
    const server = await serverWith(600_000);
    const lead = await login(server.url, users.lead);
    const dossierId = await createTestDossier(server.url, { session: lead });
    const editor = client(server, lead);
    const text = documentName(dossierId, 'ausgangslage');
    await typeAndStore(editor, text, 'Anfang.');
    await typeAndStore(editor, text, ' Ende der Sitzung.');
    expect(await history(server, dossierId, lead)).toHaveLength(1);

    editor.destroy();
    await waitFor(async () => (await history(server, dossierId, lead)).length === 2, { message: 'no snapshot after the last editor left' });
    expect(plainOf(await snapshot(server, dossierId, 2, lead), 'ausgangslage')).toBe('Anfang. Ende der Sitzung.');

    // someone who only looks and leaves takes none
    const reader = client(server, lead);
    reader.open(text);
    await reader.synced(text);
    reader.destroy();
    const loaded = () => [...server.collaboration.hocuspocus.documents.keys()].some((name) => name.startsWith(`${dossierId}/`));
    await waitFor(() => !loaded(), { message: 'the section was not unloaded' });
    expect(await history(server, dossierId, lead)).toHaveLength(2);
  });
});

describe('restoring a section', () => {
  async function twoSnapshots() {
    const server = await serverWith(0);
    const lead = await login(server.url, users.lead);
    const dossierId = await createTestDossier(server.url, { session: lead });
    const editor = client(server, lead);
    const name = documentName(dossierId, 'ausgangslage');
    await typeAndStore(editor, name, 'Fassung eins.');
    await typeAndStore(editor, name, ' Später ergänzt.');
    expect((await history(server, dossierId, lead)).map((e) => e.id)).toEqual([2, 1]);
    return { server, lead, dossierId, name, editor };
  }

  it('by who may write it: another open editor sees it live, it is stored and audited', async () => {
    const { server, lead, dossierId, name } = await twoSnapshots();
    const colleague = client(server, await login(server.url, users.leadColleague));
    colleague.open(name);
    await colleague.synced(name);
    expect(richTextPlain(readSection(colleague.doc(name), ausgangslage))).toBe('Fassung eins. Später ergänzt.');

    const view = await snapshot(server, dossierId, 1, lead);
    // the snapshot as the list shows it, with its sections in the template's order and groups
    expect({ id: view.id, takenAt: view.takenAt, authors: view.authors }).toEqual((await history(server, dossierId, lead)).find((entry) => entry.id === 1));
    expect(view.sections.find((s) => s.sectionId === 'ausgangslage')!.group).toBe('Sachverhalt');
    expect(view.sections.find((s) => s.sectionId === 'ausgangslage')!.canRestore).toBe(true);
    expect(view.sections.find((s) => s.sectionId === 'mitzeichnung')!.canRestore).toBe(false);

    const { status, body } = await api(server.url, `/api/dossiers/${dossierId}/history/1/restore`, {
      method: 'POST',
      session: lead,
      json: { sectionId: 'ausgangslage' },
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual({ sectionId: 'ausgangslage', restoredFrom: 1 });

    await waitFor(() => richTextPlain(readSection(colleague.doc(name), ausgangslage)) === 'Fassung eins.', {
      message: 'the other editor did not see the restore',
    });
    await waitFor(async () => richTextPlain((await server.storage.dossiers.getSectionContents(dossierId)).get('ausgangslage')!.content) === 'Fassung eins.', {
      message: 'the restore was not stored',
    });
    const audit = await server.storage.audit.list({ dossierId, limit: 50 });
    expect(audit.find((e) => e.action === 'section.restored')).toMatchObject({
      userId: lead.user.id,
      sectionId: 'ausgangslage',
      detail: `Stand 1 vom ${view.takenAt}`,
    });
    // the restore is an ordinary change: the next snapshot lists the restorer
    await waitFor(async () => (await history(server, dossierId, lead)).length === 3);
    const afterRestore = await snapshot(server, dossierId, 3, lead);
    expect(plainOf(afterRestore, 'ausgangslage')).toBe('Fassung eins.');
    expect(afterRestore.authors.map((author) => author.id)).toEqual([lead.user.id]);

    // editing goes on from the restored text, for everyone
    typeInto(colleague.doc(name), ' Weiter.');
    await colleague.storedAll(name);
    expect(richTextPlain((await server.storage.dossiers.getSectionContents(dossierId)).get('ausgangslage')!.content)).toBe('Fassung eins. Weiter.');
  });

  it('works with nobody connected: the section is loaded, written, stored and unloaded again', async () => {
    const { server, lead, dossierId, editor } = await twoSnapshots();
    editor.destroy();
    const loaded = () => [...server.collaboration.hocuspocus.documents.keys()].some((name) => name.startsWith(`${dossierId}/`));
    await waitFor(() => !loaded(), { message: 'the section was not unloaded' });

    const { status } = await api(server.url, `/api/dossiers/${dossierId}/history/1/restore`, {
      method: 'POST',
      session: lead,
      json: { sectionId: 'ausgangslage' },
    });
    expect(status).toBe(200);
    // stored before the answer: the direct connection stores when it closes
    expect(richTextPlain((await server.storage.dossiers.getSectionContents(dossierId)).get('ausgangslage')!.content)).toBe('Fassung eins.');
    await waitFor(() => !loaded(), { message: 'the restored section stayed loaded' });
    const reader = client(server, await login(server.url, users.leadColleague));
    const name = documentName(dossierId, 'ausgangslage');
    reader.open(name);
    await reader.synced(name);
    expect(richTextPlain(readSection(reader.doc(name), ausgangslage))).toBe('Fassung eins.');
  });

  it('keeps what it replaces: the stored state is snapshotted first, whatever the interval', async () => {
    const server = await serverWith(600_000);
    const lead = await login(server.url, users.lead);
    const dossierId = await createTestDossier(server.url, { session: lead });
    const editor = client(server, lead);
    const name = documentName(dossierId, 'ausgangslage');
    await typeAndStore(editor, name, 'Alt.');
    await typeAndStore(editor, name, ' Neu.');
    expect(await history(server, dossierId, lead)).toHaveLength(1);

    const { status } = await api(server.url, `/api/dossiers/${dossierId}/history/1/restore`, {
      method: 'POST',
      session: lead,
      json: { sectionId: 'ausgangslage' },
    });
    expect(status).toBe(200);
    await waitFor(() => richTextPlain(readSection(editor.doc(name), ausgangslage)) === 'Alt.');
    expect((await history(server, dossierId, lead)).map((e) => e.id)).toEqual([2, 1]);
    expect(plainOf(await snapshot(server, dossierId, 2, lead), 'ausgangslage')).toBe('Alt. Neu.');
  });

  it('is refused with 403 to who may not write the section, and the section stays as it is', async () => {
    const { server, lead, dossierId } = await twoSnapshots();
    const restore = (session: Session, sectionId: string) =>
      api(server.url, `/api/dossiers/${dossierId}/history/1/restore`, { method: 'POST', session, json: { sectionId } });
    // (a reader does not see drafts at all: 404, tested with the outputs table)
    for (const username of [users.finance, users.viewer, users.clerk]) {
      const { status, body } = await restore(await login(server.url, username), 'ausgangslage');
      expect(status, username).toBe(403);
      expect(body.error).toMatch(/nicht bearbeiten/);
    }
    // the Mitzeichnung is written by the workflow only, not even by the lead
    expect((await restore(lead, 'mitzeichnung')).status).toBe(403);
    const unknown = await restore(lead, 'gibt-es-nicht');
    expect([unknown.status, unknown.body.error]).toEqual([422, 'Den Abschnitt "gibt-es-nicht" gibt es in dieser Vorlage nicht.']);
    expect((await restore(lead, '')).status).toBe(400);
    expect(richTextPlain((await server.storage.dossiers.getSectionContents(dossierId)).get('ausgangslage')!.content)).toBe('Fassung eins. Später ergänzt.');
  });

  it('is refused in a released dossier', async () => {
    const { server, lead, dossierId } = await twoSnapshots();
    // the release itself is tested in tests/workflow; here only what it means for the history, set as the database records it
    expect(await server.storage.dossiers.transition(dossierId, 'draft', 'released', new Date().toISOString())).toBe(true);
    const { status, body } = await api(server.url, `/api/dossiers/${dossierId}/history/1/restore`, {
      method: 'POST',
      session: lead,
      json: { sectionId: 'ausgangslage' },
    });
    expect(status).toBe(403);
    expect(body.error).toMatch(/freigegeben/);
    expect((await snapshot(server, dossierId, 1, lead)).sections.every((s) => !s.canRestore)).toBe(true);
    expect(richTextPlain((await server.storage.dossiers.getSectionContents(dossierId)).get('ausgangslage')!.content)).toBe('Fassung eins. Später ergänzt.');
  });
});

describe('visibility', () => {
  it('answers 404 on list, snapshot and restore to a user who may not see the dossier', async () => {
    const server = await serverWith(0);
    const lead = await login(server.url, users.lead);
    const dossierId = await createTestDossier(server.url, { session: lead, title: 'Geheime Personalsache' });
    const editor = client(server, lead);
    const kopf = documentName(dossierId, 'kopf');
    editor.open(kopf);
    await editor.synced(kopf);
    headerRoots(editor.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
    await editor.storedAll(kopf);
    await waitFor(async () => (await server.storage.dossiers.get(dossierId))?.public === false);
    expect(await history(server, dossierId, lead)).toHaveLength(1);

    const outsider = await login(server.url, users.legal);
    const paths = [`/api/dossiers/${dossierId}/history`, `/api/dossiers/${dossierId}/history/1`, `/api/dossiers/${dossierId}/history/999`];
    for (const path of paths) {
      const { status, body } = await api(server.url, path, { session: outsider });
      expect(status, path).toBe(404);
      expect(JSON.stringify(body)).not.toMatch(/Personalsache|Jana/);
    }
    const restore = await api(server.url, `/api/dossiers/${dossierId}/history/1/restore`, { method: 'POST', session: outsider, json: { sectionId: 'kopf' } });
    expect(restore.status).toBe(404);
    expect(headerRoots(editor.doc(kopf)).fields.get('oeffentlichkeit')).toBe('nichtoeffentlich');

    // the insider: an unknown snapshot is a 404 as well
    expect((await api(server.url, `/api/dossiers/${dossierId}/history/999`, { session: lead })).status).toBe(404);
    expect((await api(server.url, `/api/dossiers/${dossierId}/history/abc`, { session: lead })).status).toBe(404);
  });
});
