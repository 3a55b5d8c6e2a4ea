/**
 * `npm run backup` / `npm run restore` as separate processes against a real installation: a server on SQLite with a
 * released Vorlage (signatures, PDF, files of Anlagen), a draft written live (Yjs state, drafting history) and an
 * account of its own. Its backup restores into a fresh PostgreSQL schema table by table identical, and a server on
 * that schema serves the Vorlage, the same PDF bytes, the files, the search and the old passwords. SQLite to SQLite
 * and PostgreSQL back to SQLite give the same tables again. A storage that holds anything, and a broken, truncated,
 * foreign or future file, are refused with a message and change nothing.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import { sqliteFile } from '../../server/storage/open';
import { BACKUP_TABLES, postgresTables, sqliteTables, type TableTransaction, type Tables, unknownColumns } from '../../server/backup/tables';
import { openPostgresStorage } from '../../server/storage/postgres';
import { migrations, openSqliteStorage } from '../../server/storage/sqlite';
import type { Storage } from '../../server/storage/storage';
import { freshSchema, postgresUnavailable } from '../storage/factories';
import { pdfBytes, xlsxBytes } from '../support/files';
import {
  api,
  createTestDossier,
  login,
  projectRoot,
  startTestServer,
  tempDataDir,
  TestClient,
  typeInto,
  users,
  type Session,
  type TestServer,
} from '../support/server';
import { completeDossier, signAll, startCosigning } from '../workflow/support';

const reason = await postgresUnavailable();
if (reason) {
  if (process.env.CI) throw new Error(`PostgreSQL is required in CI: ${reason}`);
  console.warn(`[backup] PostgreSQL parts skipped: ${reason}`);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Runs `npm run backup|restore -- <file>` in its own process, as an operator would. */
async function cli(command: 'backup' | 'restore', file: string, storage: { dataDir?: string; databaseUrl?: string }) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(projectRoot, 'server/backup/cli.ts'), command, file], {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: storage.dataDir ?? tempDataDir().dir, DATABASE_URL: storage.databaseUrl ?? '', LOG_LEVEL: 'warn' },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Every backed-up table's rows, bytes as their SHA-256: what must be identical after a restore. */
async function dump(tables: Tables): Promise<Record<string, unknown[]>> {
  try {
    return await tables.transaction('read', async (tx) => {
      const rows: Record<string, unknown[]> = {};
      for (const table of BACKUP_TABLES) {
        rows[table.name] = [];
        for await (const row of tx.rows(table)) {
          rows[table.name]!.push(Object.fromEntries(Object.entries(row).map(([c, v]) => [c, v instanceof Uint8Array ? `sha256:${sha256(v)}` : v])));
        }
      }
      return rows;
    });
  } finally {
    await tables.close();
  }
}
const dumpSqlite = async (dataDir: string) => dump(sqliteTables(sqliteFile({ dataDir })));
const dumpPostgres = async (url: string) => dump(await postgresTables(url));
const rowCount = (rows: Record<string, unknown[]>) => Object.values(rows).reduce((sum, table) => sum + table.length, 0);

const pdf = pdfBytes('Evaluationsbericht');
const xlsx = xlsxBytes();
const password = 'Backup-Probe-2026!sicher';
const username = 'backup.probe';

let source: TestServer;
let sourceDump: Record<string, unknown[]>;
let releasedId: string;
let draftId: string;
let versionPdfSha: string;
let fileIds: { evaluation: string; kosten: string; draft: string };
const work = tempDataDir();
const backupFile = join(work.dir, 'ratsdossier.backup');
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  source = await startTestServer();
  const lead = await login(source.url, users.lead);
  const upload = (as: Session, id: string, bytes: Uint8Array, fileName: string, query: string) =>
    api(source.url, `/api/dossiers/${id}/attachments?${query}`, {
      method: 'POST',
      session: as,
      body: Buffer.from(bytes),
      headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(fileName) },
    });

  // a released Vorlage: signatures, a version with its PDF and the files of its Anlagen
  releasedId = await completeDossier(source, { title: 'Gesicherte Vorlage mit Anlagen' });
  const evaluation = await upload(lead, releasedId, pdf, 'Evaluationsbericht.pdf', 'anlage=evaluation');
  const kosten = await upload(lead, releasedId, xlsx, 'Kosten.xlsx', 'anlage=kosten');
  expect([evaluation.status, kosten.status]).toEqual([201, 201]);
  await startCosigning(source, lead, releasedId);
  await signAll(source, releasedId);
  const clerk = await login(source.url, users.clerk);
  const released = await api(source.url, `/api/dossiers/${releasedId}/release`, { method: 'POST', session: clerk, json: {} });
  expect(released.status, JSON.stringify(released.body)).toBe(201);

  // a draft written live (Yjs state and a drafting snapshot), with a file not yet released
  draftId = await createTestDossier(source.url, { session: lead, title: 'Entwurf zur Pegelmessung' });
  const editor = new TestClient(source.wsUrl, lead);
  const name = documentName(draftId, 'ausgangslage');
  editor.open(name);
  await editor.synced(name);
  typeInto(editor.doc(name), 'Die Pegelmessstellen am Mühlbach melden alle zehn Minuten.');
  await editor.storedAll(name);
  editor.destroy();
  const draftFile = await upload(lead, draftId, pdf, 'Messkonzept.pdf', 'public=true');
  expect(draftFile.status).toBe(201);
  fileIds = { evaluation: evaluation.body.fileId, kosten: kosten.body.fileId, draft: draftFile.body.fileId };

  // an account with its own password
  const admin = await login(source.url, users.admin);
  const created = await api(source.url, '/api/users', {
    method: 'POST',
    session: admin,
    json: { username, displayName: 'Backup Probe', password, departmentId: 'smart-city', roles: ['author'] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);

  versionPdfSha = (await source.storage.workflow.getVersion(releasedId, 1))!.sha256;
  await source.close();
  sourceDump = await dumpSqlite(source.dataDir);

  const backedUp = await cli('backup', backupFile, { dataDir: source.dataDir });
  expect(backedUp, backedUp.stderr).toMatchObject({ code: 0 });
  expect(backedUp.stdout).toMatch(/Sicherung .* geschrieben: .*2 Vorlagen, 1 Fassungen, 3 Dateien/);
}, 300_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  work.remove();
});

describe('a backup', () => {
  it('holds every table the storages have, except sessions and the search index', async () => {
    const tables = sqliteTables(sqliteFile({ dataDir: source.dataDir }));
    try {
      expect(unknownColumns(await tables.columns())).toEqual([]);
    } finally {
      await tables.close();
    }
    for (const table of ['dossiers', 'sections', 'signatures', 'versions', 'version_sections', 'version_attachment_files', 'drafting_snapshots', 'users']) {
      expect(sourceDump[table]!.length, table).toBeGreaterThan(0);
    }
    const lines = gunzipSync(readFileSync(backupFile)).toString('utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'ratsdossier-backup', formatVersion: 1, schemaVersion: migrations.length, source: 'sqlite' });
    expect(lines.some((line) => line.includes('"table":"sessions"'))).toBe(false);
    expect(JSON.parse(lines.at(-1)!).end.rows.dossiers).toBe(2);
  });

  it('is taken while the server runs and writes', async () => {
    const running = await startTestServer();
    cleanups.push(() => running.close());
    const lead = await login(running.url, users.lead);
    const dossierId = await createTestDossier(running.url, { session: lead });
    const editor = new TestClient(running.wsUrl, lead);
    cleanups.push(() => editor.destroy());
    const name = documentName(dossierId, 'ausgangslage');
    editor.open(name);
    await editor.synced(name);
    // the first sentence at once: otherwise the wait below can end before anything was typed, and the backup hold no change
    typeInto(editor.doc(name), 'Satz. ');
    const typing = setInterval(() => typeInto(editor.doc(name), 'Satz. '), 50);
    try {
      await editor.storedAll(name);
      const file = join(work.dir, 'live.backup');
      const backedUp = await cli('backup', file, { dataDir: running.dataDir });
      expect(backedUp, backedUp.stderr).toMatchObject({ code: 0 });
      const target = tempDataDir();
      cleanups.push(target.remove);
      expect((await cli('restore', file, { dataDir: target.dir })).code).toBe(0);
      // a section's store touches its dossier in the same transaction: the snapshot has both or neither
      const restored = await dumpSqlite(target.dir);
      const dossier = restored.dossiers!.find((row) => (row as { id: string }).id === dossierId) as { updated_at: string };
      const sections = restored.sections!.filter((row) => (row as { dossier_id: string }).dossier_id === dossierId) as { updated_at: string }[];
      expect(dossier.updated_at).toBe(
        sections
          .map((section) => section.updated_at)
          .sort()
          .at(-1),
      );
      expect(restored.audit_log!.some((row) => (row as { action: string }).action === 'section.changed')).toBe(true);
    } finally {
      clearInterval(typing);
    }
  });

  for (const kind of ['sqlite', 'postgres'] as const) {
    it.skipIf(kind === 'postgres' && reason !== undefined)(`reads one snapshot of ${kind}: what commits meanwhile is not in it`, async () => {
      let storage: Storage;
      let tables: Tables;
      if (kind === 'sqlite') {
        const dir = tempDataDir();
        cleanups.push(dir.remove);
        storage = openSqliteStorage(sqliteFile({ dataDir: dir.dir }));
        tables = sqliteTables(sqliteFile({ dataDir: dir.dir }));
      } else {
        const schema = await freshSchema();
        cleanups.push(schema.drop);
        storage = await openPostgresStorage(schema.url, { max: 2 });
        tables = await postgresTables(schema.url);
      }
      const entry = (action: string) => ({ at: new Date().toISOString(), userId: null, action, dossierId: null, sectionId: null, detail: null });
      const audit = BACKUP_TABLES.find((table) => table.name === 'audit_log')!;
      const actions = async (tx: TableTransaction) => {
        const seen: unknown[] = [];
        for await (const row of tx.rows(audit)) seen.push(row.action);
        return seen;
      };
      try {
        await storage.audit.append(entry('before'));
        const seen = await tables.transaction('read', async (tx) => {
          const first = await actions(tx);
          await storage.audit.append(entry('meanwhile')); // committed by another connection
          return [first, await actions(tx)];
        });
        expect(seen).toEqual([['before'], ['before']]);
      } finally {
        await tables.close();
        await storage.close();
      }
    });
  }

  it('is not written over an existing file', async () => {
    const before = readFileSync(backupFile);
    const again = await cli('backup', backupFile, { dataDir: source.dataDir });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/gibt es schon/);
    expect(readFileSync(backupFile).equals(before)).toBe(true);
  });
});

describe.skipIf(reason !== undefined)('restored into PostgreSQL', () => {
  let url: string;
  let server: TestServer;

  beforeAll(async () => {
    const schema = await freshSchema();
    cleanups.push(schema.drop);
    url = schema.url;
    const restored = await cli('restore', backupFile, { databaseUrl: url });
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    expect(restored.stdout).toMatch(/zurückgespielt/);
  }, 180_000);

  it('holds the same rows in every table: dossiers, section states, versions, PDFs, files, signatures, history, audit, users', async () => {
    const restored = await dumpPostgres(url);
    expect(restored).toEqual(sourceDump);
    expect(restored.audit_log!.length).toBe(sourceDump.audit_log!.length);
  });

  it('serves the Vorlage, the same PDF and files, the search and the old passwords', async () => {
    server = await startTestServer({ databaseUrl: url });
    cleanups.push(() => server.close());
    const probe = await login(server.url, username, password);
    expect(probe.user.username).toBe(username);
    const lead = await login(server.url, users.lead); // the demo password, as hashed in SQLite
    const dossier = await api(server.url, `/api/dossiers/${releasedId}`, { session: lead });
    expect(dossier.status).toBe(200);
    expect(dossier.body.title).toBe('Gesicherte Vorlage mit Anlagen');

    const versionPdf = await fetch(`${server.url}/api/dossiers/${releasedId}/export.pdf?version=1`, { headers: { cookie: lead.cookie } });
    expect(versionPdf.status).toBe(200);
    expect(sha256(new Uint8Array(await versionPdf.arrayBuffer()))).toBe(versionPdfSha);

    for (const [path, bytes] of [
      [`/api/dossiers/${releasedId}/versions/1/attachments/${fileIds.evaluation}`, pdf],
      [`/api/dossiers/${releasedId}/versions/1/attachments/${fileIds.kosten}`, xlsx],
      [`/api/dossiers/${draftId}/attachments/${fileIds.draft}`, pdf],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { headers: { cookie: lead.cookie } });
      expect(response.status, path).toBe(200);
      expect(sha256(new Uint8Array(await response.arrayBuffer())), path).toBe(sha256(bytes));
    }

    // the full-text index was not copied: the search rebuilds it from the restored sections
    const found = await api(server.url, `/api/search?q=${encodeURIComponent('pegelmess')}`, { session: lead });
    expect(found.status).toBe(200);
    expect(found.body.results.map((result: { dossierId: string }) => result.dossierId)).toContain(draftId);

    // a new audit entry after the restored ones: the sequence was advanced
    const before = (await server.storage.audit.list({ limit: 1 }))[0]!.id;
    await server.storage.audit.append({ at: new Date().toISOString(), userId: null, action: 'backup.probe', dossierId: null, sectionId: null, detail: null });
    expect((await server.storage.audit.list({ limit: 1 }))[0]!.id).toBe(before + 1);
  });

  it('backs up again from PostgreSQL and restores into SQLite with the same rows', async () => {
    const fromPostgres = join(work.dir, 'from-postgres.backup');
    const schema = await freshSchema();
    cleanups.push(schema.drop);
    // a copy of the restored schema, untouched by the server above
    expect((await cli('restore', backupFile, { databaseUrl: schema.url })).code).toBe(0);
    const backedUp = await cli('backup', fromPostgres, { databaseUrl: schema.url });
    expect(backedUp, backedUp.stderr).toMatchObject({ code: 0 });
    const target = tempDataDir();
    cleanups.push(target.remove);
    const restored = await cli('restore', fromPostgres, { dataDir: target.dir });
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    expect(await dumpSqlite(target.dir)).toEqual(sourceDump);
  });

  it('refuses a PostgreSQL storage that holds anything, and changes nothing', async () => {
    const before = await dumpPostgres(url);
    const refused = await cli('restore', backupFile, { databaseUrl: url });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/nicht leer/);
    expect(await dumpPostgres(url)).toEqual(before);
  });
});

describe('restored into SQLite', () => {
  it('holds the same rows in every table', async () => {
    const target = tempDataDir();
    cleanups.push(target.remove);
    const restored = await cli('restore', backupFile, { dataDir: target.dir });
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    expect(await dumpSqlite(target.dir)).toEqual(sourceDump);
  });

  it('refuses a storage that holds anything, and changes nothing', async () => {
    const refused = await cli('restore', backupFile, { dataDir: source.dataDir });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Die Datenbank ist nicht leer \(.*dossiers: 2/);
    expect(await dumpSqlite(source.dataDir)).toEqual(sourceDump);
  });

  const lines = () => gunzipSync(readFileSync(backupFile)).toString('utf8').trim().split('\n');
  const broken: [string, () => Buffer | string, RegExp][] = [
    ['a file that is not there', () => '', /gibt es nicht/],
    ['a file that is no gzip', () => Buffer.from('dossiers,sections\n1,2\n'), /keine lesbare Ratsdossier-Sicherung/],
    ['a truncated file', () => readFileSync(backupFile).subarray(0, Math.floor(readFileSync(backupFile).length * 0.6)), /keine lesbare Ratsdossier-Sicherung/],
    ['a file without its end', () => gzipSync(`${lines().slice(0, -1).join('\n')}\n`), /unvollständig: das Ende fehlt/],
    [
      'a file missing rows',
      () =>
        gzipSync(
          `${lines()
            .filter((line) => !line.includes('"table":"audit_log"'))
            .join('\n')}\n`,
        ),
      /es fehlen Zeilen in audit_log/,
    ],
    [
      'a file whose rows do not fit together',
      () =>
        gzipSync(
          `${lines()
            .filter((line) => !line.includes('"table":"versions"'))
            .join('\n')}\n`,
        ),
      /lässt sich nicht zurückspielen \(FOREIGN KEY/,
    ],
    ['a line that is no JSON', () => gzipSync(`${lines()[0]}\n{"table":"dossiers",\n`), /Zeile 2 ist kein JSON/],
    ['another format', () => gzipSync('{"format":"something-else"}\n'), /keine Ratsdossier-Sicherung/],
    ['a format version not known', () => gzipSync(`${lines()[0]!.replace('"formatVersion":1', '"formatVersion":99')}\n`), /Format 99/],
    ['a newer schema', () => gzipSync(`${lines()[0]!.replace(`"schemaVersion":${migrations.length}`, '"schemaVersion":70')}\n`), /neueren Version/],
  ];
  for (const [what, contents, message] of broken) {
    it(`refuses ${what} with a message and writes nothing`, async () => {
      const file = join(work.dir, `broken-${what.replaceAll(' ', '-')}.backup`);
      const written = contents();
      if (written !== '') writeFileSync(file, written);
      const target = tempDataDir();
      cleanups.push(target.remove);
      const refused = await cli('restore', file, { dataDir: target.dir });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(message);
      expect(refused.stderr).not.toMatch(/^Fehler:|at .*\.ts:\d+/m);
      const rows = await dumpSqlite(target.dir).catch(() => ({}));
      expect(rowCount(rows)).toBe(0);
    });
  }
});
