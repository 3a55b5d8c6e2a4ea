/** The storage back ends the contract suite and the persistence failure tests run against. */
import { join } from 'node:path';
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

export const storageFactories: StorageFactory[] = [sqliteFactory];
