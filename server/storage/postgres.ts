/**
 * PostgreSQL storage (driver `pg`, pooled), used when DATABASE_URL is set: the same schema as SQLite,
 * migrated by the same numbers (recorded in `schema_migrations`). Several server processes share it:
 * a section store locks the row and merges the stored Yjs state with the incoming one.
 */
import pg from 'pg';
import { mergeSectionState } from './section-state';
import { type DossierRow, type DraftingSnapshotRow, toDossier, toDraftingSnapshot, toUser, type UserRow } from './rows';
import { postgresAttachments, postgresAttachmentsMigration, postgresUnreferencedFilesMigration } from './postgres-attachments';
import { postgresSearch, postgresSearchMigration } from './postgres-search';
import {
  DuplicateKeyError,
  ReferenceNumberTakenError,
  type AccountStore,
  type AuditStore,
  type DepartmentRecord,
  type DossierStore,
  type HistoryStore,
  type SessionRecord,
  type SignatureRecord,
  type Storage,
  type UserRecord,
  type VersionSummary,
  type WorkflowStore,
} from './storage';
import { logFor } from '../log';

const log = logFor('postgres');

/** Text compared and ordered byte by byte, as SQLite does. */
const T = 'TEXT COLLATE "C"';

/** Versioned schema migrations, numbered like the SQLite ones. Append only. */
export const postgresMigrations: readonly string[] = [
  `CREATE TABLE dossiers (
     id ${T} PRIMARY KEY,
     template_id ${T} NOT NULL,
     title ${T} NOT NULL,
     status ${T} NOT NULL CHECK (status IN ('draft', 'cosigning', 'released')),
     reference_number ${T} UNIQUE,
     created_at ${T} NOT NULL,
     updated_at ${T} NOT NULL
   );
   CREATE TABLE sections (
     dossier_id ${T} NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
     section_id ${T} NOT NULL,
     state BYTEA NOT NULL,
     content TEXT NOT NULL,
     updated_at ${T} NOT NULL,
     PRIMARY KEY (dossier_id, section_id)
   );
   CREATE TABLE markers (key ${T} PRIMARY KEY, created_at ${T} NOT NULL);`,
  `CREATE TABLE departments (
     id ${T} PRIMARY KEY,
     name ${T} NOT NULL,
     short_name ${T} NOT NULL,
     function ${T} NOT NULL
   );
   CREATE TABLE users (
     id ${T} PRIMARY KEY,
     username ${T} NOT NULL,
     display_name ${T} NOT NULL,
     department_id ${T} NOT NULL REFERENCES departments(id),
     roles TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     disabled BOOLEAN NOT NULL DEFAULT FALSE,
     created_at ${T} NOT NULL,
     updated_at ${T} NOT NULL
   );
   CREATE UNIQUE INDEX users_username ON users (lower(username));
   CREATE INDEX users_updated_at ON users(updated_at);
   CREATE TABLE sessions (
     token_hash ${T} PRIMARY KEY,
     user_id ${T} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     csrf_token ${T} NOT NULL,
     created_at ${T} NOT NULL,
     expires_at ${T} NOT NULL
   );
   CREATE TABLE audit_log (
     id BIGSERIAL PRIMARY KEY,
     at ${T} NOT NULL,
     user_id ${T},
     action ${T} NOT NULL,
     dossier_id ${T},
     section_id ${T},
     detail TEXT
   );
   CREATE INDEX audit_log_dossier ON audit_log(dossier_id, id);
   ALTER TABLE dossiers ADD COLUMN lead_department_id ${T} NOT NULL DEFAULT '';
   ALTER TABLE dossiers ADD COLUMN involved_department_ids TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE dossiers ADD COLUMN public BOOLEAN NOT NULL DEFAULT TRUE;`,
  `ALTER TABLE sessions ADD COLUMN last_seen_at ${T} NOT NULL DEFAULT '';
   UPDATE sessions SET last_seen_at = created_at;`,
  `ALTER TABLE dossiers ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
   CREATE TABLE signatures (
     dossier_id ${T} NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
     revision INTEGER NOT NULL,
     department_id ${T} NOT NULL,
     user_id ${T} NOT NULL,
     signed_at ${T} NOT NULL,
     decision ${T} NOT NULL CHECK (decision IN ('agree', 'agree-with-remarks', 'object')),
     remark TEXT,
     sections TEXT NOT NULL,
     contents TEXT NOT NULL DEFAULT '{}',
     PRIMARY KEY (dossier_id, revision, department_id)
   );
   CREATE TABLE versions (
     dossier_id ${T} NOT NULL REFERENCES dossiers(id),
     version INTEGER NOT NULL,
     released_at ${T} NOT NULL,
     released_by ${T} NOT NULL,
     reference_number ${T} NOT NULL,
     sha256 ${T} NOT NULL,
     pdf BYTEA NOT NULL,
     signatures TEXT NOT NULL,
     PRIMARY KEY (dossier_id, version)
   );
   CREATE TABLE version_sections (
     dossier_id ${T} NOT NULL,
     version INTEGER NOT NULL,
     section_id ${T} NOT NULL,
     state BYTEA NOT NULL,
     content TEXT NOT NULL,
     PRIMARY KEY (dossier_id, version, section_id),
     FOREIGN KEY (dossier_id, version) REFERENCES versions(dossier_id, version)
   );
   CREATE FUNCTION version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'a released version is immutable'; END $$;
   CREATE FUNCTION version_kept() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'a released version is kept'; END $$;
   CREATE TRIGGER versions_immutable BEFORE UPDATE ON versions FOR EACH ROW EXECUTE FUNCTION version_immutable();
   CREATE TRIGGER version_sections_immutable BEFORE UPDATE ON version_sections FOR EACH ROW EXECUTE FUNCTION version_immutable();
   CREATE TRIGGER versions_kept BEFORE DELETE ON versions FOR EACH ROW EXECUTE FUNCTION version_kept();
   CREATE TRIGGER version_sections_kept BEFORE DELETE ON version_sections FOR EACH ROW EXECUTE FUNCTION version_kept();
   CREATE TRIGGER versions_not_truncated BEFORE TRUNCATE ON versions FOR EACH STATEMENT EXECUTE FUNCTION version_kept();
   CREATE TRIGGER version_sections_not_truncated BEFORE TRUNCATE ON version_sections FOR EACH STATEMENT EXECUTE FUNCTION version_kept();`,
  `CREATE TABLE drafting_snapshots (
     dossier_id ${T} NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
     id INTEGER NOT NULL,
     taken_at ${T} NOT NULL,
     content_hash ${T} NOT NULL,
     sections TEXT NOT NULL,
     author_ids TEXT NOT NULL,
     audit_upto BIGINT NOT NULL,
     PRIMARY KEY (dossier_id, id)
   );`,
  // 6: files of Anlagen (server/storage/postgres-attachments.ts)
  postgresAttachmentsMigration,
  // 7: full-text search over the sections' text (server/storage/postgres-search.ts)
  postgresSearchMigration,
  // 8: since when no Anlage holds a file (server/storage/postgres-attachments.ts)
  postgresUnreferencedFilesMigration,
];

/** Any key of the advisory locks this storage takes (migrations, Vorlagen-Nr.). */
const LOCK_MIGRATE = 72_616_401;
const LOCK_REFERENCE = 72_616_402;

/** A unique violation (23505) as DuplicateKeyError, keyed like SQLite's: table and last key column ("users.username"). */
function duplicateKey(error: unknown): unknown {
  const { code, table, detail } = error as { code?: string; table?: string; detail?: string };
  if (code !== '23505') return error;
  const columns = /Key \((.+?)\)=/.exec(detail ?? '')?.[1] ?? '';
  const last = (columns.split(',').pop() ?? '').trim().replace(/^\w+\((\w+)\)$/, '$1');
  return new DuplicateKeyError(`${table ?? 'unknown'}.${last || 'unknown'}`);
}

export async function openPostgresStorage(connectionString: string, options: { max?: number } = {}): Promise<Storage> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // an idle client losing its connection must not crash the process; the next query reports it
  pool.on('error', (error) => log.error({ err: error }, 'an idle PostgreSQL client failed'));

  const query = async <R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
    try {
      return await pool.query<R>(sql, params);
    } catch (error) {
      throw duplicateKey(error);
    }
  };

  /** Runs `work` in one transaction on one pooled client. */
  async function transaction<R>(work: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw duplicateKey(error);
    } finally {
      client.release();
    }
  }

  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const referenceTaken = async (client: pg.PoolClient, dossierId: string, referenceNumber: string) =>
    (
      await client.query<{ dossier_id: string }>(
        `SELECT id AS dossier_id FROM dossiers WHERE reference_number = $1 UNION SELECT dossier_id FROM versions WHERE reference_number = $1`,
        [referenceNumber],
      )
    ).rows.some((row) => row.dossier_id !== dossierId);

  const dossiers: DossierStore = {
    async create(dossier, sections) {
      await transaction(async (client) => {
        await client.query(
          `INSERT INTO dossiers (id, template_id, title, status, reference_number, lead_department_id, involved_department_ids, public, revision, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            dossier.id,
            dossier.templateId,
            dossier.title,
            dossier.status,
            dossier.referenceNumber,
            dossier.leadDepartmentId,
            JSON.stringify(dossier.involvedDepartmentIds),
            dossier.public,
            dossier.revision,
            dossier.createdAt,
            dossier.updatedAt,
          ],
        );
        for (const section of sections) {
          await client.query(`INSERT INTO sections (dossier_id, section_id, state, content, updated_at) VALUES ($1, $2, $3, $4, $5)`, [
            section.dossierId,
            section.sectionId,
            Buffer.from(section.state),
            JSON.stringify(section.content),
            section.updatedAt,
          ]);
        }
      });
    },
    async list() {
      return (await query<DossierRow>(`SELECT * FROM dossiers ORDER BY updated_at DESC, id`)).rows.map(toDossier);
    },
    async get(id) {
      const row = (await query<DossierRow>(`SELECT * FROM dossiers WHERE id = $1`, [id])).rows[0];
      return row ? toDossier(row) : undefined;
    },
    async getSectionContents(dossierId) {
      const { rows } = await query<{ section_id: string; content: string; updated_at: string }>(
        `SELECT section_id, content, updated_at FROM sections WHERE dossier_id = $1`,
        [dossierId],
      );
      return new Map(rows.map((row) => [row.section_id, { content: JSON.parse(row.content) as unknown, updatedAt: row.updated_at }]));
    },
    async loadSectionState(dossierId, sectionId) {
      const row = (await query<{ state: Buffer }>(`SELECT state FROM sections WHERE dossier_id = $1 AND section_id = $2`, [dossierId, sectionId])).rows[0];
      return row ? new Uint8Array(row.state) : undefined;
    },
    async storeSection(input) {
      await transaction(async (client) => {
        // the row stays locked until commit: a store from another process waits and then merges ours
        const stored = (
          await client.query<{ state: Buffer }>(`SELECT state FROM sections WHERE dossier_id = $1 AND section_id = $2 FOR UPDATE`, [
            input.dossierId,
            input.sectionId,
          ])
        ).rows[0];
        if (!stored) throw new Error(`section ${input.dossierId}/${input.sectionId} does not exist`);
        const { state, content } = mergeSectionState(new Uint8Array(stored.state), input);
        await client.query(`UPDATE sections SET state = $3, content = $4, updated_at = $5 WHERE dossier_id = $1 AND section_id = $2`, [
          input.dossierId,
          input.sectionId,
          Buffer.from(state),
          JSON.stringify(content),
          input.updatedAt,
        ]);
        await client.query(`UPDATE dossiers SET updated_at = $2, title = COALESCE($3, title), public = COALESCE($4, public) WHERE id = $1`, [
          input.dossierId,
          input.updatedAt,
          input.dossier?.title ?? null,
          input.dossier?.public ?? null,
        ]);
        for (const entry of input.audit ?? []) await insertAudit(client, entry);
      });
    },
    async setPublic(dossierId, isPublic) {
      await query(`UPDATE dossiers SET public = $2 WHERE id = $1`, [dossierId, isPublic]);
    },
    async setInvolvedDepartments(dossierId, departmentIds) {
      await transaction(async (client) => {
        const dossier = (await client.query<{ lead_department_id: string }>(`SELECT lead_department_id FROM dossiers WHERE id = $1 FOR UPDATE`, [dossierId]))
          .rows[0];
        if (!dossier) return;
        const known = new Set(
          (await client.query<{ id: string }>(`SELECT id FROM departments WHERE id = ANY($1::text[])`, [[...departmentIds]])).rows.map((row) => row.id),
        );
        const involved = [...new Set(departmentIds)].filter((id) => known.has(id) && id !== dossier.lead_department_id);
        await client.query(`UPDATE dossiers SET involved_department_ids = $2 WHERE id = $1`, [dossierId, JSON.stringify(involved)]);
      });
    },
    async transition(id, from, to, at) {
      const result = await query(
        `UPDATE dossiers SET status = $3, updated_at = $4,
           revision = revision + CASE WHEN $2::text = 'released' AND $3::text = 'draft' THEN 1 ELSE 0 END
         WHERE id = $1 AND status = $2`,
        [id, from, to, at],
      );
      return result.rowCount === 1;
    },
    async setReferenceNumber(dossierId, referenceNumber) {
      try {
        await transaction(async (client) => {
          await client.query(`SELECT pg_advisory_xact_lock($1)`, [LOCK_REFERENCE]);
          if (await referenceTaken(client, dossierId, referenceNumber)) throw new ReferenceNumberTakenError(referenceNumber);
          await client.query(`UPDATE dossiers SET reference_number = $2 WHERE id = $1`, [dossierId, referenceNumber]);
        });
      } catch (error) {
        if (error instanceof DuplicateKeyError && !(error instanceof ReferenceNumberTakenError)) throw new ReferenceNumberTakenError(referenceNumber);
        throw error;
      }
    },
    async assignReferenceNumber(dossierId, prefix, suffix) {
      return transaction(async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock($1)`, [LOCK_REFERENCE]);
        const own = (await client.query<{ reference_number: string | null }>(`SELECT reference_number FROM dossiers WHERE id = $1`, [dossierId])).rows[0]
          ?.reference_number;
        if (own) return own;
        const pattern = `${prefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
        const { rows } = await client.query<{ reference_number: string }>(
          `SELECT reference_number FROM dossiers WHERE reference_number LIKE $1 ESCAPE '\\'
           UNION SELECT reference_number FROM versions WHERE reference_number LIKE $1 ESCAPE '\\'`,
          [pattern],
        );
        const serials = rows
          .map((row) => Number.parseInt(row.reference_number.slice(prefix.length, prefix.length + 5), 10))
          .filter((serial) => Number.isSafeInteger(serial));
        for (let serial = Math.max(0, ...serials) + 1; ; serial += 1) {
          const candidate = `${prefix}${String(serial).padStart(5, '0')}${suffix}`;
          if (await referenceTaken(client, dossierId, candidate)) continue;
          await client.query(`UPDATE dossiers SET reference_number = $2 WHERE id = $1`, [dossierId, candidate]);
          return candidate;
        }
      });
    },
  };

  const workflow: WorkflowStore = {
    async saveSignature(signature) {
      await query(
        `INSERT INTO signatures (dossier_id, revision, department_id, user_id, signed_at, decision, remark, sections, contents)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (dossier_id, revision, department_id) DO UPDATE SET
           user_id = excluded.user_id, signed_at = excluded.signed_at, decision = excluded.decision, remark = excluded.remark,
           sections = excluded.sections, contents = excluded.contents`,
        [
          signature.dossierId,
          signature.revision,
          signature.departmentId,
          signature.userId,
          signature.signedAt,
          signature.decision,
          signature.remark,
          JSON.stringify(signature.sections),
          JSON.stringify(signature.contents ?? {}),
        ],
      );
    },
    async listSignatures(dossierId, revision) {
      const { rows } = await query<Omit<SignatureRecord, 'sections' | 'contents'> & { sections: string; contents: string }>(
        `SELECT dossier_id AS "dossierId", revision, department_id AS "departmentId", user_id AS "userId", signed_at AS "signedAt", decision, remark,
           sections, contents
         FROM signatures WHERE dossier_id = $1 AND revision = $2 ORDER BY signed_at, department_id`,
        [dossierId, revision],
      );
      return rows.map((row) => ({
        ...row,
        sections: JSON.parse(row.sections) as Record<string, string>,
        contents: JSON.parse(row.contents) as Record<string, unknown>,
      }));
    },
    async createVersion(version) {
      await transaction(async (client) => {
        await client.query(
          `INSERT INTO versions (dossier_id, version, released_at, released_by, reference_number, sha256, pdf, signatures)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            version.dossierId,
            version.version,
            version.releasedAt,
            version.releasedBy,
            version.referenceNumber,
            version.sha256,
            Buffer.from(version.pdf),
            JSON.stringify(version.signatures),
          ],
        );
        for (const section of version.sections) {
          await client.query(`INSERT INTO version_sections (dossier_id, version, section_id, state, content) VALUES ($1, $2, $3, $4, $5)`, [
            version.dossierId,
            version.version,
            section.sectionId,
            Buffer.from(section.state),
            JSON.stringify(section.content),
          ]);
        }
      });
    },
    async listVersions(dossierId) {
      return (await query<VersionSummary>(`${versionColumns} FROM versions WHERE dossier_id = $1 ORDER BY version`, [dossierId])).rows;
    },
    async getVersion(dossierId, version) {
      const row = (
        await query<VersionSummary & { pdf: Buffer; signatures: string }>(
          `${versionColumns}, pdf, signatures FROM versions WHERE dossier_id = $1 AND version = $2`,
          [dossierId, version],
        )
      ).rows[0];
      if (!row) return undefined;
      const { rows } = await query<{ section_id: string; state: Buffer; content: string }>(
        `SELECT section_id, state, content FROM version_sections WHERE dossier_id = $1 AND version = $2 ORDER BY section_id`,
        [dossierId, version],
      );
      const sections = rows.map((section) => ({
        sectionId: section.section_id,
        state: new Uint8Array(section.state),
        content: JSON.parse(section.content) as unknown,
      }));
      return { ...row, pdf: new Uint8Array(row.pdf), signatures: JSON.parse(row.signatures) as unknown, sections };
    },
  };

  const history: HistoryStore = {
    async addSnapshot(input) {
      return transaction(async (client) => {
        // one snapshot at a time per dossier: its id and the audit entries it covers are decided under this lock
        await client.query(`SELECT id FROM dossiers WHERE id = $1 FOR UPDATE`, [input.dossierId]);
        const last = (
          await client.query<{ id: number; audit_upto: string }>(
            `SELECT id, audit_upto FROM drafting_snapshots WHERE dossier_id = $1 ORDER BY id DESC LIMIT 1`,
            [input.dossierId],
          )
        ).rows[0];
        const authors = (
          await client.query<{ user_id: string }>(
            `SELECT user_id FROM audit_log WHERE dossier_id = $1 AND action = 'section.changed' AND id > $2 AND user_id IS NOT NULL
             GROUP BY user_id ORDER BY MIN(id)`,
            [input.dossierId, last?.audit_upto ?? 0],
          )
        ).rows.map((row) => row.user_id);
        const upto = (await client.query<{ upto: string }>(`SELECT COALESCE(MAX(id), 0) AS upto FROM audit_log`)).rows[0]!.upto;
        const id = (last?.id ?? 0) + 1;
        await client.query(
          `INSERT INTO drafting_snapshots (dossier_id, id, taken_at, content_hash, sections, author_ids, audit_upto) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [input.dossierId, id, input.takenAt, input.contentHash, JSON.stringify(input.sections), JSON.stringify(authors), upto],
        );
        return { dossierId: input.dossierId, id, takenAt: input.takenAt, contentHash: input.contentHash, authorIds: authors };
      });
    },
    async listSnapshots(dossierId) {
      const { rows } = await query<DraftingSnapshotRow>(
        `SELECT dossier_id, id, taken_at, content_hash, author_ids FROM drafting_snapshots WHERE dossier_id = $1 ORDER BY id DESC`,
        [dossierId],
      );
      return rows.map(toDraftingSnapshot);
    },
    async getSnapshot(dossierId, id) {
      const row = (
        await query<DraftingSnapshotRow & { sections: string }>(`SELECT * FROM drafting_snapshots WHERE dossier_id = $1 AND id = $2`, [dossierId, id])
      ).rows[0];
      return row ? { ...toDraftingSnapshot(row), sections: JSON.parse(row.sections) as Record<string, unknown> } : undefined;
    },
  };

  const departmentColumns = `SELECT id, name, short_name AS "shortName", function FROM departments`;
  const sessionColumns = `SELECT token_hash AS "tokenHash", user_id AS "userId", csrf_token AS "csrfToken", created_at AS "createdAt",
    expires_at AS "expiresAt", last_seen_at AS "lastSeenAt" FROM sessions`;
  const userParams = (user: UserRecord) => [
    user.id,
    user.username,
    user.displayName,
    user.departmentId,
    JSON.stringify(user.roles),
    user.passwordHash,
    user.disabled,
    user.createdAt,
    user.updatedAt,
  ];

  const accounts: AccountStore = {
    async listDepartments() {
      return (await query<DepartmentRecord>(`${departmentColumns} ORDER BY name`)).rows;
    },
    async getDepartment(id) {
      return (await query<DepartmentRecord>(`${departmentColumns} WHERE id = $1`, [id])).rows[0];
    },
    async saveDepartment(department) {
      await query(
        `INSERT INTO departments (id, name, short_name, function) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name, function = excluded.function`,
        [department.id, department.name, department.shortName, department.function],
      );
    },
    async listUsers() {
      return (await query<UserRow>(`SELECT * FROM users ORDER BY lower(username), username`)).rows.map(toUser);
    },
    async getUser(id) {
      const row = (await query<UserRow>(`SELECT * FROM users WHERE id = $1`, [id])).rows[0];
      return row ? toUser(row) : undefined;
    },
    async getUserByUsername(username) {
      const row = (await query<UserRow>(`SELECT * FROM users WHERE lower(username) = lower($1)`, [username])).rows[0];
      return row ? toUser(row) : undefined;
    },
    async createUser(user) {
      await query(
        `INSERT INTO users (id, username, display_name, department_id, roles, password_hash, disabled, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        userParams(user),
      );
    },
    async updateUser(user) {
      const result = await query(
        // every parameter must be used: PostgreSQL cannot type one that is not (the username, the creation time)
        `UPDATE users SET display_name = $2, department_id = $3, roles = $4, password_hash = $5, disabled = $6, updated_at = $7 WHERE id = $1`,
        [user.id, user.displayName, user.departmentId, JSON.stringify(user.roles), user.passwordHash, user.disabled, user.updatedAt],
      );
      if (result.rowCount !== 1) throw new Error(`user ${user.id} does not exist`);
    },
    async usersChangedSince(since) {
      return (await query<UserRow>(`SELECT * FROM users WHERE updated_at > $1`, [since])).rows.map(toUser);
    },
    async createSession(session: SessionRecord) {
      await query(`INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
        session.tokenHash,
        session.userId,
        session.csrfToken,
        session.createdAt,
        session.expiresAt,
        session.lastSeenAt,
      ]);
    },
    async getSession(tokenHash) {
      return (await query<SessionRecord>(`${sessionColumns} WHERE token_hash = $1`, [tokenHash])).rows[0];
    },
    async deleteSession(tokenHash) {
      await query(`DELETE FROM sessions WHERE token_hash = $1`, [tokenHash]);
    },
    async touchSession(tokenHash, at) {
      await query(`UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2`, [tokenHash, at]);
    },
    async deleteUserSessions(userId) {
      await query(`DELETE FROM sessions WHERE user_id = $1`, [userId]);
    },
    async deleteExpiredSessions(now) {
      await query(`DELETE FROM sessions WHERE expires_at <= $1`, [now]);
    },
    async claimOnce(key) {
      const result = await query(`INSERT INTO markers (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, new Date().toISOString()]);
      return result.rowCount === 1;
    },
  };

  const audit: AuditStore = {
    async append(entry) {
      await insertAudit(pool, entry);
    },
    async list({ dossierId, limit }) {
      const { rows } = await query<{
        id: string;
        at: string;
        user_id: string | null;
        action: string;
        dossier_id: string | null;
        section_id: string | null;
        detail: string | null;
      }>(
        dossierId
          ? `SELECT * FROM audit_log WHERE dossier_id = $1 ORDER BY id DESC LIMIT $2`
          : `SELECT * FROM audit_log WHERE $1::text IS NULL ORDER BY id DESC LIMIT $2`,
        [dossierId ?? null, limit],
      );
      return rows.map((row) => ({
        id: Number(row.id),
        at: row.at,
        userId: row.user_id,
        action: row.action,
        dossierId: row.dossier_id,
        sectionId: row.section_id,
        detail: row.detail,
      }));
    },
  };

  return {
    kind: 'postgres',
    dossiers,
    search: postgresSearch(query),
    attachments: postgresAttachments(query),
    workflow,
    history,
    accounts,
    audit,
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}

const versionColumns = `SELECT dossier_id AS "dossierId", version, released_at AS "releasedAt", released_by AS "releasedBy",
  reference_number AS "referenceNumber", sha256`;

function insertAudit(
  client: pg.Pool | pg.PoolClient,
  entry: { at: string; userId: string | null; action: string; dossierId: string | null; sectionId: string | null; detail: string | null },
) {
  return client.query(`INSERT INTO audit_log (at, user_id, action, dossier_id, section_id, detail) VALUES ($1, $2, $3, $4, $5, $6)`, [
    entry.at,
    entry.userId,
    entry.action,
    entry.dossierId,
    entry.sectionId,
    entry.detail,
  ]);
}

/** Runs the migrations not yet applied in one transaction, under an advisory lock: processes starting together migrate once. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock($1)`, [LOCK_MIGRATE]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL)`);
    const current = (await client.query<{ version: number }>(`SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations`)).rows[0]!.version;
    if (current > postgresMigrations.length) {
      throw new Error(
        `Datenbank hat Schema-Version ${current}, diese Version von Ratsdossier kennt nur ${postgresMigrations.length}. Bitte Ratsdossier aktualisieren.`,
      );
    }
    for (let version = current; version < postgresMigrations.length; version += 1) {
      await client.query(postgresMigrations[version]!);
      await client.query(`DELETE FROM schema_migrations`);
      await client.query(`INSERT INTO schema_migrations (version) VALUES ($1)`, [version + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
