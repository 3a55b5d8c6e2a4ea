/**
 * Files of removed Anlagen against real servers, real HTTP, real SQLite files and a co-editor's real provider:
 * a removed Anlage keeps its file for ATTACHMENT_KEEP_DAYS, so the co-editor's undo finds it again; a file no
 * Anlage held for longer is deleted when the Anlagen section is stored, with an audit entry; a file a released
 * version holds is kept whatever happens to its Anlage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AttachmentFileView } from '../../dossier/attachment-files';
import { attachmentsRoots, deleteRow, documentName, readAttachment, rowsInOrder } from '../../dossier/layout';
import { sweepUnreferencedFiles } from '../../server/attachments/unreferenced-files';
import { pdfBytes } from '../support/files';
import { api, createTestDossier, login, startTestServer, TestClient, users, waitFor, type Session, type TestServer } from '../support/server';
import { completeDossier, signAll, startCosigning, template } from '../workflow/support';

const DAY = 86_400_000;
const anlagen = template.sections.find((section) => section.kind === 'attachments')!;

function upload(server: TestServer, as: Session, dossierId: string, name: string, query: string) {
  return api(server.url, `/api/dossiers/${dossierId}/attachments?${query}`, {
    method: 'POST',
    session: as,
    body: Buffer.from(pdfBytes(name)),
    headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(`${name}.pdf`) },
  });
}

const download = async (server: TestServer, as: Session, dossierId: string, fileId: string) =>
  (await fetch(`${server.url}/api/dossiers/${dossierId}/attachments/${fileId}`, { headers: { cookie: as.cookie } })).status;

/** The co-editor's Anlagen document, its rows, and an undo of its own edits as the page's Ctrl+Z would do it. */
async function coEditorOn(server: TestServer, dossierId: string) {
  const client = new TestClient(server.wsUrl, await login(server.url, users.leadColleague));
  const name = documentName(dossierId, anlagen.id);
  client.open(name);
  await client.synced(name);
  const doc = client.doc(name);
  const { items } = attachmentsRoots(doc);
  return {
    client,
    name,
    doc,
    items,
    undo: new Y.UndoManager(items),
    rows: () => rowsInOrder(items).map(readAttachment),
    remove: (anlageId: string) => doc.transact(() => deleteRow(items, rowsInOrder(items).find((row) => row.get('id') === anlageId)!)),
    /**
     * Runs an edit and waits until the server reports the section stored after it (which it does once the files
     * were swept). Not by the state vector: a removal adds no clock, it only deletes.
     */
    async storing(edit: () => void) {
      const before = client.stored.get(name);
      edit();
      await waitFor(() => client.stored.get(name) !== before, { message: 'the Anlagen were not stored after the edit' });
    },
  };
}

describe('files of removed Anlagen, kept for 30 days', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('keeps the file of a removed Anlage so an undo finds it, and deletes it once it was unreferenced for longer than that', async () => {
    const lead = await login(server.url, users.lead);
    const dossierId = await createTestDossier(server.url, { session: lead, title: 'Anlage entfernt und zurückgeholt' });
    const uploaded = (await upload(server, lead, dossierId, 'Evaluationsbericht', 'public=true')).body as AttachmentFileView;
    const coEditor = await coEditorOn(server, dossierId);
    await waitFor(() => coEditor.rows().some((row) => row.fileId === uploaded.fileId), { message: 'the co-editor never saw the upload' });

    // removed and stored: the file stays
    await coEditor.storing(() => coEditor.remove(uploaded.anlageId!));
    expect(await server.storage.attachments.get(dossierId, uploaded.fileId)).toBeDefined();
    // undone: the Anlage is back with its file, downloadable as before
    await coEditor.storing(() => coEditor.undo.undo());
    expect(coEditor.rows().map((row) => row.fileId)).toEqual([uploaded.fileId]);
    expect(await download(server, lead, dossierId, uploaded.fileId)).toBe(200);
    // held again, the file lost its mark: 31 days later it is still kept
    const dossier = (await server.storage.dossiers.get(dossierId))!;
    await expect(sweepUnreferencedFiles(server.storage, dossier, anlagen, 30 * DAY, new Date(Date.now() + 31 * DAY))).resolves.toEqual([]);
    expect(await server.storage.attachments.get(dossierId, uploaded.fileId)).toBeDefined();

    // removed again: kept 29 days later, deleted once 30 days have passed
    await coEditor.storing(() => coEditor.remove(uploaded.anlageId!));
    await expect(sweepUnreferencedFiles(server.storage, dossier, anlagen, 30 * DAY, new Date(Date.now() + 29 * DAY))).resolves.toEqual([]);
    const deleted = await sweepUnreferencedFiles(server.storage, dossier, anlagen, 30 * DAY, new Date(Date.now() + 31 * DAY));
    expect(deleted.map((file) => file.id)).toEqual([uploaded.fileId]);
    expect(await server.storage.attachments.get(dossierId, uploaded.fileId)).toBeUndefined();
    expect(await download(server, lead, dossierId, uploaded.fileId)).toBe(404);
    const audit = await server.storage.audit.list({ dossierId, limit: 100 });
    expect(audit.some((entry) => entry.action === 'attachment.deleted' && entry.detail?.includes('von keiner Anlage mehr verwendet'))).toBe(true);
    coEditor.client.destroy();
  });
});

describe('files of removed Anlagen, kept for no time (ATTACHMENT_KEEP_DAYS=0)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ unreferencedFileKeepMs: 0 });
  });
  afterAll(() => server?.close());

  it('deletes the file when the section without its Anlage is stored, and leaves the files of the other Anlagen', async () => {
    const lead = await login(server.url, users.lead);
    const dossierId = await createTestDossier(server.url, { session: lead, title: 'Anlage sofort weg' });
    const gone = (await upload(server, lead, dossierId, 'Entwurf', 'public=true')).body as AttachmentFileView;
    const kept = (await upload(server, lead, dossierId, 'Lageplan', 'public=true')).body as AttachmentFileView;
    const coEditor = await coEditorOn(server, dossierId);
    await waitFor(() => coEditor.rows().filter((row) => row.fileId).length === 2, { message: 'the co-editor never saw both uploads' });
    await coEditor.storing(() => coEditor.remove(gone.anlageId!));
    expect(await server.storage.attachments.get(dossierId, gone.fileId)).toBeUndefined();
    expect(await download(server, lead, dossierId, kept.fileId)).toBe(200);
    coEditor.client.destroy();
  });

  it('keeps a file a released version holds when its Anlage is removed in the next revision', async () => {
    const lead = await login(server.url, users.lead);
    const dossierId = await completeDossier(server, { title: 'Freigegeben mit Anlage' });
    const released = (await upload(server, lead, dossierId, 'Evaluationsbericht', 'anlage=evaluation')).body as AttachmentFileView;
    await startCosigning(server, lead, dossierId);
    await signAll(server, dossierId);
    expect(
      (await api(server.url, `/api/dossiers/${dossierId}/release`, { method: 'POST', session: await login(server.url, users.clerk), json: {} })).status,
    ).toBe(201);
    expect((await api(server.url, `/api/dossiers/${dossierId}/revision`, { method: 'POST', session: lead, json: {} })).status).toBe(200);
    const coEditor = await coEditorOn(server, dossierId);
    await waitFor(() => coEditor.client.readOnly.get(coEditor.name) === false, { message: 'the Anlagen stayed read-only in the new revision' });
    await coEditor.storing(() => coEditor.remove('evaluation'));
    expect(await server.storage.attachments.get(dossierId, released.fileId)).toBeDefined();
    const version = await api(server.url, `/api/dossiers/${dossierId}/versions/1/attachments/${released.fileId}`, { session: lead });
    expect(version.status).toBe(200);
    coEditor.client.destroy();
  });
});
