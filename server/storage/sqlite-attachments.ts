/** The files of Anlagen in SQLite (migrations 6 and 8 in sqlite.ts): a BLOB per file, immutable, kept while a version holds it. */
import type Database from 'better-sqlite3';
import type { AttachmentFileRecord, AttachmentStore, VersionAttachmentFileRecord } from './attachments';

const COLUMNS = `id, dossier_id AS dossierId, file_name AS fileName, media_type AS mediaType, size, sha256, uploaded_by AS uploadedBy, uploaded_at AS uploadedAt`;

export function sqliteAttachments(db: Database.Database): AttachmentStore {
  const statements = {
    insert: db.prepare(
      `INSERT INTO attachment_files (id, dossier_id, file_name, media_type, size, sha256, uploaded_by, uploaded_at, bytes)
       VALUES (@id, @dossierId, @fileName, @mediaType, @size, @sha256, @uploadedBy, @uploadedAt, @bytes)`,
    ),
    list: db.prepare(`SELECT ${COLUMNS} FROM attachment_files WHERE dossier_id = ? ORDER BY uploaded_at, id`),
    get: db.prepare(`SELECT ${COLUMNS} FROM attachment_files WHERE dossier_id = ? AND id = ?`),
    bytes: db.prepare(`SELECT bytes FROM attachment_files WHERE dossier_id = ? AND id = ?`),
    deleteUnreleased: db.prepare(
      `DELETE FROM attachment_files WHERE dossier_id = ? AND id = ? AND NOT EXISTS (SELECT 1 FROM version_attachment_files WHERE file_id = attachment_files.id)`,
    ),
    unmark: db.prepare(`DELETE FROM unreferenced_attachment_files WHERE dossier_id = ? AND file_id IN (SELECT value FROM json_each(?))`),
    mark: db.prepare(
      `INSERT OR IGNORE INTO unreferenced_attachment_files (file_id, dossier_id, since)
       SELECT id, dossier_id, ? FROM attachment_files
       WHERE dossier_id = ? AND id NOT IN (SELECT value FROM json_each(?))
         AND NOT EXISTS (SELECT 1 FROM version_attachment_files WHERE file_id = attachment_files.id)`,
    ),
    expired: db.prepare(
      `SELECT ${COLUMNS} FROM attachment_files
       WHERE dossier_id = ? AND id IN (SELECT file_id FROM unreferenced_attachment_files WHERE dossier_id = ? AND since <= ?)
         AND id NOT IN (SELECT value FROM json_each(?))
         AND NOT EXISTS (SELECT 1 FROM version_attachment_files WHERE file_id = attachment_files.id)
       ORDER BY uploaded_at, id`,
    ),
    delete: db.prepare(`DELETE FROM attachment_files WHERE dossier_id = ? AND id = ?`),
    ofVersion: db.prepare(
      `SELECT file_id AS fileId, anlage_id AS anlageId, public, sha256 FROM version_attachment_files WHERE dossier_id = ? AND version = ? ORDER BY file_id`,
    ),
  };
  const sweep = db.transaction((dossierId: string, referenced: string, now: string, removeUpTo: string) => {
    statements.unmark.run(dossierId, referenced);
    statements.mark.run(now, dossierId, referenced);
    const expired = statements.expired.all(dossierId, dossierId, removeUpTo, referenced) as AttachmentFileRecord[];
    // the mark goes with the file (ON DELETE CASCADE)
    for (const file of expired) statements.delete.run(dossierId, file.id);
    return expired;
  });
  return {
    async add(file, bytes) {
      statements.insert.run({ ...file, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    },
    async list(dossierId) {
      return statements.list.all(dossierId) as AttachmentFileRecord[];
    },
    async get(dossierId, fileId) {
      return statements.get.get(dossierId, fileId) as AttachmentFileRecord | undefined;
    },
    async bytes(dossierId, fileId) {
      const row = statements.bytes.get(dossierId, fileId) as { bytes: Buffer } | undefined;
      return row ? new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : undefined;
    },
    async deleteUnlessReleased(dossierId, fileId) {
      return statements.deleteUnreleased.run(dossierId, fileId).changes === 1;
    },
    async sweepUnreferenced(dossierId, referenced, now, removeUpTo) {
      return sweep(dossierId, JSON.stringify(referenced), now, removeUpTo);
    },
    async ofVersion(dossierId, version) {
      return (statements.ofVersion.all(dossierId, version) as (Omit<VersionAttachmentFileRecord, 'public'> & { public: number })[]).map((row) => ({
        ...row,
        public: row.public === 1,
      }));
    },
  };
}
