/**
 * The full-text index of every storage back end: it names the sections stored since they were indexed, finds
 * every term as the start of a word with the passage marked, and only in the dossiers it is asked about.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDossier } from '../../server/dossiers/create';
import type { DossierRecord, Storage } from '../../server/storage/storage';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot } from '../support/server';
import { storageBackends } from './factories';

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;

describe.each(await storageBackends())('full-text index: $name', (factory) => {
  let storage: Storage;
  let dossier: DossierRecord;
  let other: DossierRecord;
  beforeAll(async () => {
    storage = await factory.open();
    await storage.accounts.saveDepartment({ id: 'sc', name: 'Smart City', shortName: 'SC', function: 'smart-city' });
    dossier = await createDossier(storage, template, { title: 'Pegelmessung', leadDepartmentId: 'sc' });
    other = await createDossier(storage, template, { title: 'Parkraum', leadDepartmentId: 'sc' });
  });
  afterAll(() => storage?.close());

  const stale = async () => (await storage.search.staleSections()).map((s) => `${s.dossierId}/${s.sectionId}`).sort();

  it('names every stored section until it is indexed, and again once it is stored anew', async () => {
    const all = template.sections.flatMap((section) => [`${dossier.id}/${section.id}`, `${other.id}/${section.id}`]).sort();
    expect(await stale()).toEqual(all);
    const contents = await storage.dossiers.getSectionContents(dossier.id);
    const otherContents = await storage.dossiers.getSectionContents(other.id);
    await storage.search.put([
      ...[...contents].map(([sectionId, stored]) => ({ dossierId: dossier.id, sectionId, updatedAt: stored.updatedAt, text: '' })),
      ...[...otherContents].map(([sectionId, stored]) => ({ dossierId: other.id, sectionId, updatedAt: stored.updatedAt, text: '' })),
    ]);
    expect(await stale()).toEqual([]);
    await storage.dossiers.storeSection({
      dossierId: dossier.id,
      sectionId: 'ausgangslage',
      state: Y.encodeStateAsUpdate(new Y.Doc()),
      content: { type: 'doc' },
      updatedAt: '2099-01-01T00:00:00.000Z',
    });
    expect(await stale()).toEqual([`${dossier.id}/ausgangslage`]);
  });

  it('finds every term as the start of a word, marks it in the passage, and only in the dossiers asked about', async () => {
    const { updatedAt } = (await storage.dossiers.getSectionContents(dossier.id)).get('ausgangslage')!;
    const otherUpdatedAt = (await storage.dossiers.getSectionContents(other.id)).get('ausgangslage')!.updatedAt;
    await storage.search.put([
      { dossierId: dossier.id, sectionId: 'ausgangslage', updatedAt, text: 'Die Messstellen melden den Pegel alle zehn Minuten an die Leitstelle.' },
      { dossierId: other.id, sectionId: 'ausgangslage', updatedAt: otherUpdatedAt, text: 'Die Leitstelle zählt freie Parkplätze.' },
    ]);
    expect(await stale()).toEqual([]);
    const hits = await storage.search.find(['leitstel', 'pegel'], [dossier.id, other.id], 10);
    expect(hits.map((hit) => [hit.dossierId, hit.sectionId])).toEqual([[dossier.id, 'ausgangslage']]);
    expect(hits[0]!.passage.filter((part) => part.match).map((part) => part.text)).toEqual(['Pegel', 'Leitstelle']);
    expect(hits[0]!.passage.map((part) => part.text).join('')).toContain('melden den Pegel alle zehn Minuten');
    expect((await storage.search.find(['leitstelle'], [dossier.id, other.id], 10)).map((hit) => hit.dossierId).sort()).toEqual([dossier.id, other.id].sort());
    expect(await storage.search.find(['leitstelle'], [other.id], 10)).toMatchObject([{ dossierId: other.id }]);
    expect(await storage.search.find(['leitstelle'], [], 10)).toEqual([]);
    expect(await storage.search.find(['hochwasser'], [dossier.id, other.id], 10)).toEqual([]);
    // replacing a section's text replaces what is found
    await storage.search.put([{ dossierId: other.id, sectionId: 'ausgangslage', updatedAt: otherUpdatedAt, text: 'Sensoren zählen freie Parkplätze.' }]);
    expect(await storage.search.find(['leitstelle'], [dossier.id, other.id], 10)).toMatchObject([{ dossierId: dossier.id }]);
  });
});
