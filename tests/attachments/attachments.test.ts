/**
 * Files of Anlagen against a real server, real HTTP and a real SQLite file: upload (each accepted kind), the
 * live Anlage a co-editor sees, the list, the download and who may have it, the PDF's list of Anlagen
 * (pdftotext), refused files that store and change nothing, and a release that keeps every file's bytes.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentFileView } from '../../dossier/attachment-files';
import type { Attachment } from '../../dossier/content';
import { attachmentsRoots, deleteRow, documentName, findAttachment, readAttachment, rowsInOrder } from '../../dossier/layout';
import { sqliteFile } from '../../server/storage/open';
import { pdfText } from '../export/support';
import { docxBytes, pdfBytes, pngBytes, xlsxBytes, zipOf } from '../support/files';
import { api, sessionsOn, createTestDossier, startTestServer, TestClient, users, waitFor, type Session, type TestServer } from '../support/server';
import { completeDossier, signAll, startCosigning } from '../workflow/support';

const MAX_BYTES = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let server: TestServer;
let lead: Session;
let coEditor: TestClient;
let dossierId: string;
const session = sessionsOn(() => server.url);

function upload(as: Session, id: string, bytes: Uint8Array | string, fileName: string | undefined, query: string) {
  return api(server.url, `/api/dossiers/${id}/attachments?${query}`, {
    method: 'POST',
    session: as,
    body: typeof bytes === 'string' ? bytes : Buffer.from(bytes),
    headers: { 'content-type': 'application/octet-stream', ...(fileName === undefined ? {} : { 'x-file-name': encodeURIComponent(fileName) }) },
  });
}

async function download(as: Session, path: string) {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: as.cookie } });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

const anlagenOf = (client: TestClient, id: string): Attachment[] =>
  rowsInOrder(attachmentsRoots(client.doc(documentName(id, 'anlagen'))).items).map(readAttachment);
const files = async (as: Session, id: string) => (await api(server.url, `/api/dossiers/${id}/attachments`, { session: as })).body as AttachmentFileView[];

const pdf = pdfBytes('Evaluationsbericht');
const docx = docxBytes('Stellungnahme');
const xlsx = xlsxBytes();
const png = pngBytes();
const uploaded = new Map<string, AttachmentFileView>();

beforeAll(async () => {
  server = await startTestServer({ attachmentMaxBytes: MAX_BYTES });
  lead = await session(users.lead);
  dossierId = await createTestDossier(server.url, { session: lead, title: 'Anlagen als Dateien' });
  coEditor = new TestClient(server.wsUrl, await session(users.leadColleague));
  coEditor.open(documentName(dossierId, 'anlagen'));
  await coEditor.synced(documentName(dossierId, 'anlagen'));
});
afterAll(async () => {
  coEditor?.destroy();
  await server?.close();
});

describe('uploading files to Anlagen', () => {
  it('takes PDF, DOCX, XLSX and PNG by their content, and a co-editor sees each file in its Anlage at once', async () => {
    const cases = [
      { bytes: pdf, name: 'Evaluationsbericht 2026.pdf', public: true, mediaType: 'application/pdf' },
      {
        bytes: docx,
        name: 'Stellungnahme Rechtsamt.docx',
        public: false,
        mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
      { bytes: xlsx, name: 'Kostenübersicht.xlsx', public: true, mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      { bytes: png, name: 'Lageplan.png', public: true, mediaType: 'image/png' },
    ];
    for (const file of cases) {
      const { status, body } = await upload(lead, dossierId, file.bytes, file.name, `public=${file.public}`);
      expect(status, JSON.stringify(body)).toBe(201);
      expect(body).toMatchObject({ fileName: file.name, mediaType: file.mediaType, size: file.bytes.length, sha256: sha256(file.bytes), public: file.public });
      expect(body.uploadedBy).toBe(lead.user.displayName);
      uploaded.set(file.name, body);
      await waitFor(() => anlagenOf(coEditor, dossierId).some((anlage) => anlage.fileId === body.fileId), {
        message: `${file.name} did not reach the co-editor`,
      });
      expect(anlagenOf(coEditor, dossierId).find((anlage) => anlage.fileId === body.fileId)).toEqual({
        id: body.anlageId,
        title: file.name.replace(/\.[^.]+$/, ''),
        public: file.public,
        fileId: body.fileId,
      });
    }
    expect((await files(lead, dossierId)).map((file) => file.fileName)).toEqual(cases.map((file) => file.name));
    expect(await server.storage.attachments.list(dossierId)).toHaveLength(4);
  });

  it('downloads the same bytes as an attachment, its UTF-8 name encoded, not to be sniffed', async () => {
    const file = uploaded.get('Kostenübersicht.xlsx')!;
    const { status, headers, bytes } = await download(lead, `/api/dossiers/${dossierId}/attachments/${file.fileId}`);
    expect(status).toBe(200);
    expect(Buffer.from(bytes).equals(xlsx)).toBe(true);
    expect(headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(headers.get('content-disposition')).toBe(`attachment; filename="Kosten?bersicht.xlsx"; filename*=UTF-8''Kosten%C3%BCbersicht.xlsx`);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-attachment-sha256')).toBe(sha256(xlsx));
  });

  it('replaces the file of an Anlage with a new one (new id); the replaced unreleased file is gone', async () => {
    const old = uploaded.get('Evaluationsbericht 2026.pdf')!;
    const newer = pdfBytes('Evaluationsbericht, zweite Fassung');
    const { status, body } = await upload(lead, dossierId, newer, 'Evaluationsbericht 2026.pdf', `anlage=${old.anlageId}`);
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body.fileId).not.toBe(old.fileId);
    expect(body).toMatchObject({ anlageId: old.anlageId, sha256: sha256(newer), public: true });
    await waitFor(() => anlagenOf(coEditor, dossierId).some((anlage) => anlage.id === old.anlageId && anlage.fileId === body.fileId));
    expect((await download(lead, `/api/dossiers/${dossierId}/attachments/${old.fileId}`)).status).toBe(404);
    uploaded.set('Evaluationsbericht 2026.pdf', body);
  });
});

describe('who may download and change them', () => {
  it('gives a nichtöffentlich Anlage only to who may see nichtöffentlich content', async () => {
    const secret = uploaded.get('Stellungnahme Rechtsamt.docx')!;
    const open = uploaded.get('Lageplan.png')!;
    // the Rechtsamt is not involved: it sees the öffentlich Vorlage, not its nichtöffentlich Anlage
    const legal = await session(users.legal);
    expect((await download(legal, `/api/dossiers/${dossierId}/attachments/${open.fileId}`)).status).toBe(200);
    const refused = await download(legal, `/api/dossiers/${dossierId}/attachments/${secret.fileId}`);
    expect(refused.status).toBe(403);
    expect(Buffer.from(refused.bytes).toString()).toContain('nichtöffentlich');
    expect((await files(legal, dossierId)).map((file) => file.fileId)).not.toContain(secret.fileId);
    for (const insider of [users.lead, users.clerk, users.admin]) {
      const { status, bytes } = await download(await session(insider), `/api/dossiers/${dossierId}/attachments/${secret.fileId}`);
      expect([insider, status]).toEqual([insider, 200]);
      expect(sha256(bytes)).toBe(secret.sha256);
    }
    // a councillor sees no draft at all
    expect((await download(await session(users.reader), `/api/dossiers/${dossierId}/attachments/${open.fileId}`)).status).toBe(404);
  });

  it('counts a file whose Anlage was deleted as nichtöffentlich until it is swept away', async () => {
    const dropped = await upload(lead, dossierId, png, 'Verworfen.png', 'public=true');
    expect(dropped.status).toBe(201);
    const path = `/api/dossiers/${dossierId}/attachments/${dropped.body.fileId}`;
    const legal = await session(users.legal);
    expect((await download(legal, path)).status).toBe(200);
    const name = documentName(dossierId, 'anlagen');
    await waitFor(() => anlagenOf(coEditor, dossierId).some((anlage) => anlage.fileId === dropped.body.fileId));
    const { items } = attachmentsRoots(coEditor.doc(name));
    deleteRow(items, findAttachment(coEditor.doc(name), dropped.body.anlageId)!);
    await coEditor.synced(name);
    await waitFor(async () => (await download(legal, path)).status === 403, { message: 'a file no Anlage holds stayed öffentlich' });
    expect((await download(lead, path)).status).toBe(200);
  });

  it('turns a file nichtöffentlich as soon as its Anlage is marked so in the live document', async () => {
    const open = uploaded.get('Lageplan.png')!;
    const legal = await session(users.legal);
    const item = attachmentsRoots(coEditor.doc(documentName(dossierId, 'anlagen')))
      .items.toArray()
      .find((map) => map.get('id') === open.anlageId)!;
    item.set('public', false);
    await waitFor(async () => (await download(legal, `/api/dossiers/${dossierId}/attachments/${open.fileId}`)).status === 403);
    item.set('public', true);
    await waitFor(async () => (await download(legal, `/api/dossiers/${dossierId}/attachments/${open.fileId}`)).status === 200);
  });

  it('lets only who writes the Anlagen section upload or delete', async () => {
    const before = await server.storage.attachments.list(dossierId);
    for (const username of [users.finance, users.legal, users.signatoryLead]) {
      const as = await session(username);
      const refused = await upload(as, dossierId, pdf, 'Fremd.pdf', 'public=true');
      expect([username, refused.status]).toEqual([username, 403]);
      const deleted = await api(server.url, `/api/dossiers/${dossierId}/attachments/${before[0]!.id}`, { method: 'DELETE', session: as });
      expect([username, deleted.status]).toEqual([username, 403]);
    }
    expect(await server.storage.attachments.list(dossierId)).toEqual(before);
    // without the CSRF token nothing is taken
    const forged = await fetch(`${server.url}/api/dossiers/${dossierId}/attachments?public=true`, {
      method: 'POST',
      headers: { cookie: lead.cookie, 'x-file-name': 'a.pdf', 'content-type': 'application/pdf' },
      body: pdf.toString('latin1'),
    });
    expect(forged.status).toBe(403);
    expect(await server.storage.attachments.list(dossierId)).toEqual(before);
  });
});

describe('refused files', () => {
  it('answers each bad or oversized file with a German message and stores and changes nothing', async () => {
    const before = await server.storage.attachments.list(dossierId);
    const anlagenBefore = anlagenOf(coEditor, dossierId);
    const auditBefore = await server.storage.audit.list({ dossierId, limit: 1000 });
    const attempts: { bytes: Uint8Array | string; name?: string; query?: string; status: number; message: RegExp }[] = [
      { bytes: pdfBytes('gross', MAX_BYTES + 1), name: 'Riesig.pdf', status: 413, message: /zu groß: höchstens 1 MB/ },
      { bytes: png, name: 'Bericht.pdf', status: 415, message: /dem Inhalt nach ein PNG-Bild, nicht ein PDF-Dokument/ },
      { bytes: 'Nur ein Text, kein Word-Dokument.', name: 'Vertrag.docx', status: 415, message: /nicht ein Word-Dokument \(DOCX\)/ },
      { bytes: zipOf([{ name: 'notiz.txt', text: 'kein Office' }]), name: 'Vertrag.docx', status: 415, message: /Vertrag\.docx/ },
      { bytes: docx, name: 'Tabelle.xlsx', status: 415, message: /ein Word-Dokument \(DOCX\), nicht eine Excel-Tabelle/ },
      { bytes: 'Notizen', name: 'Notizen.txt', status: 415, message: /Als Anlage gehen nur PDF, DOCX, XLSX, PNG und JPEG/ },
      { bytes: pdf, status: 400, message: /Dateiname fehlt/ },
      { bytes: pdf, name: '', status: 400, message: /Dateiname fehlt/ },
      { bytes: pdf, name: '../', status: 400, message: /braucht einen Namen/ },
      { bytes: '', name: 'Leer.pdf', status: 400, message: /keine Datei|leer/ },
      { bytes: pdf, name: 'Ohne.pdf', query: '', status: 400, message: /öffentlich/ },
      { bytes: pdf, name: 'Weg.pdf', query: 'anlage=gibtesnicht', status: 404, message: /Anlage gibt es/ },
    ];
    for (const attempt of attempts) {
      const { status, body } = await upload(lead, dossierId, attempt.bytes, attempt.name, attempt.query ?? 'public=true');
      expect([attempt.name, status]).toEqual([attempt.name, attempt.status]);
      expect(body.error).toMatch(attempt.message);
    }
    const json = await api(server.url, `/api/dossiers/${dossierId}/attachments?public=true`, { method: 'POST', session: lead, json: { file: 'x' } });
    expect([json.status, json.body.error]).toEqual([400, 'Bitte die Datei selbst als Inhalt der Anfrage senden, nicht als JSON.']);
    const parameters: [query: string, fileName: string, error: string][] = [
      ['public=vielleicht', 'a.pdf', 'Der Parameter "public" muss true (öffentlich) oder false (nichtöffentlich) sein.'],
      ['anlage=..%2Fetwas', 'a.pdf', 'Der Parameter "anlage" muss die Kennung einer Anlage sein.'],
    ];
    for (const [query, fileName, error] of parameters) {
      const refused = await upload(lead, dossierId, pdf, fileName, query);
      expect([query, refused.status, refused.body.error]).toEqual([query, 400, error]);
    }
    const badName = await api(server.url, `/api/dossiers/${dossierId}/attachments?public=true`, {
      method: 'POST',
      session: lead,
      body: new Uint8Array(pdf),
      headers: { 'content-type': 'application/pdf', 'x-file-name': '%E0%A4%A.pdf' },
    });
    expect([badName.status, badName.body.error]).toEqual([400, 'Der Dateiname in X-File-Name ist nicht gültig URL-kodiert.']);

    expect(await server.storage.attachments.list(dossierId)).toEqual(before);
    // a good upload afterwards is the first change the co-editor sees: nothing came before it
    const good = await upload(lead, dossierId, png, 'Foto.png', 'public=true');
    expect(good.status).toBe(201);
    await waitFor(() => anlagenOf(coEditor, dossierId).length === anlagenBefore.length + 1);
    expect(anlagenOf(coEditor, dossierId).slice(0, -1)).toEqual(anlagenBefore);
    const audit = (await server.storage.audit.list({ dossierId, limit: 1000 })).slice(0, -auditBefore.length || undefined);
    expect(audit.filter((entry) => entry.action === 'attachment.uploaded').map((entry) => entry.detail)).toEqual([expect.stringContaining('Foto.png')]);
    // the new Anlage is the uploader's change of the section, audited under their name once stored
    const anlagenChanged = async () =>
      (await server.storage.audit.list({ dossierId, limit: 1000 }))
        .slice(0, -auditBefore.length || undefined)
        .filter((entry) => entry.action === 'section.changed' && entry.sectionId === 'anlagen');
    await waitFor(async () => (await anlagenChanged()).length > 0, { message: 'the new Anlage was not stored as a change of the section' });
    expect((await anlagenChanged()).map((entry) => entry.userId)).toEqual([lead.user.id]);
  });
});

describe('what else an upload or download asks', () => {
  it('takes public=1 and public=0 for öffentlich and nichtöffentlich, and an empty anlage= for a new Anlage', async () => {
    const yes = await upload(lead, dossierId, png, 'Eins.png', 'public=1&anlage=');
    const no = await upload(lead, dossierId, png, 'Null.png', 'public=0');
    expect([yes.status, yes.body.public, no.status, no.body.public]).toEqual([201, true, 201, false]);
    expect(yes.body.anlageId).not.toBe(no.body.anlageId);
    const listed = await files(lead, dossierId);
    expect(listed.filter((file) => ['Eins.png', 'Null.png'].includes(file.fileName)).map((file) => [file.fileName, file.public, file.uploadedBy])).toEqual([
      ['Eins.png', true, lead.user.displayName],
      ['Null.png', false, lead.user.displayName],
    ]);
  });

  it('answers a file it does not have with 404, and one whose bytes no longer match their SHA-256 with 500, in German', async () => {
    const missing = await api(server.url, `/api/dossiers/${dossierId}/attachments/gibtesnicht`, { session: lead });
    expect([missing.status, missing.body.error]).toEqual([404, 'Diese Datei gibt es in dieser Vorlage nicht.']);
    const damaged = await upload(lead, dossierId, png, 'Beschädigt.png', 'public=true');
    expect(damaged.status).toBe(201);
    const database = new Database(sqliteFile(server));
    try {
      // as a damaged disk would change them: past the trigger that keeps an uploaded file immutable
      database.exec('DROP TRIGGER attachment_files_immutable');
      database.prepare('UPDATE attachment_files SET bytes = ? WHERE id = ?').run(Buffer.from('verändert'), damaged.body.fileId);
    } finally {
      database.close();
    }
    const answer = await api(server.url, `/api/dossiers/${dossierId}/attachments/${damaged.body.fileId}`, { session: lead });
    expect([answer.status, answer.body.error]).toEqual([500, 'Die gespeicherte Datei ist beschädigt. Bitte die Administration benachrichtigen.']);
  });
});

describe('the PDF', () => {
  it('lists each Anlage with its file name, size and the short SHA-256', async () => {
    await waitFor(async () => (await server.storage.dossiers.getSectionContents(dossierId)).get('anlagen')?.content !== undefined);
    const response = await fetch(`${server.url}/api/dossiers/${dossierId}/export.pdf`, { headers: { cookie: lead.cookie } });
    expect(response.status).toBe(200);
    // what pdftotext reads, without the line breaks the table puts in
    const text = pdfText(new Uint8Array(await response.arrayBuffer())).replace(/\s+/g, ' ');
    const xlsxFile = uploaded.get('Kostenübersicht.xlsx')!;
    expect(text).toContain(`Datei: Kostenübersicht.xlsx · ${xlsx.length} Byte · SHA-256 ${xlsxFile.sha256.slice(0, 16)}`);
    expect(text).toContain(`Anlage 2 Stellungnahme Rechtsamt nichtöffentlich Datei: Stellungnahme Rechtsamt.docx · ${docx.length} Byte`);
  });
});

describe('a release', () => {
  it('keeps every file with the version, byte for byte, and keeps it when the draft lets go of it', async () => {
    const released = await completeDossier(server, { title: 'Vorlage mit Anlagen' });
    const evaluation = await upload(lead, released, pdf, 'Evaluationsbericht.pdf', 'anlage=evaluation');
    const kosten = await upload(lead, released, xlsx, 'Kosten.xlsx', 'anlage=kosten');
    expect([evaluation.status, kosten.status]).toEqual([201, 201]);
    expect(kosten.body.public).toBe(false);
    await startCosigning(server, lead, released);
    await signAll(server, released);
    const release = await api(server.url, `/api/dossiers/${released}/release`, { method: 'POST', session: await session(users.clerk), json: {} });
    expect(release.status, JSON.stringify(release.body)).toBe(201);

    expect(await server.storage.attachments.ofVersion(released, 1)).toEqual(
      [
        { fileId: evaluation.body.fileId, anlageId: 'evaluation', public: true, sha256: sha256(pdf) },
        { fileId: kosten.body.fileId, anlageId: 'kosten', public: false, sha256: sha256(xlsx) },
      ].sort((a, b) => a.fileId.localeCompare(b.fileId)),
    );
    const versionFile = (fileId: string) => `/api/dossiers/${released}/versions/1/attachments/${fileId}`;
    const listed = await api(server.url, `/api/dossiers/${released}/versions/1/attachments`, { session: lead });
    expect(listed.body.map((file: AttachmentFileView) => [file.fileName, file.anlageId, file.public, file.sha256]).sort()).toEqual([
      ['Evaluationsbericht.pdf', 'evaluation', true, sha256(pdf)],
      ['Kosten.xlsx', 'kosten', false, sha256(xlsx)],
    ]);
    const noVersion = await api(server.url, `/api/dossiers/${released}/versions/2/attachments`, { session: lead });
    expect([noVersion.status, noVersion.body.error]).toEqual([404, 'Version 2 dieser Vorlage gibt es nicht.']);
    const notHeld = await api(server.url, `/api/dossiers/${released}/versions/1/attachments/gibtesnicht`, { session: lead });
    expect([notHeld.status, notHeld.body.error]).toEqual([404, 'Diese Datei gehört nicht zu Version 1 dieser Vorlage.']);
    const fromVersion = await download(lead, versionFile(evaluation.body.fileId));
    expect(fromVersion.status).toBe(200);
    expect(sha256(fromVersion.bytes)).toBe(sha256(pdf));
    expect(fromVersion.headers.get('x-attachment-sha256')).toBe(sha256(pdf));
    // the released PDF lists them
    const versionPdf = await fetch(`${server.url}/api/dossiers/${released}/export.pdf?version=1`, { headers: { cookie: lead.cookie } });
    expect(pdfText(new Uint8Array(await versionPdf.arrayBuffer())).replace(/\s+/g, ' ')).toContain(`Datei: Evaluationsbericht.pdf`);

    // a councillor reads the released Vorlage: its öffentlich Anlage, not the nichtöffentlich one
    const reader = await session(users.reader);
    expect((await download(reader, versionFile(evaluation.body.fileId))).status).toBe(200);
    expect((await download(reader, versionFile(kosten.body.fileId))).status).toBe(403);
    const readerList = await api(server.url, `/api/dossiers/${released}/versions/1/attachments`, { session: reader });
    expect(readerList.body.map((file: AttachmentFileView) => file.fileName)).toEqual(['Evaluationsbericht.pdf']);
    expect((await download(reader, `/api/dossiers/${released}/attachments/${kosten.body.fileId}`)).status).toBe(403);

    // released: nothing changes any more
    const afterRelease = await upload(lead, released, png, 'Nachtrag.png', 'public=true');
    expect([afterRelease.status, afterRelease.body.error]).toEqual([403, 'Die Vorlage ist freigegeben; ihre Anlagen lassen sich nicht mehr ändern.']);
    expect((await api(server.url, `/api/dossiers/${released}/attachments/${evaluation.body.fileId}`, { method: 'DELETE', session: lead })).status).toBe(403);

    // a Neufassung lets go of the file: the version keeps it
    expect((await api(server.url, `/api/dossiers/${released}/revision`, { method: 'POST', session: lead })).status).toBe(200);
    const deleted = await api(server.url, `/api/dossiers/${released}/attachments/${evaluation.body.fileId}`, { method: 'DELETE', session: lead });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body).toEqual({ fileId: evaluation.body.fileId, deleted: false });
    expect((await files(lead, released)).map((file) => file.fileId)).toEqual([kosten.body.fileId]);
    const kept = await download(lead, versionFile(evaluation.body.fileId));
    expect([kept.status, sha256(kept.bytes)]).toEqual([200, sha256(pdf)]);
    // a file no version holds is deleted for good
    const extra = await upload(lead, released, png, 'Skizze.png', 'public=true');
    const gone = await api(server.url, `/api/dossiers/${released}/attachments/${extra.body.fileId}`, { method: 'DELETE', session: lead });
    expect(gone.body).toEqual({ fileId: extra.body.fileId, deleted: true });
    expect((await download(lead, `/api/dossiers/${released}/attachments/${extra.body.fileId}`)).status).toBe(404);
    const deletions = (await server.storage.audit.list({ dossierId: released, limit: 1000 })).filter((entry) => entry.action === 'attachment.deleted');
    expect(deletions.map((entry) => [entry.userId, entry.sectionId, entry.detail])).toEqual([
      [lead.user.id, 'anlagen', `Skizze.png (SHA-256 ${sha256(png)})`],
      [lead.user.id, 'anlagen', `Evaluationsbericht.pdf (SHA-256 ${sha256(pdf)}), bleibt für freigegebene Fassungen gespeichert`],
    ]);
  });
});
