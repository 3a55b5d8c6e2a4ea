/**
 * The storage contract: what every Storage back end must do, registered for
 * one back end by `storageContract(factory)` (SQLite in sqlite.test.ts; the
 * production issue adds PostgreSQL). The persistence failure paths against
 * the real server run over the same factories in
 * tests/collab/persistence-failures.test.ts.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { emptyRichText } from '../../dossier/content';
import { readSection, textRoots } from '../../dossier/layout';
import { findSection } from '../../dossier/template';
import { createDossier } from '../../server/dossiers/create';
import type { DossierRecord, Storage } from '../../server/storage/storage';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot, typeInto } from '../support/server';
import type { StorageFactory } from './factories';

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;

/** A Yjs state of the given rich-text section with `text` typed into it, and the JSON derived from it. */
async function editedSection(storage: Storage, dossierId: string, sectionId: string, text: string) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await storage.loadSectionState(dossierId, sectionId))!);
  typeInto(doc, text);
  const section = findSection(template, sectionId)!;
  return { state: Y.encodeStateAsUpdate(doc), content: readSection(doc, section) };
}

/** The JSON the stored Yjs state gives: what the stored JSON must equal. */
async function derivedFromStoredState(storage: Storage, dossierId: string, sectionId: string): Promise<unknown> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await storage.loadSectionState(dossierId, sectionId))!);
  return readSection(doc, findSection(template, sectionId)!);
}

export function storageContract(factory: StorageFactory): void {
  describe(`storage contract: ${factory.name}`, () => {
    let storage: Storage;
    let dossier: DossierRecord;
    beforeAll(async () => {
      storage = await factory.open();
      await storage.saveDepartment({ id: 'sc', name: 'Smart City', shortName: 'SC', function: 'smart-city' });
      dossier = await createDossier(storage, template, { title: 'Vertragsprüfung', leadDepartmentId: 'sc', involvedDepartmentIds: ['kae'] });
    });
    afterAll(() => storage?.close());

    it('creates a dossier with every section: state and JSON agree from the start', async () => {
      expect(await storage.getDossier(dossier.id)).toEqual(dossier);
      const contents = await storage.getSectionContents(dossier.id);
      expect([...contents.keys()].sort()).toEqual(template.sections.map((s) => s.id).sort());
      for (const section of template.sections) {
        expect(contents.get(section.id)!.content, section.id).toEqual(await derivedFromStoredState(storage, dossier.id, section.id));
      }
    });

    it('stores Yjs state and JSON together, with title, visibility, updatedAt and the audit entries', async () => {
      const { state, content } = await editedSection(storage, dossier.id, 'ausgangslage', 'Gespeicherter Satz.');
      const at = new Date(Date.now() + 1000).toISOString();
      await storage.storeSection({ dossierId: dossier.id, sectionId: 'ausgangslage', state, content, updatedAt: at, changedBy: ['u1', 'u2'], title: 'Neuer Titel', public: false });
      expect(await storage.loadSectionState(dossier.id, 'ausgangslage')).toEqual(state);
      expect((await storage.getSectionContents(dossier.id)).get('ausgangslage')).toEqual({ content, updatedAt: at });
      expect(await derivedFromStoredState(storage, dossier.id, 'ausgangslage')).toEqual(content);
      expect(await storage.getDossier(dossier.id)).toMatchObject({ title: 'Neuer Titel', public: false, updatedAt: at });
      const audit = await storage.listAudit({ dossierId: dossier.id, limit: 10 });
      expect(audit.map((e) => [e.userId, e.action, e.sectionId]).sort()).toEqual([
        ['u1', 'section.changed', 'ausgangslage'],
        ['u2', 'section.changed', 'ausgangslage'],
      ]);
    });

    it('a store to a section that does not exist fails and changes nothing', async () => {
      const before = { dossier: await storage.getDossier(dossier.id), audit: await storage.listAudit({ dossierId: dossier.id, limit: 100 }) };
      const doc = new Y.Doc();
      textRoots(doc);
      await expect(
        storage.storeSection({ dossierId: dossier.id, sectionId: 'gibt-es-nicht', state: Y.encodeStateAsUpdate(doc), content: emptyRichText(), updatedAt: new Date(Date.now() + 5000).toISOString(), changedBy: ['u3'], title: 'Falsch' }),
      ).rejects.toThrow();
      expect(await storage.getDossier(dossier.id)).toEqual(before.dossier);
      expect(await storage.listAudit({ dossierId: dossier.id, limit: 100 })).toEqual(before.audit);
    });

    it('a later store replaces an earlier one completely', async () => {
      for (const text of ['Erste Fassung.', 'Zweite Fassung.']) {
        const { state, content } = await editedSection(storage, dossier.id, 'wirkung', text);
        await storage.storeSection({ dossierId: dossier.id, sectionId: 'wirkung', state, content, updatedAt: new Date().toISOString() });
      }
      const stored = (await storage.getSectionContents(dossier.id)).get('wirkung')!.content;
      expect(JSON.stringify(stored)).toContain('Erste Fassung.Zweite Fassung.');
      expect(stored).toEqual(await derivedFromStoredState(storage, dossier.id, 'wirkung'));
    });

    it('keeps drafting snapshots per dossier, numbered, with the authors of the stores since the previous one', async () => {
      const own = await createDossier(storage, template, { title: 'Verlauf', leadDepartmentId: 'sc', involvedDepartmentIds: [] });
      const other = await createDossier(storage, template, { title: 'Andere', leadDepartmentId: 'sc', involvedDepartmentIds: [] });
      const store = async (dossierId: string, sectionId: string, text: string, changedBy: string[]) => {
        const { state, content } = await editedSection(storage, dossierId, sectionId, text);
        await storage.storeSection({ dossierId, sectionId, state, content, updatedAt: new Date().toISOString(), changedBy });
      };
      const take = (n: number) => storage.addDraftingSnapshot({ dossierId: own.id, takenAt: `2026-05-0${n}T10:00:00.000Z`, contentHash: `hash-${n}`, sections: { ausgangslage: { n } } });

      await store(own.id, 'ausgangslage', 'Eins.', ['u1']);
      await store(other.id, 'ausgangslage', 'Fremd.', ['u9']);
      expect(await take(1)).toEqual({ dossierId: own.id, id: 1, takenAt: '2026-05-01T10:00:00.000Z', contentHash: 'hash-1', authorIds: ['u1'] });
      await store(own.id, 'wirkung', 'Zwei.', ['u2', 'u1']);
      await store(own.id, 'ausgangslage', 'Drei.', ['u2']);
      expect((await take(2)).authorIds).toEqual(['u2', 'u1']);
      expect((await take(3)).authorIds).toEqual([]);

      expect((await storage.listDraftingSnapshots(own.id)).map((s) => [s.id, s.contentHash])).toEqual([
        [3, 'hash-3'],
        [2, 'hash-2'],
        [1, 'hash-1'],
      ]);
      expect(await storage.getDraftingSnapshot(own.id, 2)).toMatchObject({ id: 2, authorIds: ['u2', 'u1'], sections: { ausgangslage: { n: 2 } } });
      expect(await storage.getDraftingSnapshot(own.id, 4)).toBeUndefined();
      expect(await storage.listDraftingSnapshots(other.id)).toEqual([]);
      expect(await storage.getDraftingSnapshot(other.id, 1)).toBeUndefined();
    });

    it('usernames are unique regardless of case', async () => {
      await storage.saveDepartment({ id: 'kae', name: 'Kämmerei', shortName: '20', function: 'finance' });
      const user = { id: 'u-a', username: 'Erika.Muster', displayName: 'Erika', departmentId: 'kae', roles: ['finance' as const], passwordHash: 'x', disabled: false, createdAt: 'a', updatedAt: 'a' };
      await storage.createUser(user);
      await expect(storage.createUser({ ...user, id: 'u-b', username: 'erika.muster' })).rejects.toThrow();
      expect((await storage.getUserByUsername('ERIKA.MUSTER'))?.id).toBe('u-a');
    });
  });
}
