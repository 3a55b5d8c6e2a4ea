/**
 * The files of Anlagen in PostgreSQL (migration 6 in postgres.ts): a BYTEA per file, immutable, kept while a
 * version holds it. As in SQLite, a trigger on version_sections records the files a released version's Anlagen
 * hold, in the version's own transaction.
 */
import type pg from 'pg';
import type { AttachmentFileRecord, AttachmentStore, VersionAttachmentFileRecord } from './attachments';

const T = 'TEXT COLLATE "C"';

export const postgresAttachmentsMigration = `CREATE TABLE attachment_files (
     id ${T} PRIMARY KEY,
     dossier_id ${T} NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
     file_name TEXT NOT NULL,
     media_type ${T} NOT NULL,
     size BIGINT NOT NULL CHECK (size >= 0),
     sha256 ${T} NOT NULL CHECK (length(sha256) = 64),
     uploaded_by ${T} NOT NULL,
     uploaded_at ${T} NOT NULL,
     bytes BYTEA NOT NULL
   );
   CREATE INDEX attachment_files_dossier ON attachment_files(dossier_id, uploaded_at);
   CREATE TABLE version_attachment_files (
     dossier_id ${T} NOT NULL,
     version INTEGER NOT NULL,
     file_id ${T} NOT NULL REFERENCES attachment_files(id),
     anlage_id ${T} NOT NULL,
     public BOOLEAN NOT NULL,
     sha256 ${T} NOT NULL,
     PRIMARY KEY (dossier_id, version, file_id),
     FOREIGN KEY (dossier_id, version) REFERENCES versions(dossier_id, version)
   );
   CREATE INDEX version_attachment_files_file ON version_attachment_files(file_id);
   CREATE FUNCTION attachment_file_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'an uploaded file is immutable'; END $$;
   CREATE FUNCTION attachment_file_kept() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF EXISTS (SELECT 1 FROM version_attachment_files WHERE file_id = OLD.id) THEN RAISE EXCEPTION 'a file of a released version is kept'; END IF;
       RETURN OLD;
     END $$;
   CREATE TRIGGER attachment_files_immutable BEFORE UPDATE ON attachment_files FOR EACH ROW EXECUTE FUNCTION attachment_file_immutable();
   CREATE TRIGGER attachment_files_kept BEFORE DELETE ON attachment_files FOR EACH ROW EXECUTE FUNCTION attachment_file_kept();
   CREATE TRIGGER version_attachment_files_immutable BEFORE UPDATE ON version_attachment_files FOR EACH ROW EXECUTE FUNCTION version_immutable();
   CREATE TRIGGER version_attachment_files_kept BEFORE DELETE ON version_attachment_files FOR EACH ROW EXECUTE FUNCTION version_kept();
   CREATE FUNCTION version_sections_record_files() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       INSERT INTO version_attachment_files (dossier_id, version, file_id, anlage_id, public, sha256)
       SELECT NEW.dossier_id, NEW.version, file.id, MIN(item.value->>'id'), bool_and(COALESCE(item.value->'public' = 'true'::jsonb, false)), file.sha256
       FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.content::jsonb->'items') = 'array' THEN NEW.content::jsonb->'items' ELSE '[]'::jsonb END) AS item(value)
       JOIN attachment_files AS file ON file.id = item.value->>'fileId' AND file.dossier_id = NEW.dossier_id
       WHERE jsonb_typeof(item.value) = 'object'
       GROUP BY file.id, file.sha256;
       RETURN NEW;
     END $$;
   CREATE TRIGGER version_sections_record_files AFTER INSERT ON version_sections FOR EACH ROW EXECUTE FUNCTION version_sections_record_files();`;

/** Migration 8: since when no Anlage holds a file (server/attachments/unreferenced-files.ts); the file itself stays immutable. */
export const postgresUnreferencedFilesMigration = `CREATE TABLE unreferenced_attachment_files (
     file_id ${T} PRIMARY KEY REFERENCES attachment_files(id) ON DELETE CASCADE,
     dossier_id ${T} NOT NULL,
     since ${T} NOT NULL
   );
   CREATE INDEX unreferenced_attachment_files_dossier ON unreferenced_attachment_files(dossier_id, since);`;

const COLUMNS = `id, dossier_id AS "dossierId", file_name AS "fileName", media_type AS "mediaType", size::float8 AS size, sha256, uploaded_by AS "uploadedBy", uploaded_at AS "uploadedAt"`;

export function postgresAttachments(query: <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<pg.QueryResult<R>>): AttachmentStore {
  return {
    async add(file, bytes) {
      await query(
        `INSERT INTO attachment_files (id, dossier_id, file_name, media_type, size, sha256, uploaded_by, uploaded_at, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          file.id,
          file.dossierId,
          file.fileName,
          file.mediaType,
          file.size,
          file.sha256,
          file.uploadedBy,
          file.uploadedAt,
          Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        ],
      );
    },
    async list(dossierId) {
      return (await query<AttachmentFileRecord>(`SELECT ${COLUMNS} FROM attachment_files WHERE dossier_id = $1 ORDER BY uploaded_at, id`, [dossierId])).rows;
    },
    async get(dossierId, fileId) {
      return (await query<AttachmentFileRecord>(`SELECT ${COLUMNS} FROM attachment_files WHERE dossier_id = $1 AND id = $2`, [dossierId, fileId])).rows[0];
    },
    async bytes(dossierId, fileId) {
      const row = (await query<{ bytes: Buffer }>(`SELECT bytes FROM attachment_files WHERE dossier_id = $1 AND id = $2`, [dossierId, fileId])).rows[0];
      return row ? new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : undefined;
    },
    async deleteUnlessReleased(dossierId, fileId) {
      const result = await query(
        `DELETE FROM attachment_files WHERE dossier_id = $1 AND id = $2 AND NOT EXISTS (SELECT 1 FROM version_attachment_files WHERE file_id = attachment_files.id)`,
        [dossierId, fileId],
      );
      return result.rowCount === 1;
    },
    async sweepUnreferenced(dossierId, referenced, now, removeUpTo) {
      // Two statements, each atomic: the deletion names the referenced files again, so a file held now is never
      // deleted whatever ran between them; the marks it reads are the ones committed before it.
      await query(
        `WITH unmarked AS (DELETE FROM unreferenced_attachment_files WHERE dossier_id = $1 AND file_id = ANY($2::text[]))
         INSERT INTO unreferenced_attachment_files (file_id, dossier_id, since)
         SELECT id, dossier_id, $3 FROM attachment_files
         WHERE dossier_id = $1 AND NOT (id = ANY($2::text[]))
           AND NOT EXISTS (SELECT 1 FROM version_attachment_files WHERE file_id = attachment_files.id)
         ON CONFLICT (file_id) DO NOTHING`,
        [dossierId, referenced, now],
      );
      const deleted = await query<AttachmentFileRecord>(
        `DELETE FROM attachment_files
         WHERE dossier_id = $1 AND id IN (SELECT file_id FROM unreferenced_attachment_files WHERE dossier_id = $1 AND since <= $3)
           AND NOT (id = ANY($2::text[]))
           AND NOT EXISTS (SELECT 1 FROM version_attachment_files WHERE file_id = attachment_files.id)
         RETURNING ${COLUMNS}`,
        [dossierId, referenced, removeUpTo],
      );
      return deleted.rows.sort((a, b) => a.uploadedAt.localeCompare(b.uploadedAt) || a.id.localeCompare(b.id));
    },
    async ofVersion(dossierId, version) {
      return (
        await query<VersionAttachmentFileRecord>(
          `SELECT file_id AS "fileId", anlage_id AS "anlageId", public, sha256 FROM version_attachment_files WHERE dossier_id = $1 AND version = $2 ORDER BY file_id`,
          [dossierId, version],
        )
      ).rows;
    },
  };
}
