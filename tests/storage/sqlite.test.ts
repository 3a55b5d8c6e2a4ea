/** The storage contract for SQLite, and migrating an existing SQLite file. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations, openSqliteStorage } from '../../server/storage/sqlite';
import { tempDataDir } from '../support/server';
import { storageContract } from './contract';
import { sqliteFactory } from './factories';

storageContract(sqliteFactory);

describe('SQLite migrations', () => {
  it('opens a file at schema version 1: its data is kept and the schema becomes current', async () => {
    const file = join(tempDataDir().dir, 'ratsdossier.sqlite');
    const old = new Database(file);
    old.exec(migrations[0]!);
    old.pragma('user_version = 1');
    old
      .prepare(`INSERT INTO dossiers (id, template_id, title, status, reference_number, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run('d-alt', 'verstetigung-smart-city', 'Altes Dossier', 'cosigning', 'VO-24-00001', '2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z');
    old
      .prepare(`INSERT INTO sections (dossier_id, section_id, state, content, updated_at) VALUES (?, ?, ?, ?, ?)`)
      .run('d-alt', 'betreff', Buffer.from([0, 0]), '{"type":"doc","content":[]}', '2024-01-02T00:00:00.000Z');
    old.prepare(`INSERT INTO markers (key, created_at) VALUES (?, ?)`).run('demo-seeded', '2024-01-01T00:00:00.000Z');
    old.close();

    const storage = openSqliteStorage(file);
    expect(await storage.dossiers.get('d-alt')).toEqual({
      id: 'd-alt',
      templateId: 'verstetigung-smart-city',
      title: 'Altes Dossier',
      status: 'cosigning',
      referenceNumber: 'VO-24-00001',
      leadDepartmentId: '',
      involvedDepartmentIds: [],
      public: true,
      revision: 1,
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-02T00:00:00.000Z',
    });
    expect(await storage.dossiers.loadSectionState('d-alt', 'betreff')).toEqual(new Uint8Array([0, 0]));
    expect((await storage.dossiers.getSectionContents('d-alt')).get('betreff')?.content).toEqual({ type: 'doc', content: [] });
    expect(await storage.accounts.claimOnce('demo-seeded')).toBe(false);
    // the tables of later migrations exist and work
    await storage.accounts.saveDepartment({ id: 'sc', name: 'Smart City', shortName: 'SC', function: 'smart-city' });
    expect(await storage.accounts.listDepartments()).toHaveLength(1);
    await storage.close();

    const reopened = new Database(file, { readonly: true });
    expect(reopened.pragma('user_version', { simple: true })).toBe(migrations.length);
    reopened.close();
    // opening again runs nothing twice
    const again = openSqliteStorage(file);
    expect(await again.dossiers.get('d-alt')).toMatchObject({ title: 'Altes Dossier' });
    await again.close();
  });

  it('refuses a file from a newer version with a German message', () => {
    const file = join(tempDataDir().dir, 'ratsdossier.sqlite');
    const future = new Database(file);
    future.pragma(`user_version = ${migrations.length + 1}`);
    future.close();
    expect(() => openSqliteStorage(file)).toThrow(/Bitte Ratsdossier aktualisieren/);
  });
});
