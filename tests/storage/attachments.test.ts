/**
 * The store of Anlagen files, for every storage back end: files stored with their bytes and SHA-256, a
 * released version records the files its Anlagen section holds (in the version's own transaction), and those
 * are never deleted or changed.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDossier } from '../../server/dossiers/create';
import type { AttachmentFileRecord } from '../../server/storage/attachments';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { DossierRecord, Storage } from '../../server/storage/storage';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot, tempDataDir } from '../support/server';
import { storageBackends } from './factories';

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function fileOf(dossierId: string, id: string, bytes: Uint8Array): AttachmentFileRecord {
  return {
    id,
    dossierId,
    fileName: `${id}.pdf`,
    mediaType: 'application/pdf',
    size: bytes.length,
    sha256: sha256(bytes),
    uploadedBy: 'u1',
    uploadedAt: `2026-12-01T10:00:0${id.length % 10}.000Z`,
  };
}

const versionOf = (dossierId: string, version: number, anlagen: unknown) => ({
  dossierId,
  version,
  releasedAt: 't1',
  releasedBy: 'clerk',
  referenceNumber: `VO/26/0000${version}/SC-${dossierId}`,
  sha256: 'ab'.repeat(32),
  pdf: new Uint8Array([37, 80, 68, 70]),
  signatures: [],
  sections: [
    { sectionId: 'betreff', state: new Uint8Array([1]), content: { type: 'doc' } },
    { sectionId: 'anlagen', state: new Uint8Array([2]), content: anlagen },
  ],
});

describe.each(await storageBackends())('files of Anlagen: $name', (factory) => {
  let storage: Storage;
  let dossier: DossierRecord;
  let other: DossierRecord;
  const bytes = { a: new Uint8Array([1, 2, 3]), b: new Uint8Array([4, 5]), c: new Uint8Array([6]) };
  beforeAll(async () => {
    storage = await factory.open();
    await storage.accounts.saveDepartment({ id: 'sc', name: 'Smart City', shortName: 'SC', function: 'smart-city' });
    dossier = await createDossier(storage, template, { title: 'Mit Dateien', leadDepartmentId: 'sc' });
    other = await createDossier(storage, template, { title: 'Andere', leadDepartmentId: 'sc' });
  });
  afterAll(() => storage?.close());

  it('stores files with their bytes, per dossier, in upload order', async () => {
    await storage.attachments.add(fileOf(dossier.id, 'filea', bytes.a), bytes.a);
    await storage.attachments.add(fileOf(dossier.id, 'fileb0', bytes.b), bytes.b);
    await storage.attachments.add(fileOf(other.id, 'filec00', bytes.c), bytes.c);
    await expect(storage.attachments.add(fileOf(dossier.id, 'filea', bytes.b), bytes.b)).rejects.toThrow();
    expect(await storage.attachments.list(dossier.id)).toEqual([fileOf(dossier.id, 'filea', bytes.a), fileOf(dossier.id, 'fileb0', bytes.b)]);
    expect(await storage.attachments.get(dossier.id, 'fileb0')).toEqual(fileOf(dossier.id, 'fileb0', bytes.b));
    expect(await storage.attachments.bytes(dossier.id, 'filea')).toEqual(bytes.a);
    // a file is found only under its own dossier
    expect(await storage.attachments.get(dossier.id, 'filec00')).toBeUndefined();
    expect(await storage.attachments.bytes(dossier.id, 'filec00')).toBeUndefined();
  });

  it('records with a version the files its Anlagen hold, and keeps them', async () => {
    await storage.workflow.createVersion(
      versionOf(dossier.id, 1, {
        items: [
          { id: 'eins', title: 'Eins', public: true, fileId: 'filea' },
          { id: 'zwei', title: 'Zwei', public: false },
          // another dossier's file is not this version's
          { id: 'drei', title: 'Drei', public: true, fileId: 'filec00' },
          { id: 'vier', title: 'Vier', public: false, fileId: 'unbekannt' },
        ],
      }),
    );
    expect(await storage.attachments.ofVersion(dossier.id, 1)).toEqual([{ fileId: 'filea', anlageId: 'eins', public: true, sha256: sha256(bytes.a) }]);
    expect(await storage.attachments.ofVersion(dossier.id, 2)).toEqual([]);
    expect(await storage.attachments.deleteUnlessReleased(dossier.id, 'filea')).toBe(false);
    expect(await storage.attachments.bytes(dossier.id, 'filea')).toEqual(bytes.a);
    expect(await storage.attachments.deleteUnlessReleased(dossier.id, 'fileb0')).toBe(true);
    expect(await storage.attachments.get(dossier.id, 'fileb0')).toBeUndefined();
    // deleting another dossier's file through this one does nothing
    expect(await storage.attachments.deleteUnlessReleased(dossier.id, 'filec00')).toBe(false);
    expect(await storage.attachments.get(other.id, 'filec00')).toBeDefined();
  });

  it('records a file held by two Anlagen once, nichtöffentlich if either is', async () => {
    await storage.workflow.createVersion(
      versionOf(dossier.id, 2, {
        items: [
          { id: 'eins', title: 'Eins', public: true, fileId: 'filea' },
          { id: 'fuenf', title: 'Fünf', public: false, fileId: 'filea' },
        ],
      }),
    );
    expect(await storage.attachments.ofVersion(dossier.id, 2)).toEqual([{ fileId: 'filea', anlageId: 'eins', public: false, sha256: sha256(bytes.a) }]);
  });
  it('deletes a file only after no Anlage held it for the whole keeping time; held again, it starts over; a released one never', async () => {
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();
    const sweep = (held: string[], now: number, keepDays = 30) => storage.attachments.sweepUnreferenced(dossier.id, held, day(now), day(now - keepDays));
    const ids = async () => (await storage.attachments.list(dossier.id)).map((file) => file.id).sort();
    const kept = fileOf(dossier.id, 'fileg', bytes.b);
    const removed = fileOf(dossier.id, 'fileh', bytes.c);
    await storage.attachments.add(kept, bytes.b);
    await storage.attachments.add(removed, bytes.c);
    // day 0: fileh is no longer held (filea, held by versions 1 and 2, is not held now either)
    expect(await sweep(['fileg'], 0)).toEqual([]);
    // day 10: held again (an undo); day 20: removed again
    expect(await sweep(['fileg', 'fileh'], 10)).toEqual([]);
    expect(await sweep(['fileg'], 20)).toEqual([]);
    // day 45: unreferenced since day 20 only, not since day 0
    expect(await sweep(['fileg'], 45)).toEqual([]);
    expect(await ids()).toEqual(['filea', 'fileg', 'fileh']);
    expect(await sweep(['fileg'], 50)).toEqual([removed]);
    expect(await ids()).toEqual(['filea', 'fileg']);
    // the other dossier's file is not this dossier's to sweep
    expect(await storage.attachments.get(other.id, 'filec00')).toBeDefined();
  });
});

describe('files of Anlagen in SQLite', () => {
  it('refuses in the database itself to change a file or to delete one a version holds', async () => {
    const file = join(tempDataDir().dir, 'ratsdossier.sqlite');
    const storage = openSqliteStorage(file);
    const dossier = await createDossier(storage, template, { title: 'Direkt', leadDepartmentId: 'sc' });
    const bytes = new Uint8Array([9, 9]);
    await storage.attachments.add(fileOf(dossier.id, 'filed', bytes), bytes);
    await storage.workflow.createVersion(versionOf(dossier.id, 1, { items: [{ id: 'a', title: 'A', public: true, fileId: 'filed' }] }));
    await storage.close();
    const db = new Database(file);
    try {
      expect(() => db.prepare(`UPDATE attachment_files SET bytes = x'00' WHERE id = 'filed'`).run()).toThrow(/immutable/);
      expect(() => db.prepare(`DELETE FROM attachment_files WHERE id = 'filed'`).run()).toThrow(/kept/);
      expect(() => db.prepare(`DELETE FROM version_attachment_files`).run()).toThrow(/kept/);
      expect(() => db.prepare(`UPDATE version_attachment_files SET sha256 = 'x'`).run()).toThrow(/immutable/);
    } finally {
      db.close();
    }
  });
});
