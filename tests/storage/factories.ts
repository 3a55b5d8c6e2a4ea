/** The storage back ends the contract suite and the persistence failure tests run against. */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStorage } from '../../server/storage/postgres';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { Storage } from '../../server/storage/storage';
import { tempDataDir } from '../support/server';

export interface StorageFactory {
  name: string;
  /** A fresh, empty storage of this kind. */
  open(): Promise<Storage>;
  /** Two storages on one fresh database, as two server processes would have. */
  openPair(): Promise<[Storage, Storage]>;
}

export const sqliteFactory: StorageFactory = {
  name: 'sqlite',
  open: async () => openSqliteStorage(join(tempDataDir().dir, 'ratsdossier.sqlite')),
  openPair: async () => {
    const file = join(tempDataDir().dir, 'ratsdossier.sqlite');
    return [openSqliteStorage(file), openSqliteStorage(file)];
  },
};

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL cannot be used for tests, or undefined when it can. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: testDatabaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `${testDatabaseUrl} is not reachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Like `redisUnavailable`: why PostgreSQL cannot be used for `what`, printed; in CI (`CI` set) it throws instead. */
export async function postgresUnavailableFor(what: string): Promise<string | undefined> {
  const reason = await postgresUnavailable();
  if (reason && process.env.CI) throw new Error(`PostgreSQL is required in CI for ${what}: ${reason}`);
  if (reason) console.warn(`Skipping ${what}: ${reason}`);
  return reason;
}

/** A fresh schema on the test database (the caller drops it); its URL sets the search_path, for storages and server processes alike. */
export async function freshSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `rd_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** Storages on one fresh schema; closing the last one drops the schema. */
async function onFreshSchema(count: number): Promise<Storage[]> {
  const { url, drop } = await freshSchema();
  let open = count;
  const storages: Storage[] = [];
  for (let i = 0; i < count; i += 1) {
    const storage = await openPostgresStorage(url, { max: 4 });
    storages.push({
      ...storage,
      async close() {
        await storage.close();
        open -= 1;
        if (open === 0) await drop();
      },
    });
  }
  return storages;
}

export const postgresFactory: StorageFactory = {
  name: 'postgres',
  open: async () => (await onFreshSchema(1))[0]!,
  openPair: async () => (await onFreshSchema(2)) as [Storage, Storage],
};

/**
 * The back ends a test of every storage runs against: SQLite, and PostgreSQL where it answers. Without
 * PostgreSQL such a test fails in CI and runs on SQLite alone elsewhere, saying why.
 */
export async function storageBackends(): Promise<StorageFactory[]> {
  const reason = await postgresUnavailable();
  if (!reason) return [sqliteFactory, postgresFactory];
  if (process.env.CI) throw new Error(`PostgreSQL is required in CI: ${reason}`);
  console.warn(`[storage] PostgreSQL skipped: ${reason}`);
  return [sqliteFactory];
}
