/** The pure rules for files of Anlagen (dossier/attachment-files.ts) and the content check (server/attachments/file-check.ts). */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { attachmentFileAccept, cleanFileName, formatFileSize, kindByFileName, shortSha256, titleFromFileName } from '../../dossier/attachment-files';
import { addAttachment, attachmentsRoots, findAttachment, readAttachment, setAttachmentFile } from '../../dossier/layout';
import { canSeeAttachment, type Actor, type DossierAccess } from '../../dossier/policy';
import { AttachmentFileRefused, checkAttachmentFile } from '../../server/attachments/file-check';
import { docxBytes, pdfBytes, pngBytes, xlsxBytes, zipOf } from '../support/files';

describe('file names', () => {
  it('keeps a name as the user gave it, without folders, control or reserved characters', () => {
    expect(cleanFileName('Kostenübersicht 2026.xlsx')).toBe('Kostenübersicht 2026.xlsx');
    expect(cleanFileName('C:\\Users\\jana\\Bericht.pdf')).toBe('Bericht.pdf');
    expect(cleanFileName('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(cleanFileName('a\u0000b\u0007"c"<d>.pdf')).toBe('a_b__c__d_.pdf');
    expect(cleanFileName('  viel   Platz .pdf ')).toBe('viel Platz .pdf');
    expect(cleanFileName('Cafe\u0301.pdf')).toBe('Café.pdf');
    expect(cleanFileName('../')).toBe('');
    expect(cleanFileName('...')).toBe('');
    const long = cleanFileName(`${'x'.repeat(300)}.docx`);
    expect([long.length, long.endsWith('.docx')]).toEqual([200, true]);
  });

  it('tells the kind a name claims, case-insensitively, and the title a name gives', () => {
    expect(kindByFileName('A.PDF')?.ext).toBe('pdf');
    expect(kindByFileName('foto.jpeg')?.ext).toBe('jpg');
    expect(kindByFileName('foto.JPG')?.ext).toBe('jpg');
    expect(kindByFileName('liste.csv')).toBeUndefined();
    expect(kindByFileName('ohne-endung')).toBeUndefined();
    expect(titleFromFileName('Betriebskonzept v2.docx')).toBe('Betriebskonzept v2');
    expect(titleFromFileName('.pdf')).toBe('.pdf');
    expect(attachmentFileAccept).toContain('.docx');
  });

  it('shows sizes as a German reader expects, and a short SHA-256', () => {
    expect(formatFileSize(0)).toBe('0 Byte');
    expect(formatFileSize(1023)).toBe('1023 Byte');
    expect(formatFileSize(1024)).toBe('1 KB');
    expect(formatFileSize(1536 * 1024)).toBe('1,5 MB');
    expect(formatFileSize(20 * 1024 * 1024)).toBe('20 MB');
    expect(shortSha256('0123456789abcdef'.repeat(4))).toBe('0123456789abcdef');
  });
});

describe('an Anlage’s file in the section document', () => {
  it('holds only the file id; a value that is no file id reads as no file', () => {
    const doc = new Y.Doc();
    addAttachment(doc, { id: 'a1', title: 'Plan', public: true });
    const map = findAttachment(doc, 'a1')!;
    expect(readAttachment(map)).toEqual({ id: 'a1', title: 'Plan', public: true });
    setAttachmentFile(map, 'f0123');
    expect(readAttachment(map)).toEqual({ id: 'a1', title: 'Plan', public: true, fileId: 'f0123' });
    for (const bad of ['', '../x', 'X'.repeat(65), 7]) {
      map.set('fileId', bad);
      expect(readAttachment(map).fileId).toBeUndefined();
    }
    setAttachmentFile(map, undefined);
    expect(map.has('fileId')).toBe(false);
    expect(findAttachment(doc, 'gibtesnicht')).toBeUndefined();
    expect(attachmentsRoots(doc).items.length).toBe(1);
  });
});

describe('who may download', () => {
  const dossier: DossierAccess = { status: 'draft', leadDepartmentId: 'sc', involvedDepartmentIds: ['kae'], public: true };
  const actor = (departmentId: string, roles: Actor['roles'] = ['author']): Actor => ({ id: 'u', departmentId, departmentFunction: '', roles });
  it('gives a nichtöffentlich Anlage only to the dossier’s departments, clerks and admins', () => {
    expect(canSeeAttachment(actor('ra'), dossier, true)).toBe(true);
    expect(canSeeAttachment(actor('ra'), dossier, false)).toBe(false);
    expect(canSeeAttachment(actor('kae'), dossier, false)).toBe(true);
    expect(canSeeAttachment(actor('sc'), dossier, false)).toBe(true);
    expect(canSeeAttachment(actor('x', ['clerk']), dossier, false)).toBe(true);
    expect(canSeeAttachment(actor('ra'), { ...dossier, public: false }, true)).toBe(false);
    expect(canSeeAttachment(actor('x', ['reader']), { ...dossier, status: 'released' }, true)).toBe(true);
    expect(canSeeAttachment(actor('x', ['reader']), { ...dossier, status: 'released' }, false)).toBe(false);
  });
});

describe('the content check', () => {
  const refusal = async (bytes: Uint8Array, name: string, max = 1024 * 1024) => {
    const error = await checkAttachmentFile(bytes, name, max).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AttachmentFileRefused);
    return error as AttachmentFileRefused;
  };

  it('accepts each kind under its own extension, DOCX and XLSX told apart', async () => {
    await expect(checkAttachmentFile(pdfBytes('x'), 'a.pdf', 1e6)).resolves.toMatchObject({ fileName: 'a.pdf', kind: { mediaType: 'application/pdf' } });
    await expect(checkAttachmentFile(docxBytes('x'), 'a.docx', 1e6)).resolves.toMatchObject({ kind: { ext: 'docx' } });
    await expect(checkAttachmentFile(xlsxBytes(), 'a.XLSX', 1e6)).resolves.toMatchObject({ kind: { ext: 'xlsx' } });
    await expect(checkAttachmentFile(pngBytes(), 'a.png', 1e6)).resolves.toMatchObject({ kind: { mediaType: 'image/png' } });
    // the start of a JFIF file: what file-type reads a JPEG by
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00]);
    await expect(checkAttachmentFile(jpeg, 'Foto.JPEG', 1e6)).resolves.toMatchObject({ kind: { mediaType: 'image/jpeg' } });
    await expect(checkAttachmentFile(jpeg, 'Foto.jpg', 1e6)).resolves.toMatchObject({ kind: { mediaType: 'image/jpeg' } });
    expect(await refusal(jpeg, 'Foto.png')).toMatchObject({ status: 415, message: expect.stringContaining('ein JPEG-Bild, nicht ein PNG-Bild') });
  });

  it('refuses what is not what its name says, too large, empty or unnamed', async () => {
    expect(await refusal(xlsxBytes(), 'a.docx')).toMatchObject({
      status: 415,
      message: expect.stringContaining('eine Excel-Tabelle (XLSX), nicht ein Word-Dokument'),
    });
    expect(await refusal(zipOf([{ name: 'x.txt', text: 'x' }]), 'a.xlsx')).toMatchObject({ status: 415 });
    expect(await refusal(new TextEncoder().encode('<html>'), 'a.pdf')).toMatchObject({ status: 415 });
    expect(await refusal(pdfBytes('x'), 'a.exe')).toMatchObject({ status: 415, message: expect.stringContaining('nur PDF, DOCX, XLSX, PNG und JPEG') });
    // the limit itself is allowed, one byte more is not
    await expect(checkAttachmentFile(pdfBytes('x', 4096), 'a.pdf', 4096)).resolves.toBeDefined();
    expect(await refusal(pdfBytes('x', 4097), 'a.pdf', 4096)).toMatchObject({ status: 413 });
    expect(await refusal(pdfBytes('x', 3 * 1024 * 1024), 'a.pdf', 2 * 1024 * 1024)).toMatchObject({
      status: 413,
      message: 'Die Datei ist zu groß: höchstens 2 MB.',
    });
    expect(await refusal(new Uint8Array(), 'a.pdf')).toMatchObject({ status: 400 });
    expect(await refusal(pdfBytes('x'), '/')).toMatchObject({ status: 400 });
  });
});
