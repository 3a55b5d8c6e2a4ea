/**
 * Opens the storage the configuration names: PostgreSQL when DATABASE_URL is set,
 * otherwise the SQLite file in DATA_DIR. The server and every CLI open it here.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';
import { openSqliteStorage } from './sqlite';
import type { Storage } from './storage';

export async function openStorage(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Storage> {
  if (config.databaseUrl) {
    const { openPostgresStorage } = await import('./postgres');
    return openPostgresStorage(config.databaseUrl);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return openSqliteStorage(sqliteFile(config));
}

/** The SQLite file of an installation without DATABASE_URL. */
export const sqliteFile = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'ratsdossier.sqlite');
