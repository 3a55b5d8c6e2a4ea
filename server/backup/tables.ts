/**
 * The tables a backup holds, described once for both storages, and raw access to them in SQLite and PostgreSQL:
 * every row of every table read in one consistent transaction, and rows written in one transaction.
 * A value is storage-neutral here: text, a safe integer, a flag as boolean, bytes, or null.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

/** How a column's value is carried: flags are 0/1 in SQLite and BOOLEAN in PostgreSQL, integers BIGINT there at times. */
export type ColumnKind = 'text' | 'integer' | 'flag' | 'bytes';
export type Value = string | number | boolean | Uint8Array | null;
export type Row = Record<string, Value>;

export interface TableSpec {
  name: string;
  columns: Readonly<Record<string, ColumnKind>>;
  /** Primary key order, so a backup reads the same way every time. */
  orderBy: string;
  /** Written by a trigger when its source rows are restored (so it is compared, not inserted). */
  derived?: true;
  /** An identity column whose sequence PostgreSQL must advance past the restored rows. */
  serial?: string;
  /** Its rows hold whole files (PDFs, Anlagen): read one at a time. */
  files?: true;
}

const text = 'text' as const;
const integer = 'integer' as const;
const flag = 'flag' as const;
const bytes = 'bytes' as const;

/** In the order a restore inserts them: every table before the tables referring to it. */
export const BACKUP_TABLES: readonly TableSpec[] = [
  { name: 'markers', orderBy: 'key', columns: { key: text, created_at: text } },
  { name: 'departments', orderBy: 'id', columns: { id: text, name: text, short_name: text, function: text } },
  {
    name: 'users',
    orderBy: 'id',
    columns: {
      id: text,
      username: text,
      display_name: text,
      department_id: text,
      roles: text,
      password_hash: text,
      disabled: flag,
      created_at: text,
      updated_at: text,
    },
  },
  {
    name: 'dossiers',
    orderBy: 'id',
    columns: {
      id: text,
      template_id: text,
      title: text,
      status: text,
      reference_number: text,
      created_at: text,
      updated_at: text,
      lead_department_id: text,
      involved_department_ids: text,
      public: flag,
      revision: integer,
    },
  },
  {
    name: 'sections',
    orderBy: 'dossier_id, section_id',
    columns: { dossier_id: text, section_id: text, state: bytes, content: text, updated_at: text },
  },
  {
    name: 'signatures',
    orderBy: 'dossier_id, revision, department_id',
    columns: {
      dossier_id: text,
      revision: integer,
      department_id: text,
      user_id: text,
      signed_at: text,
      decision: text,
      remark: text,
      sections: text,
      contents: text,
    },
  },
  {
    name: 'drafting_snapshots',
    orderBy: 'dossier_id, id',
    columns: { dossier_id: text, id: integer, taken_at: text, content_hash: text, sections: text, author_ids: text, audit_upto: integer },
  },
  {
    name: 'attachment_files',
    orderBy: 'id',
    files: true,
    columns: {
      id: text,
      dossier_id: text,
      file_name: text,
      media_type: text,
      size: integer,
      sha256: text,
      uploaded_by: text,
      uploaded_at: text,
      bytes: bytes,
    },
  },
  {
    // since when no Anlage holds a file: a restore keeps the clock of its deletion running
    name: 'unreferenced_attachment_files',
    orderBy: 'file_id',
    columns: { file_id: text, dossier_id: text, since: text },
  },
  {
    name: 'versions',
    orderBy: 'dossier_id, version',
    files: true,
    columns: {
      dossier_id: text,
      version: integer,
      released_at: text,
      released_by: text,
      reference_number: text,
      sha256: text,
      pdf: bytes,
      signatures: text,
    },
  },
  {
    name: 'version_sections',
    orderBy: 'dossier_id, version, section_id',
    columns: { dossier_id: text, version: integer, section_id: text, state: bytes, content: text },
  },
  {
    name: 'version_attachment_files',
    orderBy: 'dossier_id, version, file_id',
    derived: true,
    columns: { dossier_id: text, version: integer, file_id: text, anlage_id: text, public: flag, sha256: text },
  },
  {
    name: 'audit_log',
    orderBy: 'id',
    serial: 'id',
    columns: { id: integer, at: text, user_id: text, action: text, dossier_id: text, section_id: text, detail: text },
  },
];

/**
 * Tables a backup leaves out: logins (everyone signs in again after a restore), the schema bookkeeping, and the
 * full-text index, which the search rebuilds from the sections (server/search/search.ts catches up stale sections).
 */
export const LEFT_OUT = ['sessions', 'schema_migrations', 'section_text', 'section_text_state'];
const leftOut = (table: string) => LEFT_OUT.includes(table) || table.startsWith('section_text_') || table.startsWith('sqlite_');

/** Tables or columns the database has and the backup does not know: a migration that forgot the backup. */
export function unknownColumns(present: Map<string, string[]>): string[] {
  const unknown: string[] = [];
  for (const [table, columns] of present) {
    if (leftOut(table)) continue;
    const spec = BACKUP_TABLES.find((candidate) => candidate.name === table);
    if (!spec) unknown.push(table);
    else unknown.push(...columns.filter((column) => !(column in spec.columns)).map((column) => `${table}.${column}`));
  }
  return unknown;
}

/** One transaction on the raw database. */
export interface TableTransaction {
  /** The table's rows in key order, a few at a time. */
  rows(table: TableSpec): AsyncIterable<Row>;
  /** Inserts rows that all have the same columns. */
  insert(table: TableSpec, rows: readonly Row[]): Promise<void>;
  count(table: TableSpec): Promise<number>;
}

export interface Tables {
  readonly kind: 'sqlite' | 'postgres';
  schemaVersion(): Promise<number>;
  /** Every table's column names. */
  columns(): Promise<Map<string, string[]>>;
  /** `read`: one consistent snapshot of everything; `write`: all or nothing. */
  transaction<R>(mode: 'read' | 'write', work: (tx: TableTransaction) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

const quoted = (name: string) => `"${name}"`;
const columnList = (table: TableSpec) => Object.keys(table.columns).map(quoted).join(', ');

/** A stored value as the neutral one of its kind. */
function fromStored(kind: ColumnKind, value: unknown): Value {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'flag':
      return value === true || value === 1;
    case 'integer':
      return Number(value); // BIGINT arrives as text from pg
    case 'bytes':
      return value as Uint8Array;
    default:
      return value as string;
  }
}

const neutral = (table: TableSpec, stored: Record<string, unknown>): Row =>
  Object.fromEntries(Object.entries(table.columns).map(([column, kind]) => [column, fromStored(kind, stored[column])]));

const buffer = (value: Value) => (value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value);

export function sqliteTables(file: string): Tables {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const transaction: TableTransaction = {
    async *rows(table) {
      for (const row of db.prepare(`SELECT ${columnList(table)} FROM ${quoted(table.name)} ORDER BY ${table.orderBy}`).iterate()) {
        yield neutral(table, row as Record<string, unknown>);
      }
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!);
      const insert = db.prepare(`INSERT INTO ${quoted(table.name)} (${columns.map(quoted).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      for (const row of rows) insert.run(columns.map((column) => (typeof row[column] === 'boolean' ? (row[column] ? 1 : 0) : buffer(row[column]!))));
    },
    async count(table) {
      return (db.prepare(`SELECT COUNT(*) AS n FROM ${quoted(table.name)}`).get() as { n: number }).n;
    },
  };
  return {
    kind: 'sqlite',
    async schemaVersion() {
      return db.pragma('user_version', { simple: true }) as number;
    },
    async columns() {
      const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as { name: string }[];
      return new Map(tables.map(({ name }) => [name, (db.pragma(`table_info(${quoted(name)})`) as { name: string }[]).map((column) => column.name)]));
    },
    async transaction(mode, work) {
      // deferred: the first read fixes the snapshot (WAL) for the whole backup; immediate: the write lock first
      db.exec(mode === 'read' ? 'BEGIN' : 'BEGIN IMMEDIATE');
      try {
        const result = await work(transaction);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
    async close() {
      db.close();
    },
  };
}

/** Rows fetched at once from a cursor: one where a row holds a file, fewer where it holds a Yjs state. */
const batchOf = (table: TableSpec) => (table.files ? 1 : Object.values(table.columns).includes('bytes') ? 50 : 500);
/** Rows per INSERT statement (PostgreSQL allows 65535 parameters). */
const INSERT_ROWS = 200;

export async function postgresTables(connectionString: string): Promise<Tables> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const transaction: TableTransaction = {
    async *rows(table) {
      await client.query(`DECLARE backup_rows NO SCROLL CURSOR FOR SELECT ${columnList(table)} FROM ${quoted(table.name)} ORDER BY ${table.orderBy}`);
      for (;;) {
        const { rows } = await client.query(`FETCH ${batchOf(table)} FROM backup_rows`);
        if (rows.length === 0) break;
        for (const row of rows) yield neutral(table, row as Record<string, unknown>);
      }
      await client.query('CLOSE backup_rows');
    },
    async insert(table, rows) {
      for (let start = 0; start < rows.length; start += INSERT_ROWS) {
        const chunk = rows.slice(start, start + INSERT_ROWS);
        const columns = Object.keys(chunk[0]!);
        const values = chunk.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
        await client.query(
          `INSERT INTO ${quoted(table.name)} (${columns.map(quoted).join(', ')}) VALUES ${values}`,
          chunk.flatMap((row) => columns.map((column) => buffer(row[column]!))),
        );
      }
      if (table.serial) {
        await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT MAX(${quoted(table.serial)}) FROM ${quoted(table.name)}), 1))`, [
          table.name,
          table.serial,
        ]);
      }
    },
    async count(table) {
      return Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${quoted(table.name)}`)).rows[0]!.n);
    },
  };
  return {
    kind: 'postgres',
    async schemaVersion() {
      return (await client.query<{ version: number }>(`SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations`)).rows[0]!.version;
    },
    async columns() {
      const { rows } = await client.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
      );
      const columns = new Map<string, string[]>();
      for (const row of rows) columns.set(row.table_name, [...(columns.get(row.table_name) ?? []), row.column_name]);
      return columns;
    },
    async transaction(mode, work) {
      await client.query(mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      try {
        const result = await work(transaction);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async close() {
      await client.end();
    },
  };
}
