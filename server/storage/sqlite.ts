/**
 * SQLite storage (better-sqlite3), the embedded default: one file in DATA_DIR.
 * WAL with synchronous=FULL: a committed store survives a killed process and a power cut.
 */
import Database from 'better-sqlite3';
import { mergeSectionState } from './section-state';
import {
  DuplicateKeyError,
  ReferenceNumberTakenError,
  type AccountStore,
  type AuditStore,
  type DepartmentRecord,
  type DossierRecord,
  type DossierStore,
  type HistoryStore,
  type SectionRecord,
  type SectionWrite,
  type SessionRecord,
  type SignatureRecord,
  type Storage,
  type UserRecord,
  type VersionRecord,
  type VersionSummary,
  type WorkflowStore,
} from './storage';
import { searchMigration, sqliteSearch } from './sqlite-search';
import { type DossierRow, type DraftingSnapshotRow, toDossier, toDraftingSnapshot, toUser, type UserRow } from './rows';
import { sqliteAttachments } from './sqlite-attachments';

/** Versioned schema migrations; `PRAGMA user_version` records how many ran. Append only. */
export const migrations: readonly string[] = [
  `CREATE TABLE dossiers (
     id TEXT PRIMARY KEY,
     template_id TEXT NOT NULL,
     title TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('draft', 'cosigning', 'released')),
     reference_number TEXT UNIQUE,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE sections (
     dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
     section_id TEXT NOT NULL,
     state BLOB NOT NULL,
     content TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (dossier_id, section_id)
   );
   CREATE TABLE markers (key TEXT PRIMARY KEY, created_at TEXT NOT NULL);`,
  `CREATE TABLE departments (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     short_name TEXT NOT NULL,
     function TEXT NOT NULL
   );
   CREATE TABLE users (
     id TEXT PRIMARY KEY,
     username TEXT NOT NULL UNIQUE COLLATE NOCASE,
     display_name TEXT NOT NULL,
     department_id TEXT NOT NULL REFERENCES departments(id),
     roles TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX users_updated_at ON users(updated_at);
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     csrf_token TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     user_id TEXT,
     action TEXT NOT NULL,
     dossier_id TEXT,
     section_id TEXT,
     detail TEXT
   );
   CREATE INDEX audit_log_dossier ON audit_log(dossier_id, id);
   ALTER TABLE dossiers ADD COLUMN lead_department_id TEXT NOT NULL DEFAULT '';
   ALTER TABLE dossiers ADD COLUMN involved_department_ids TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE dossiers ADD COLUMN public INTEGER NOT NULL DEFAULT 1;`,
  // idle sessions expire: when a session was last used
  `ALTER TABLE sessions ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT '';
   UPDATE sessions SET last_seen_at = created_at;`,
  // Mitzeichnung and release: revisions, signatures per revision and department, immutable versions
  `ALTER TABLE dossiers ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
   CREATE TABLE signatures (
     dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
     revision INTEGER NOT NULL,
     department_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     signed_at TEXT NOT NULL,
     decision TEXT NOT NULL CHECK (decision IN ('agree', 'agree-with-remarks', 'object')),
     remark TEXT,
     sections TEXT NOT NULL,
     contents TEXT NOT NULL DEFAULT '{}',
     PRIMARY KEY (dossier_id, revision, department_id)
   );
   CREATE TABLE versions (
     dossier_id TEXT NOT NULL REFERENCES dossiers(id),
     version INTEGER NOT NULL,
     released_at TEXT NOT NULL,
     released_by TEXT NOT NULL,
     reference_number TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     pdf BLOB NOT NULL,
     signatures TEXT NOT NULL,
     PRIMARY KEY (dossier_id, version)
   );
   CREATE TABLE version_sections (
     dossier_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     section_id TEXT NOT NULL,
     state BLOB NOT NULL,
     content TEXT NOT NULL,
     PRIMARY KEY (dossier_id, version, section_id),
     FOREIGN KEY (dossier_id, version) REFERENCES versions(dossier_id, version)
   );
   CREATE TRIGGER versions_immutable BEFORE UPDATE ON versions BEGIN SELECT RAISE(ABORT, 'a released version is immutable'); END;
   CREATE TRIGGER version_sections_immutable BEFORE UPDATE ON version_sections BEGIN SELECT RAISE(ABORT, 'a released version is immutable'); END;
   CREATE TRIGGER versions_kept BEFORE DELETE ON versions BEGIN SELECT RAISE(ABORT, 'a released version is kept'); END;
   CREATE TRIGGER version_sections_kept BEFORE DELETE ON version_sections BEGIN SELECT RAISE(ABORT, 'a released version is kept'); END;`,
  // drafting history: snapshots of every section's JSON while drafting; audit_upto marks whose changes it covers
  `CREATE TABLE drafting_snapshots (
     dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
     id INTEGER NOT NULL,
     taken_at TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     sections TEXT NOT NULL,
     author_ids TEXT NOT NULL,
     audit_upto INTEGER NOT NULL,
     PRIMARY KEY (dossier_id, id)
   );`,
  // 6: files of Anlagen, immutable; a released version records the files its Anlagen section holds (in the same
  // transaction, by the trigger on version_sections) and those are kept
  `CREATE TABLE attachment_files (
     id TEXT PRIMARY KEY,
     dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
     file_name TEXT NOT NULL,
     media_type TEXT NOT NULL,
     size INTEGER NOT NULL CHECK (size >= 0),
     sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
     uploaded_by TEXT NOT NULL,
     uploaded_at TEXT NOT NULL,
     bytes BLOB NOT NULL
   );
   CREATE INDEX attachment_files_dossier ON attachment_files(dossier_id, uploaded_at);
   CREATE TABLE version_attachment_files (
     dossier_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     file_id TEXT NOT NULL REFERENCES attachment_files(id),
     anlage_id TEXT NOT NULL,
     public INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     PRIMARY KEY (dossier_id, version, file_id),
     FOREIGN KEY (dossier_id, version) REFERENCES versions(dossier_id, version)
   );
   CREATE INDEX version_attachment_files_file ON version_attachment_files(file_id);
   CREATE TRIGGER attachment_files_immutable BEFORE UPDATE ON attachment_files BEGIN SELECT RAISE(ABORT, 'an uploaded file is immutable'); END;
   CREATE TRIGGER attachment_files_kept BEFORE DELETE ON attachment_files
     WHEN EXISTS (SELECT 1 FROM version_attachment_files WHERE file_id = OLD.id)
     BEGIN SELECT RAISE(ABORT, 'a file of a released version is kept'); END;
   CREATE TRIGGER version_attachment_files_immutable BEFORE UPDATE ON version_attachment_files BEGIN SELECT RAISE(ABORT, 'a released version is immutable'); END;
   CREATE TRIGGER version_attachment_files_kept BEFORE DELETE ON version_attachment_files BEGIN SELECT RAISE(ABORT, 'a released version is kept'); END;
   CREATE TRIGGER version_sections_record_files AFTER INSERT ON version_sections BEGIN
     INSERT INTO version_attachment_files (dossier_id, version, file_id, anlage_id, public, sha256)
     SELECT NEW.dossier_id, NEW.version, file.id, MIN(json_extract(item.value, '$.id')), MIN(json_extract(item.value, '$.public') IS 1), file.sha256
     FROM json_each(NEW.content, '$.items') AS item
     JOIN attachment_files AS file ON file.id = json_extract(item.value, '$.fileId') AND file.dossier_id = NEW.dossier_id
     WHERE json_type(item.value) = 'object'
     GROUP BY file.id;
   END;`,
  // 7: full-text search over the sections' text (server/storage/sqlite-search.ts)
  searchMigration,
  // 8: since when no Anlage holds a file (server/attachments/unreferenced-files.ts); the file itself stays immutable
  `CREATE TABLE unreferenced_attachment_files (
     file_id TEXT PRIMARY KEY REFERENCES attachment_files(id) ON DELETE CASCADE,
     dossier_id TEXT NOT NULL,
     since TEXT NOT NULL
   );
   CREATE INDEX unreferenced_attachment_files_dossier ON unreferenced_attachment_files(dossier_id, since);`,
];

const userParams = (user: UserRecord) => ({ ...user, roles: JSON.stringify(user.roles), disabled: user.disabled ? 1 : 0 });

interface AuditRow {
  id: number;
  at: string;
  user_id: string | null;
  action: string;
  dossier_id: string | null;
  section_id: string | null;
  detail: string | null;
}

export function openSqliteStorage(file: string): Storage {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const insertDossier = db.prepare(
    `INSERT INTO dossiers (id, template_id, title, status, reference_number, lead_department_id, involved_department_ids, public, revision, created_at, updated_at)
     VALUES (@id, @templateId, @title, @status, @referenceNumber, @leadDepartmentId, @involvedDepartmentIds, @public, @revision, @createdAt, @updatedAt)`,
  );
  const insertSection = db.prepare(
    `INSERT INTO sections (dossier_id, section_id, state, content, updated_at)
     VALUES (@dossierId, @sectionId, @state, @content, @updatedAt)`,
  );
  const selectStateForUpdate = db.prepare(`SELECT state FROM sections WHERE dossier_id = ? AND section_id = ?`);
  const updateSection = db.prepare(
    `UPDATE sections SET state = @state, content = @content, updated_at = @updatedAt
     WHERE dossier_id = @dossierId AND section_id = @sectionId`,
  );
  const touchDossier = db.prepare(`UPDATE dossiers SET updated_at = @updatedAt WHERE id = @dossierId`);
  const retitleDossier = db.prepare(`UPDATE dossiers SET title = @title WHERE id = @dossierId`);
  const setDossierPublic = db.prepare(`UPDATE dossiers SET public = @public WHERE id = @dossierId`);
  const setInvolved = db.prepare(
    `UPDATE dossiers SET involved_department_ids = (
       SELECT json_group_array(value) FROM (
         SELECT wanted.value FROM json_each(@ids) AS wanted JOIN departments ON departments.id = wanted.value
         WHERE wanted.value <> dossiers.lead_department_id GROUP BY wanted.value ORDER BY MIN(wanted.key)))
     WHERE id = @dossierId`,
  );
  const insertAudit = db.prepare(
    `INSERT INTO audit_log (at, user_id, action, dossier_id, section_id, detail) VALUES (@at, @userId, @action, @dossierId, @sectionId, @detail)`,
  );
  const selectDossiers = db.prepare(`SELECT * FROM dossiers ORDER BY updated_at DESC, id`);
  const selectDossier = db.prepare(`SELECT * FROM dossiers WHERE id = ?`);
  const selectContents = db.prepare(`SELECT section_id, content, updated_at FROM sections WHERE dossier_id = ?`);
  const selectState = db.prepare(`SELECT state FROM sections WHERE dossier_id = ? AND section_id = ?`);
  const insertMarker = db.prepare(`INSERT OR IGNORE INTO markers (key, created_at) VALUES (?, ?)`);

  const create = db.transaction((dossier: DossierRecord, sections: SectionRecord[]) => {
    insertDossier.run({ ...dossier, involvedDepartmentIds: JSON.stringify(dossier.involvedDepartmentIds), public: dossier.public ? 1 : 0 });
    for (const section of sections) {
      insertSection.run({ ...section, state: Buffer.from(section.state), content: JSON.stringify(section.content) });
    }
  });

  const store = db.transaction((input: SectionWrite) => {
    const stored = selectStateForUpdate.get(input.dossierId, input.sectionId) as { state: Buffer } | undefined;
    if (!stored) throw new Error(`section ${input.dossierId}/${input.sectionId} does not exist`);
    const { state, content } = mergeSectionState(new Uint8Array(stored.state), input);
    updateSection.run({
      dossierId: input.dossierId,
      sectionId: input.sectionId,
      state: Buffer.from(state),
      content: JSON.stringify(content),
      updatedAt: input.updatedAt,
    });
    touchDossier.run({ dossierId: input.dossierId, updatedAt: input.updatedAt });
    if (input.dossier?.title !== undefined) retitleDossier.run({ dossierId: input.dossierId, title: input.dossier.title });
    if (input.dossier?.public !== undefined) setDossierPublic.run({ dossierId: input.dossierId, public: input.dossier.public ? 1 : 0 });
    for (const entry of input.audit ?? []) insertAudit.run(entry);
  });

  const workflow = {
    transition: db.prepare(
      `UPDATE dossiers SET status = @to, updated_at = @at,
         revision = revision + CASE WHEN @from = 'released' AND @to = 'draft' THEN 1 ELSE 0 END
       WHERE id = @id AND status = @from`,
    ),
    referenceHolders: db.prepare(
      `SELECT id AS dossierId FROM dossiers WHERE reference_number = @referenceNumber
       UNION SELECT dossier_id FROM versions WHERE reference_number = @referenceNumber`,
    ),
    setReference: db.prepare(`UPDATE dossiers SET reference_number = @referenceNumber WHERE id = @dossierId`),
    referencesLike: db.prepare(
      `SELECT reference_number AS referenceNumber FROM dossiers WHERE reference_number LIKE @pattern ESCAPE '\\'
       UNION SELECT reference_number FROM versions WHERE reference_number LIKE @pattern ESCAPE '\\'`,
    ),
    saveSignature: db.prepare(
      `INSERT INTO signatures (dossier_id, revision, department_id, user_id, signed_at, decision, remark, sections, contents)
       VALUES (@dossierId, @revision, @departmentId, @userId, @signedAt, @decision, @remark, @sections, @contents)
       ON CONFLICT (dossier_id, revision, department_id) DO UPDATE SET
         user_id = excluded.user_id, signed_at = excluded.signed_at, decision = excluded.decision, remark = excluded.remark, sections = excluded.sections,
         contents = excluded.contents`,
    ),
    signatures: db.prepare(
      `SELECT dossier_id AS dossierId, revision, department_id AS departmentId, user_id AS userId, signed_at AS signedAt, decision, remark, sections, contents
       FROM signatures WHERE dossier_id = ? AND revision = ? ORDER BY signed_at, department_id`,
    ),
    insertVersion: db.prepare(
      `INSERT INTO versions (dossier_id, version, released_at, released_by, reference_number, sha256, pdf, signatures)
       VALUES (@dossierId, @version, @releasedAt, @releasedBy, @referenceNumber, @sha256, @pdf, @signatures)`,
    ),
    insertVersionSection: db.prepare(
      `INSERT INTO version_sections (dossier_id, version, section_id, state, content) VALUES (@dossierId, @version, @sectionId, @state, @content)`,
    ),
    versions: db.prepare(
      `SELECT dossier_id AS dossierId, version, released_at AS releasedAt, released_by AS releasedBy, reference_number AS referenceNumber, sha256
       FROM versions WHERE dossier_id = ? ORDER BY version`,
    ),
    version: db.prepare(
      `SELECT dossier_id AS dossierId, version, released_at AS releasedAt, released_by AS releasedBy, reference_number AS referenceNumber, sha256, pdf, signatures
       FROM versions WHERE dossier_id = ? AND version = ?`,
    ),
    versionSections: db.prepare(
      `SELECT section_id AS sectionId, state, content FROM version_sections WHERE dossier_id = ? AND version = ? ORDER BY section_id`,
    ),
  };

  /** Another dossier than `dossierId` holds the number, now or in a released version. */
  const referenceTaken = (dossierId: string, referenceNumber: string) =>
    (workflow.referenceHolders.all({ referenceNumber }) as { dossierId: string }[]).some((row) => row.dossierId !== dossierId);

  const setReference = db.transaction((dossierId: string, referenceNumber: string) => {
    if (referenceTaken(dossierId, referenceNumber)) throw new ReferenceNumberTakenError(referenceNumber);
    try {
      workflow.setReference.run({ dossierId, referenceNumber });
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ReferenceNumberTakenError(referenceNumber);
      throw error;
    }
  });

  const assignReference = db.transaction((dossierId: string, prefix: string, suffix: string): string => {
    const own = (selectDossier.get(dossierId) as DossierRow | undefined)?.reference_number;
    if (own) return own;
    const pattern = `${prefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const serials = (workflow.referencesLike.all({ pattern }) as { referenceNumber: string }[])
      .map((row) => Number.parseInt(row.referenceNumber.slice(prefix.length, prefix.length + 5), 10))
      .filter((serial) => Number.isSafeInteger(serial));
    for (let serial = Math.max(0, ...serials) + 1; ; serial += 1) {
      const candidate = `${prefix}${String(serial).padStart(5, '0')}${suffix}`;
      if (referenceTaken(dossierId, candidate)) continue;
      workflow.setReference.run({ dossierId, referenceNumber: candidate });
      return candidate;
    }
  });

  const createVersion = db.transaction((version: VersionRecord) => {
    workflow.insertVersion.run({
      dossierId: version.dossierId,
      version: version.version,
      releasedAt: version.releasedAt,
      releasedBy: version.releasedBy,
      referenceNumber: version.referenceNumber,
      sha256: version.sha256,
      pdf: Buffer.from(version.pdf),
      signatures: JSON.stringify(version.signatures),
    });
    for (const section of version.sections) {
      workflow.insertVersionSection.run({
        dossierId: version.dossierId,
        version: version.version,
        sectionId: section.sectionId,
        state: Buffer.from(section.state),
        content: JSON.stringify(section.content),
      });
    }
  });

  const history = {
    last: db.prepare(`SELECT id, audit_upto FROM drafting_snapshots WHERE dossier_id = ? ORDER BY id DESC LIMIT 1`),
    changesSince: db.prepare(
      `SELECT user_id, MAX(id) AS upto FROM audit_log WHERE dossier_id = ? AND action = 'section.changed' AND id > ? AND user_id IS NOT NULL
       GROUP BY user_id ORDER BY MIN(id)`,
    ),
    lastAudit: db.prepare(`SELECT COALESCE(MAX(id), 0) AS upto FROM audit_log`),
    insert: db.prepare(
      `INSERT INTO drafting_snapshots (dossier_id, id, taken_at, content_hash, sections, author_ids, audit_upto)
       VALUES (@dossierId, @id, @takenAt, @contentHash, @sections, @authorIds, @auditUpto)`,
    ),
    list: db.prepare(`SELECT dossier_id, id, taken_at, content_hash, author_ids FROM drafting_snapshots WHERE dossier_id = ? ORDER BY id DESC`),
    get: db.prepare(`SELECT * FROM drafting_snapshots WHERE dossier_id = ? AND id = ?`),
  };

  const addSnapshot = db.transaction((input: { dossierId: string; takenAt: string; contentHash: string; sections: Record<string, unknown> }) => {
    const last = history.last.get(input.dossierId) as { id: number; audit_upto: number } | undefined;
    const authors = history.changesSince.all(input.dossierId, last?.audit_upto ?? 0) as { user_id: string; upto: number }[];
    const row = {
      dossierId: input.dossierId,
      id: (last?.id ?? 0) + 1,
      takenAt: input.takenAt,
      contentHash: input.contentHash,
      sections: JSON.stringify(input.sections),
      authorIds: JSON.stringify(authors.map((a) => a.user_id)),
      auditUpto: (history.lastAudit.get() as { upto: number }).upto,
    };
    history.insert.run(row);
    return { dossierId: row.dossierId, id: row.id, takenAt: row.takenAt, contentHash: row.contentHash, authorIds: authors.map((a) => a.user_id) };
  });

  const statements = {
    departments: db.prepare(`SELECT id, name, short_name AS shortName, function FROM departments ORDER BY name`),
    department: db.prepare(`SELECT id, name, short_name AS shortName, function FROM departments WHERE id = ?`),
    saveDepartment: db.prepare(
      `INSERT INTO departments (id, name, short_name, function) VALUES (@id, @name, @shortName, @function)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name, function = excluded.function`,
    ),
    users: db.prepare(`SELECT * FROM users ORDER BY username`),
    user: db.prepare(`SELECT * FROM users WHERE id = ?`),
    userByName: db.prepare(`SELECT * FROM users WHERE username = ?`),
    insertUser: db.prepare(
      `INSERT INTO users (id, username, display_name, department_id, roles, password_hash, disabled, created_at, updated_at)
       VALUES (@id, @username, @displayName, @departmentId, @roles, @passwordHash, @disabled, @createdAt, @updatedAt)`,
    ),
    updateUser: db.prepare(
      `UPDATE users SET display_name = @displayName, department_id = @departmentId, roles = @roles, password_hash = @passwordHash,
       disabled = @disabled, updated_at = @updatedAt WHERE id = @id`,
    ),
    usersChangedSince: db.prepare(`SELECT * FROM users WHERE updated_at > ?`),
    insertSession: db.prepare(
      `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
       VALUES (@tokenHash, @userId, @csrfToken, @createdAt, @expiresAt, @lastSeenAt)`,
    ),
    session: db.prepare(
      `SELECT token_hash AS tokenHash, user_id AS userId, csrf_token AS csrfToken, created_at AS createdAt, expires_at AS expiresAt,
       last_seen_at AS lastSeenAt FROM sessions WHERE token_hash = ?`,
    ),
    touchSession: db.prepare(`UPDATE sessions SET last_seen_at = @at WHERE token_hash = @tokenHash AND last_seen_at < @at`),
    deleteSession: db.prepare(`DELETE FROM sessions WHERE token_hash = ?`),
    deleteUserSessions: db.prepare(`DELETE FROM sessions WHERE user_id = ?`),
    deleteExpiredSessions: db.prepare(`DELETE FROM sessions WHERE expires_at <= ?`),
    auditAll: db.prepare(`SELECT * FROM audit_log ORDER BY id DESC LIMIT ?`),
    auditOfDossier: db.prepare(`SELECT * FROM audit_log WHERE dossier_id = ? ORDER BY id DESC LIMIT ?`),
  };

  const dossiers: DossierStore = {
    async create(dossier, sections) {
      unique(() => create(dossier, sections));
    },
    async list() {
      return (selectDossiers.all() as DossierRow[]).map(toDossier);
    },
    async get(id) {
      const row = selectDossier.get(id) as DossierRow | undefined;
      return row ? toDossier(row) : undefined;
    },
    async getSectionContents(dossierId) {
      const rows = selectContents.all(dossierId) as { section_id: string; content: string; updated_at: string }[];
      return new Map(rows.map((row) => [row.section_id, { content: JSON.parse(row.content) as unknown, updatedAt: row.updated_at }]));
    },
    async loadSectionState(dossierId, sectionId) {
      const row = selectState.get(dossierId, sectionId) as { state: Buffer } | undefined;
      return row ? new Uint8Array(row.state) : undefined;
    },
    async storeSection(input) {
      // immediate: the write lock is taken before the stored state is read, so no other process stores in between
      store.immediate(input);
    },
    async setPublic(dossierId, isPublic) {
      setDossierPublic.run({ dossierId, public: isPublic ? 1 : 0 });
    },
    async setInvolvedDepartments(dossierId, departmentIds) {
      setInvolved.run({ dossierId, ids: JSON.stringify(departmentIds) });
    },
    async transition(id, from, to, at) {
      return workflow.transition.run({ id, from, to, at }).changes === 1;
    },
    async setReferenceNumber(dossierId, referenceNumber) {
      setReference(dossierId, referenceNumber);
    },
    async assignReferenceNumber(dossierId, prefix, suffix) {
      return assignReference(dossierId, prefix, suffix);
    },
  };

  const workflowStore: WorkflowStore = {
    async saveSignature(signature) {
      workflow.saveSignature.run({ ...signature, sections: JSON.stringify(signature.sections), contents: JSON.stringify(signature.contents ?? {}) });
    },
    async listSignatures(dossierId, revision) {
      return (workflow.signatures.all(dossierId, revision) as (Omit<SignatureRecord, 'sections' | 'contents'> & { sections: string; contents: string })[]).map(
        (row) => ({
          ...row,
          sections: JSON.parse(row.sections) as Record<string, string>,
          contents: JSON.parse(row.contents) as Record<string, unknown>,
        }),
      );
    },
    async createVersion(version) {
      unique(() => createVersion(version));
    },
    async listVersions(dossierId) {
      return workflow.versions.all(dossierId) as VersionSummary[];
    },
    async getVersion(dossierId, version) {
      const row = workflow.version.get(dossierId, version) as (VersionSummary & { pdf: Buffer; signatures: string }) | undefined;
      if (!row) return undefined;
      const sections = (workflow.versionSections.all(dossierId, version) as { sectionId: string; state: Buffer; content: string }[]).map((section) => ({
        sectionId: section.sectionId,
        state: new Uint8Array(section.state),
        content: JSON.parse(section.content) as unknown,
      }));
      return { ...row, pdf: new Uint8Array(row.pdf), signatures: JSON.parse(row.signatures) as unknown, sections };
    },
  };

  const historyStore: HistoryStore = {
    async addSnapshot(input) {
      return addSnapshot(input);
    },
    async listSnapshots(dossierId) {
      return (history.list.all(dossierId) as DraftingSnapshotRow[]).map(toDraftingSnapshot);
    },
    async getSnapshot(dossierId, id) {
      const row = history.get.get(dossierId, id) as DraftingSnapshotRow | undefined;
      return row ? { ...toDraftingSnapshot(row), sections: JSON.parse(row.sections!) as Record<string, unknown> } : undefined;
    },
  };

  const accounts: AccountStore = {
    async listDepartments() {
      return statements.departments.all() as DepartmentRecord[];
    },
    async getDepartment(id) {
      return statements.department.get(id) as DepartmentRecord | undefined;
    },
    async saveDepartment(department) {
      statements.saveDepartment.run(department);
    },
    async listUsers() {
      return (statements.users.all() as UserRow[]).map(toUser);
    },
    async getUser(id) {
      const row = statements.user.get(id) as UserRow | undefined;
      return row ? toUser(row) : undefined;
    },
    async getUserByUsername(username) {
      const row = statements.userByName.get(username) as UserRow | undefined;
      return row ? toUser(row) : undefined;
    },
    async createUser(user) {
      unique(() => statements.insertUser.run(userParams(user)));
    },
    async updateUser(user) {
      if (statements.updateUser.run(userParams(user)).changes !== 1) throw new Error(`user ${user.id} does not exist`);
    },
    async usersChangedSince(since) {
      return (statements.usersChangedSince.all(since) as UserRow[]).map(toUser);
    },
    async createSession(session: SessionRecord) {
      unique(() => statements.insertSession.run(session));
    },
    async getSession(tokenHash) {
      return statements.session.get(tokenHash) as SessionRecord | undefined;
    },
    async deleteSession(tokenHash) {
      statements.deleteSession.run(tokenHash);
    },
    async touchSession(tokenHash, at) {
      statements.touchSession.run({ tokenHash, at });
    },
    async deleteUserSessions(userId) {
      statements.deleteUserSessions.run(userId);
    },
    async deleteExpiredSessions(now) {
      statements.deleteExpiredSessions.run(now);
    },
    async claimOnce(key) {
      return insertMarker.run(key, new Date().toISOString()).changes === 1;
    },
  };

  const audit: AuditStore = {
    async append(entry) {
      insertAudit.run(entry);
    },
    async list({ dossierId, limit }) {
      const rows = (dossierId ? statements.auditOfDossier.all(dossierId, limit) : statements.auditAll.all(limit)) as AuditRow[];
      return rows.map((row) => ({
        id: row.id,
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
    kind: 'sqlite',
    dossiers,
    search: sqliteSearch(db),
    attachments: sqliteAttachments(db),
    workflow: workflowStore,
    history: historyStore,
    accounts,
    audit,
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      db.close();
    },
  };
}

/** A unique or primary key violation as DuplicateKeyError, keyed by the last column SQLite names ("users.username"). */
function unique<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw new DuplicateKeyError(/([\w.]+)$/.exec(message ?? '')?.[1] ?? 'unknown');
    }
    throw error;
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`Datenbank hat Schema-Version ${current}, diese Version von Ratsdossier kennt nur ${migrations.length}. Bitte Ratsdossier aktualisieren.`);
  }
  for (let version = current; version < migrations.length; version += 1) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
