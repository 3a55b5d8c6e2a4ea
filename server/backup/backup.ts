/**
 * Backup and restore of a whole installation, the same for SQLite and PostgreSQL: a gzip'd file of JSON lines —
 * a header (format, format version, schema version), then one line per row, table by table (bytes as base64),
 * then a closing line with every table's row count. Written row by row, so a large PDF or file is in memory
 * once at a time.
 *
 * A backup reads everything in one transaction (one consistent snapshot) and writes to `<file>.partial`,
 * renamed once complete. A restore goes into an empty storage, after its migrations, in one transaction: a
 * broken or incomplete file writes nothing. Sessions are not kept (everyone signs in again); the full-text
 * index is rebuilt by the search from the restored sections.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Config } from '../config';
import { openStorage, sqliteFile } from '../storage/open';
import { migrations } from '../storage/sqlite';
import { BACKUP_TABLES, type ColumnKind, postgresTables, type Row, sqliteTables, type TableSpec, type Tables, unknownColumns, type Value } from './tables';

export const BACKUP_FORMAT = 'ratsdossier-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** A backup or restore that cannot be done, with a message for the operator. */
export class BackupError extends Error {
  override name = 'BackupError';
}

interface Header {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  schemaVersion: number;
  createdAt: string;
  source: 'sqlite' | 'postgres';
  tables: { name: string; columns: Record<string, ColumnKind> }[];
}

type Counts = Record<string, number>;

const TABLE_NAMES: Record<string, string> = {
  departments: 'Ämter',
  users: 'Benutzerkonten',
  dossiers: 'Vorlagen',
  versions: 'Fassungen',
  attachment_files: 'Dateien',
  audit_log: 'Protokolleinträge',
};

/** A short German summary of the counts ("3 Vorlagen, 1 Fassungen, …"). */
export const describeCounts = (counts: Counts) =>
  Object.entries(TABLE_NAMES)
    .map(([table, name]) => `${counts[table] ?? 0} ${name}`)
    .join(', ');

async function openTables(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Tables> {
  return config.databaseUrl ? postgresTables(config.databaseUrl) : sqliteTables(sqliteFile(config));
}

const encode = (kind: ColumnKind, value: Value): unknown =>
  kind === 'bytes' && value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : value;

/** Writes a backup of the configured storage to `file`, which must not exist yet. */
export async function backup(config: Pick<Config, 'dataDir' | 'databaseUrl'>, file: string): Promise<Counts> {
  if (existsSync(file)) throw new BackupError(`Die Datei ${file} gibt es schon. Bitte einen neuen Dateinamen angeben.`);
  if (!config.databaseUrl && !existsSync(sqliteFile(config))) throw new BackupError(`In ${config.dataDir} gibt es keine Datenbank (ratsdossier.sqlite).`);
  // the schema as this version of Ratsdossier has it (as every command, the storage migrates when it opens)
  await (await openStorage(config)).close();
  const tables = await openTables(config);
  const partial = `${file}.partial`;
  try {
    const unknown = unknownColumns(await tables.columns());
    if (unknown.length > 0) throw new BackupError(`Die Datenbank enthält, was die Sicherung nicht kennt: ${unknown.join(', ')}.`);
    const gzip = createGzip();
    const output = createWriteStream(partial, { flags: 'wx' });
    gzip.pipe(output);
    const outputDone = once(output, 'close');
    const failed = new Promise<never>((_, reject) => {
      output.once('error', reject);
      gzip.once('error', reject);
    });
    const write = async (line: unknown) => {
      if (!gzip.write(`${JSON.stringify(line)}\n`)) await Promise.race([once(gzip, 'drain'), failed]);
    };
    const counts = await tables.transaction('read', async (tx) => {
      const header: Header = {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        schemaVersion: await tables.schemaVersion(),
        createdAt: new Date().toISOString(),
        source: tables.kind,
        tables: BACKUP_TABLES.map((table) => ({ name: table.name, columns: { ...table.columns } })),
      };
      await write(header);
      const counts: Counts = {};
      for (const table of BACKUP_TABLES) {
        counts[table.name] = 0;
        for await (const row of tx.rows(table)) {
          await write({
            table: table.name,
            row: Object.fromEntries(Object.entries(row).map(([column, value]) => [column, encode(table.columns[column]!, value)])),
          });
          counts[table.name]! += 1;
        }
      }
      return counts;
    });
    await write({ end: { rows: counts } });
    gzip.end();
    await Promise.race([outputDone, failed]);
    const handle = await open(partial, 'r+');
    await handle.sync();
    await handle.close();
    if (existsSync(file)) throw new BackupError(`Die Datei ${file} ist inzwischen entstanden; die Sicherung wurde nicht geschrieben.`);
    await rename(partial, file);
    return counts;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    await tables.close();
  }
}

/** The lines of a gzip'd file, each parsed as JSON; a broken file ends in a BackupError. */
async function* backupLines(file: string): AsyncGenerator<{ number: number; value: unknown }> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.once('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  let pending: Buffer[] = [];
  let number = 0;
  const parse = (bytes: Buffer) => {
    number += 1;
    try {
      return { number, value: JSON.parse(bytes.toString('utf8')) as unknown };
    } catch {
      throw new BackupError(`Die Sicherung ${file} ist beschädigt: Zeile ${number} ist kein JSON.`);
    }
  };
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
        pending.push(chunk.subarray(start, end));
        yield parse(Buffer.concat(pending));
        pending = [];
        start = end + 1;
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    const { code, message } = error as { code?: string; message?: string };
    if (code === 'ENOENT') throw new BackupError(`Die Datei ${file} gibt es nicht.`);
    throw new BackupError(`Die Datei ${file} ist keine lesbare Ratsdossier-Sicherung (${message ?? code}).`);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  if (pending.length > 0) yield parse(Buffer.concat(pending));
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function checkHeader(file: string, value: unknown, schemaVersion: number): Header {
  if (!isObject(value) || value.format !== BACKUP_FORMAT) throw new BackupError(`Die Datei ${file} ist keine Ratsdossier-Sicherung.`);
  if (value.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      `Die Sicherung ${file} hat das Format ${String(value.formatVersion)}; diese Version von Ratsdossier liest nur Format ${BACKUP_FORMAT_VERSION}.`,
    );
  }
  if (typeof value.schemaVersion !== 'number' || value.schemaVersion > schemaVersion) {
    throw new BackupError(
      `Die Sicherung ${file} stammt von einer neueren Version von Ratsdossier (Schema ${String(value.schemaVersion)}, diese kennt ${schemaVersion}). Bitte Ratsdossier aktualisieren.`,
    );
  }
  return value as unknown as Header;
}

/** A row line's values as stored values; columns a later schema added keep their defaults. */
function decodeRow(table: TableSpec, raw: unknown, where: string): Row {
  if (!isObject(raw)) throw new BackupError(`${where}: keine Zeile.`);
  const row: Row = {};
  for (const [column, value] of Object.entries(raw)) {
    const kind = table.columns[column];
    if (!kind) throw new BackupError(`${where}: unbekannte Spalte ${table.name}.${column}.`);
    const fits =
      value === null ||
      (kind === 'text' && typeof value === 'string') ||
      (kind === 'integer' && Number.isSafeInteger(value)) ||
      (kind === 'flag' && typeof value === 'boolean') ||
      (kind === 'bytes' && typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value));
    if (!fits) throw new BackupError(`${where}: ${table.name}.${column} hat keinen gültigen Wert.`);
    row[column] = kind === 'bytes' && typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : (value as Value);
  }
  return row;
}

/** Rows gathered before an INSERT: up to this many, or this many bytes of files. */
const BATCH_ROWS = 200;
const BATCH_BYTES = 8 * 1024 * 1024;

const rowKey = (row: Row) =>
  JSON.stringify(
    Object.keys(row)
      .sort()
      .map((column) => [column, row[column]]),
  );

/** Restores a backup into the configured storage, which must hold nothing yet. */
export async function restore(config: Pick<Config, 'dataDir' | 'databaseUrl'>, file: string): Promise<Counts> {
  if (!existsSync(file)) throw new BackupError(`Die Datei ${file} gibt es nicht.`);
  const lines = backupLines(file);
  try {
    const first = await lines.next();
    if (first.done) throw new BackupError(`Die Datei ${file} ist leer.`);
    checkHeader(file, first.value.value, migrations.length);

    await (await openStorage(config)).close(); // migrations first
    const tables = await openTables(config);
    try {
      return await tables.transaction('write', async (tx) => {
        const held: string[] = [];
        for (const table of BACKUP_TABLES) {
          const count = await tx.count(table);
          if (count > 0) held.push(`${table.name}: ${count}`);
        }
        if (held.length > 0) {
          throw new BackupError(
            `Die Datenbank ist nicht leer (${held.join(', ')}). Eine Sicherung wird nur in eine leere Datenbank zurückgespielt; es wurde nichts geändert.`,
          );
        }

        const counts: Counts = Object.fromEntries(BACKUP_TABLES.map((table) => [table.name, 0]));
        const derived = new Map<string, Set<string>>();
        let batch: { table: TableSpec; rows: Row[]; bytes: number } | undefined;
        const flush = async () => {
          if (batch) {
            await tx.insert(batch.table, batch.rows).catch((error: Error) => {
              throw new BackupError(`Die Sicherung ${file} lässt sich nicht zurückspielen (${error.message}); es wurde nichts geändert.`);
            });
          }
          batch = undefined;
        };
        let end: Counts | undefined;

        for await (const { number, value } of lines) {
          const where = `Die Sicherung ${file} ist beschädigt: Zeile ${number}`;
          if (end) throw new BackupError(`${where} steht nach dem Ende.`);
          if (!isObject(value)) throw new BackupError(`${where}: kein Objekt.`);
          if (isObject(value.end)) {
            end = (isObject(value.end.rows) ? value.end.rows : {}) as Counts;
            continue;
          }
          const table = BACKUP_TABLES.find((candidate) => candidate.name === value.table);
          if (!table) throw new BackupError(`${where}: unbekannte Tabelle ${String(value.table)}.`);
          const row = decodeRow(table, value.row, where);
          counts[table.name]! += 1;
          if (table.derived) {
            derived.set(table.name, (derived.get(table.name) ?? new Set()).add(rowKey(row)));
            continue;
          }
          if (batch && (batch.table !== table || batch.rows.length >= BATCH_ROWS || batch.bytes >= BATCH_BYTES)) await flush();
          batch ??= { table, rows: [], bytes: 0 };
          batch.rows.push(row);
          batch.bytes += Object.values(row).reduce((sum: number, item) => sum + (item instanceof Uint8Array ? item.byteLength : 0), 0);
        }
        await flush();

        if (!end) throw new BackupError(`Die Sicherung ${file} ist unvollständig: das Ende fehlt.`);
        const differing = BACKUP_TABLES.filter((table) => (end[table.name] ?? 0) !== counts[table.name]);
        if (differing.length > 0) {
          throw new BackupError(`Die Sicherung ${file} ist unvollständig: es fehlen Zeilen in ${differing.map((table) => table.name).join(', ')}.`);
        }
        // rows a trigger wrote while their sources were restored must be the ones the backup holds
        for (const table of BACKUP_TABLES.filter((candidate) => candidate.derived)) {
          const expected = derived.get(table.name) ?? new Set<string>();
          const written = new Set<string>();
          for await (const row of tx.rows(table)) written.add(rowKey(row));
          if (written.size !== expected.size || [...written].some((key) => !expected.has(key))) {
            throw new BackupError(`Die zurückgespielte Tabelle ${table.name} stimmt nicht mit der Sicherung überein; es wurde nichts geändert.`);
          }
        }
        return counts;
      });
    } finally {
      await tables.close();
    }
  } finally {
    await lines.return(undefined);
  }
}
