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
import { ReferenceNumberTakenError, type DossierRecord, type Storage } from '../../server/storage/storage';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot, typeInto } from '../support/server';
import type { StorageFactory } from './factories';

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;

/** A Yjs state of the given rich-text section with `text` typed into it, and the JSON derived from it. */
async function editedSection(storage: Storage, dossierId: string, sectionId: string, text: string) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await storage.dossiers.loadSectionState(dossierId, sectionId))!);
  typeInto(doc, text);
  const section = findSection(template, sectionId)!;
  return { state: Y.encodeStateAsUpdate(doc), content: readSection(doc, section) };
}

/** The JSON the stored Yjs state gives: what the stored JSON must equal. */
async function derivedFromStoredState(storage: Storage, dossierId: string, sectionId: string): Promise<unknown> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await storage.dossiers.loadSectionState(dossierId, sectionId))!);
  return readSection(doc, findSection(template, sectionId)!);
}

export function storageContract(factory: StorageFactory): void {
  describe(`storage contract: ${factory.name}`, () => {
    let storage: Storage;
    let dossier: DossierRecord;
    beforeAll(async () => {
      storage = await factory.open();
      await storage.accounts.saveDepartment({ id: 'sc', name: 'Smart City', shortName: 'SC', function: 'smart-city' });
      dossier = await createDossier(storage, template, { title: 'Vertragsprüfung', leadDepartmentId: 'sc', involvedDepartmentIds: ['kae'] });
    });
    afterAll(() => storage?.close());

    it('creates a dossier with every section: state and JSON agree from the start', async () => {
      expect(await storage.dossiers.get(dossier.id)).toEqual(dossier);
      const contents = await storage.dossiers.getSectionContents(dossier.id);
      expect([...contents.keys()].sort()).toEqual(template.sections.map((s) => s.id).sort());
      for (const section of template.sections) {
        expect(contents.get(section.id)!.content, section.id).toEqual(await derivedFromStoredState(storage, dossier.id, section.id));
      }
    });

    it('stores Yjs state and JSON together, with title, visibility, updatedAt and the audit entries', async () => {
      const { state, content } = await editedSection(storage, dossier.id, 'ausgangslage', 'Gespeicherter Satz.');
      const at = new Date(Date.now() + 1000).toISOString();
      await storage.dossiers.storeSection({
        dossierId: dossier.id,
        sectionId: 'ausgangslage',
        state,
        content,
        updatedAt: at,
        dossier: { title: 'Neuer Titel', public: false },
        audit: ['u1', 'u2'].map((userId) => ({ at, userId, action: 'section.changed', dossierId: dossier.id, sectionId: 'ausgangslage', detail: null })),
      });
      expect(Y.encodeStateVectorFromUpdate((await storage.dossiers.loadSectionState(dossier.id, 'ausgangslage'))!)).toEqual(
        Y.encodeStateVectorFromUpdate(state),
      );
      expect((await storage.dossiers.getSectionContents(dossier.id)).get('ausgangslage')).toEqual({ content, updatedAt: at });
      expect(await derivedFromStoredState(storage, dossier.id, 'ausgangslage')).toEqual(content);
      expect(await storage.dossiers.get(dossier.id)).toMatchObject({ title: 'Neuer Titel', public: false, updatedAt: at });
      const audit = await storage.audit.list({ dossierId: dossier.id, limit: 10 });
      expect(audit.map((e) => [e.userId, e.action, e.sectionId]).sort()).toEqual([
        ['u1', 'section.changed', 'ausgangslage'],
        ['u2', 'section.changed', 'ausgangslage'],
      ]);
    });

    it('records the involved departments the live header picks: known ones only, never the lead, each once, in order', async () => {
      const own = await createDossier(storage, template, { title: 'Beteiligung', leadDepartmentId: 'sc' });
      await storage.accounts.saveDepartment({ id: 'kae', name: 'Kämmerei', shortName: '20', function: 'finance' });
      await storage.accounts.saveDepartment({ id: 'ra', name: 'Rechtsamt', shortName: '30', function: 'legal' });
      await storage.dossiers.setInvolvedDepartments(own.id, ['ra', 'gibt-es-nicht', 'sc', 'kae', 'ra']);
      expect((await storage.dossiers.get(own.id))?.involvedDepartmentIds).toEqual(['ra', 'kae']);
      await storage.dossiers.setInvolvedDepartments(own.id, []);
      expect(await storage.dossiers.get(own.id)).toEqual({ ...own, involvedDepartmentIds: [] });
    });

    it('a store to a section that does not exist fails and changes nothing', async () => {
      const before = { dossier: await storage.dossiers.get(dossier.id), audit: await storage.audit.list({ dossierId: dossier.id, limit: 100 }) };
      const doc = new Y.Doc();
      textRoots(doc);
      await expect(
        storage.dossiers.storeSection({
          dossierId: dossier.id,
          sectionId: 'gibt-es-nicht',
          state: Y.encodeStateAsUpdate(doc),
          content: emptyRichText(),
          updatedAt: new Date(Date.now() + 5000).toISOString(),
          dossier: { title: 'Falsch' },
          audit: [{ at: 'x', userId: 'u3', action: 'section.changed', dossierId: dossier.id, sectionId: 'gibt-es-nicht', detail: null }],
        }),
      ).rejects.toThrow();
      expect(await storage.dossiers.get(dossier.id)).toEqual(before.dossier);
      expect(await storage.audit.list({ dossierId: dossier.id, limit: 100 })).toEqual(before.audit);
    });

    it('a later store replaces an earlier one completely', async () => {
      for (const text of ['Erste Fassung.', 'Zweite Fassung.']) {
        const { state, content } = await editedSection(storage, dossier.id, 'wirkung', text);
        await storage.dossiers.storeSection({ dossierId: dossier.id, sectionId: 'wirkung', state, content, updatedAt: new Date().toISOString() });
      }
      const stored = (await storage.dossiers.getSectionContents(dossier.id)).get('wirkung')!.content;
      expect(JSON.stringify(stored)).toContain('Erste Fassung.Zweite Fassung.');
      expect(stored).toEqual(await derivedFromStoredState(storage, dossier.id, 'wirkung'));
    });

    it('a store never drops what the stored state has and the incoming one lacks: both are merged, the JSON follows', async () => {
      const base = (await storage.dossiers.loadSectionState(dossier.id, 'alternativen'))!;
      const [a, b] = ['Von Prozess A.', 'Von Prozess B.'].map((text) => {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, base);
        typeInto(doc, text);
        return { state: Y.encodeStateAsUpdate(doc), content: readSection(doc, findSection(template, 'alternativen')!) };
      });
      const contentOf = (merged: Uint8Array) => {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, merged);
        return readSection(doc, findSection(template, 'alternativen')!);
      };
      const at = new Date().toISOString();
      await storage.dossiers.storeSection({ dossierId: dossier.id, sectionId: 'alternativen', ...a!, contentOf, updatedAt: at });
      await storage.dossiers.storeSection({ dossierId: dossier.id, sectionId: 'alternativen', ...b!, contentOf, updatedAt: at });
      const stored = JSON.stringify((await storage.dossiers.getSectionContents(dossier.id)).get('alternativen')!.content);
      expect(stored).toContain('Von Prozess A.');
      expect(stored).toContain('Von Prozess B.');
      expect((await storage.dossiers.getSectionContents(dossier.id)).get('alternativen')!.content).toEqual(
        await derivedFromStoredState(storage, dossier.id, 'alternativen'),
      );
    });

    it('two storages on one database storing different updates of one section at once: the stored state holds both', async () => {
      const [first, second] = await factory.openPair();
      try {
        await first.accounts.saveDepartment({ id: 'sc', name: 'Smart City', shortName: 'SC', function: 'smart-city' });
        const own = await createDossier(first, template, { title: 'Zwei Prozesse', leadDepartmentId: 'sc' });
        const base = (await first.dossiers.loadSectionState(own.id, 'ausgangslage'))!;
        const rounds = 10;
        const writes = [first, second].flatMap((target, process) =>
          Array.from({ length: rounds }, (_, round) => {
            const doc = new Y.Doc();
            Y.applyUpdate(doc, base);
            typeInto(doc, `P${process}R${round}.`);
            return () =>
              target.dossiers.storeSection({
                dossierId: own.id,
                sectionId: 'ausgangslage',
                state: Y.encodeStateAsUpdate(doc),
                content: readSection(doc, findSection(template, 'ausgangslage')!),
                updatedAt: new Date().toISOString(),
              });
          }),
        );
        await Promise.all(writes.map((write) => write()));
        const doc = new Y.Doc();
        Y.applyUpdate(doc, (await second.dossiers.loadSectionState(own.id, 'ausgangslage'))!);
        const text = JSON.stringify(readSection(doc, findSection(template, 'ausgangslage')!));
        for (let process = 0; process < 2; process += 1) {
          for (let round = 0; round < rounds; round += 1) expect(text).toContain(`P${process}R${round}.`);
        }
      } finally {
        await first.close();
        await second.close();
      }
    });

    it('keeps drafting snapshots per dossier, numbered, with the authors of the stores since the previous one', async () => {
      const own = await createDossier(storage, template, { title: 'Verlauf', leadDepartmentId: 'sc', involvedDepartmentIds: [] });
      const other = await createDossier(storage, template, { title: 'Andere', leadDepartmentId: 'sc', involvedDepartmentIds: [] });
      const store = async (dossierId: string, sectionId: string, text: string, changedBy: string[]) => {
        const { state, content } = await editedSection(storage, dossierId, sectionId, text);
        const at = new Date().toISOString();
        const audit = changedBy.map((userId) => ({ at, userId, action: 'section.changed', dossierId, sectionId, detail: null }));
        await storage.dossiers.storeSection({ dossierId, sectionId, state, content, updatedAt: at, audit });
      };
      const take = (n: number) =>
        storage.history.addSnapshot({ dossierId: own.id, takenAt: `2026-05-0${n}T10:00:00.000Z`, contentHash: `hash-${n}`, sections: { ausgangslage: { n } } });

      await store(own.id, 'ausgangslage', 'Eins.', ['u1']);
      await store(other.id, 'ausgangslage', 'Fremd.', ['u9']);
      expect(await take(1)).toEqual({ dossierId: own.id, id: 1, takenAt: '2026-05-01T10:00:00.000Z', contentHash: 'hash-1', authorIds: ['u1'] });
      await store(own.id, 'wirkung', 'Zwei.', ['u2', 'u1']);
      await store(own.id, 'ausgangslage', 'Drei.', ['u2']);
      expect((await take(2)).authorIds).toEqual(['u2', 'u1']);
      expect((await take(3)).authorIds).toEqual([]);

      expect((await storage.history.listSnapshots(own.id)).map((s) => [s.id, s.contentHash])).toEqual([
        [3, 'hash-3'],
        [2, 'hash-2'],
        [1, 'hash-1'],
      ]);
      expect(await storage.history.getSnapshot(own.id, 2)).toMatchObject({ id: 2, authorIds: ['u2', 'u1'], sections: { ausgangslage: { n: 2 } } });
      expect(await storage.history.getSnapshot(own.id, 4)).toBeUndefined();
      expect(await storage.history.listSnapshots(other.id)).toEqual([]);
      expect(await storage.history.getSnapshot(other.id, 1)).toBeUndefined();
    });

    it('usernames are unique regardless of case', async () => {
      await storage.accounts.saveDepartment({ id: 'kae', name: 'Kämmerei', shortName: '20', function: 'finance' });
      const user = {
        id: 'u-a',
        username: 'Erika.Muster',
        displayName: 'Erika',
        departmentId: 'kae',
        roles: ['finance' as const],
        passwordHash: 'x',
        disabled: false,
        createdAt: 'a',
        updatedAt: 'a',
      };
      await storage.accounts.createUser(user);
      await expect(storage.accounts.createUser({ ...user, id: 'u-b', username: 'erika.muster' })).rejects.toThrow();
      expect((await storage.accounts.getUserByUsername('ERIKA.MUSTER'))?.id).toBe('u-a');
    });

    it('changes a user: name, department, roles, password, disabled and the time of the change; the username stays', async () => {
      await storage.accounts.saveDepartment({ id: 'ra', name: 'Rechtsamt', shortName: '30', function: 'legal' });
      const user = {
        id: 'u-c',
        username: 'max.muster',
        displayName: 'Max',
        departmentId: 'ra',
        roles: ['author' as const],
        passwordHash: 'x',
        disabled: false,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      };
      await storage.accounts.createUser(user);
      const changed = {
        ...user,
        displayName: 'Max Muster',
        roles: ['signatory' as const],
        passwordHash: 'y',
        disabled: true,
        updatedAt: '2026-02-01T00:00:00.000Z',
      };
      await storage.accounts.updateUser({ ...changed, username: 'ignored' });
      expect(await storage.accounts.getUser('u-c')).toEqual(changed);
      await expect(storage.accounts.updateUser({ ...user, id: 'u-none' })).rejects.toThrow();
    });

    it('changes the status only from the expected one; a released dossier made a draft starts the next revision', async () => {
      const own = await createDossier(storage, template, { title: 'Statuswechsel', leadDepartmentId: 'sc' });
      expect(await storage.dossiers.transition(own.id, 'cosigning', 'released', 't1')).toBe(false);
      expect(await storage.dossiers.transition(own.id, 'draft', 'cosigning', 't1')).toBe(true);
      const both = await Promise.all([
        storage.dossiers.transition(own.id, 'cosigning', 'released', 't2'),
        storage.dossiers.transition(own.id, 'cosigning', 'released', 't2'),
      ]);
      expect(both.sort()).toEqual([false, true]);
      expect(await storage.dossiers.get(own.id)).toMatchObject({ status: 'released', revision: 1, updatedAt: 't2' });
      expect(await storage.dossiers.transition(own.id, 'released', 'draft', 't3')).toBe(true);
      expect(await storage.dossiers.get(own.id)).toMatchObject({ status: 'draft', revision: 2 });
      expect(await storage.dossiers.transition(own.id, 'draft', 'cosigning', 't4')).toBe(true);
      expect(await storage.dossiers.transition(own.id, 'cosigning', 'draft', 't5')).toBe(true);
      expect((await storage.dossiers.get(own.id))!.revision).toBe(2);
    });

    it('keeps one signature per dossier, revision and department: a new one replaces it', async () => {
      const own = await createDossier(storage, template, { title: 'Mitzeichnung', leadDepartmentId: 'sc' });
      const signature = {
        dossierId: own.id,
        revision: 1,
        departmentId: 'ra',
        userId: 'u1',
        signedAt: 't1',
        decision: 'agree' as const,
        remark: null,
        sections: { a: 'h1' },
        contents: { a: { type: 'doc', content: [] } },
      };
      await storage.workflow.saveSignature(signature);
      await storage.workflow.saveSignature({ ...signature, departmentId: 'kae', signedAt: 't2' });
      await storage.workflow.saveSignature({ ...signature, revision: 2, signedAt: 't3' });
      await storage.workflow.saveSignature({
        ...signature,
        userId: 'u2',
        signedAt: 't4',
        decision: 'object',
        remark: 'Einwand',
        sections: { a: 'h9' },
        contents: { a: null },
      });
      expect(await storage.workflow.listSignatures(own.id, 1)).toEqual([
        { ...signature, departmentId: 'kae', signedAt: 't2' },
        { ...signature, userId: 'u2', signedAt: 't4', decision: 'object', remark: 'Einwand', sections: { a: 'h9' }, contents: { a: null } },
      ]);
      expect((await storage.workflow.listSignatures(own.id, 2)).map((s) => s.signedAt)).toEqual(['t3']);
    });

    it('stores a version once and immutably, with its sections, signatures and PDF', async () => {
      const own = await createDossier(storage, template, { title: 'Version', leadDepartmentId: 'sc' });
      const version = {
        dossierId: own.id,
        version: 1,
        releasedAt: 't1',
        releasedBy: 'clerk',
        referenceNumber: 'VO/26/00077/SC',
        sha256: 'ab'.repeat(32),
        pdf: new Uint8Array([37, 80, 68, 70]),
        signatures: [{ departmentId: 'ra', state: 'valid' }],
        sections: [{ sectionId: 'betreff', state: new Uint8Array([1, 2, 3]), content: { type: 'doc' } }],
      };
      await storage.workflow.createVersion(version);
      await expect(storage.workflow.createVersion({ ...version, sha256: 'cd'.repeat(32) })).rejects.toThrow();
      expect(await storage.workflow.getVersion(own.id, 1)).toEqual(version);
      expect(await storage.workflow.getVersion(own.id, 2)).toBeUndefined();
      expect(await storage.workflow.listVersions(own.id)).toEqual([
        { dossierId: own.id, version: 1, releasedAt: 't1', releasedBy: 'clerk', referenceNumber: 'VO/26/00077/SC', sha256: 'ab'.repeat(32) },
      ]);
    });

    it('gives Vorlagen-Nr. once: a taken one is refused, the next free one is counted per prefix', async () => {
      const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((title) => createDossier(storage, template, { title, leadDepartmentId: 'sc' })));
      await storage.dossiers.setReferenceNumber(a!.id, 'VO/31/00041/SC');
      await storage.dossiers.setReferenceNumber(a!.id, 'VO/31/00041/SC');
      await expect(storage.dossiers.setReferenceNumber(b!.id, 'VO/31/00041/SC')).rejects.toBeInstanceOf(ReferenceNumberTakenError);
      expect(await storage.dossiers.assignReferenceNumber(b!.id, 'VO/31/', '/20')).toBe('VO/31/00042/20');
      expect(await storage.dossiers.assignReferenceNumber(b!.id, 'VO/31/', '/20')).toBe('VO/31/00042/20');
      expect(await storage.dossiers.assignReferenceNumber(c!.id, 'VO/32/', '/SC')).toBe('VO/32/00001/SC');
      expect((await storage.dossiers.get(b!.id))!.referenceNumber).toBe('VO/31/00042/20');
    });
  });
}
