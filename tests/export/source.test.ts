/**
 * Where an export takes a dossier's content from: its stored state in a real
 * SQLite database (sections, departments, files), never a live document, and
 * a clear refusal when there is nothing to export.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { doc, p } from '../../dossier/rich-text';
import type { Template } from '../../dossier/template';
import { demoDepartments } from '../../server/demo/people';
import { createDossier, seedSection } from '../../server/dossiers/create';
import { DossierNotExportableError, dossierSnapshot, exportFileName, loadExportSource } from '../../server/export/source';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { Storage } from '../../server/storage/storage';
import { loadTemplates, type TemplateRegistry } from '../../server/templates/loader';
import { projectRoot, tempDataDir } from '../support/server';

const TEMPLATE_ID = 'verstetigung-smart-city';
const CREATED_AT = new Date('2026-11-18T09:30:00Z');

let templates: TemplateRegistry;
let template: Template;
let storage: Storage;
let removeDataDir: () => void;

beforeAll(async () => {
  templates = await loadTemplates(join(projectRoot, 'templates'));
  template = templates.get(TEMPLATE_ID)!;
});

/** A fresh SQLite file with the city's departments, as the server opens it. */
async function openDatabase(): Promise<Storage> {
  const dataDir = tempDataDir();
  removeDataDir = dataDir.remove;
  storage = openSqliteStorage(join(dataDir.dir, 'ratsdossier.sqlite'));
  for (const department of demoDepartments) await storage.accounts.saveDepartment(department);
  return storage;
}

afterEach(async () => {
  await storage.close();
  removeDataDir();
});

const ausgangslage = doc(p('Das Labor braucht ab 2027 eine feste Leitung.'));

describe('export source', () => {
  it('takes the dossier, its template and every section of the template from the stored state', async () => {
    await openDatabase();
    const created = await createDossier(storage, template, {
      title: 'Verstetigung des Labors',
      leadDepartmentId: 'smart-city',
      involvedDepartmentIds: ['kaemmerei'],
      contents: { ausgangslage },
      now: CREATED_AT,
    });
    const { dossier, snapshot, template: used } = await loadExportSource(storage, templates, created.id);
    expect(dossier).toEqual(await storage.dossiers.get(created.id));
    expect(used).toBe(template);
    expect(snapshot).toMatchObject({
      id: created.id,
      templateId: TEMPLATE_ID,
      title: 'Verstetigung des Labors',
      status: 'draft',
      referenceNumber: null,
      leadDepartment: { id: 'smart-city', name: 'Amt für Digitalisierung und Smart City', shortName: 'SC' },
      involvedDepartments: [{ id: 'kaemmerei', name: 'Kämmerei', shortName: '20' }],
      public: created.public,
      updatedAt: CREATED_AT.toISOString(),
      attachmentFiles: {},
    });
    expect(Object.keys(snapshot.sections)).toEqual(template.sections.map((section) => section.id));
    expect(snapshot.sections.ausgangslage).toEqual(ausgangslage);
  });

  it('exports what was stored last: a section stored after creation and the Vorlagen-Nr. given since', async () => {
    await openDatabase();
    const created = await createDossier(storage, template, { title: 'Labor', leadDepartmentId: 'smart-city', contents: { ausgangslage }, now: CREATED_AT });
    const changed = doc(p('Neufassung nach der Vorberatung.'));
    const section = template.sections.find((candidate) => candidate.id === 'ausgangslage')!;
    await storage.dossiers.storeSection({
      dossierId: created.id,
      sectionId: 'ausgangslage',
      ...seedSection(section, changed),
      updatedAt: '2026-11-20T08:00:00.000Z',
    });
    await storage.dossiers.setReferenceNumber(created.id, 'VO/26/00042');
    const { snapshot } = await loadExportSource(storage, templates, created.id);
    expect(snapshot.sections.ausgangslage).toEqual(changed);
    expect(snapshot.referenceNumber).toBe('VO/26/00042');
    expect(snapshot.updatedAt).toBe('2026-11-20T08:00:00.000Z');
  });

  it('lists the uploaded files of the dossier by id with name, size and SHA-256', async () => {
    await openDatabase();
    const created = await createDossier(storage, template, { title: 'Labor', leadDepartmentId: 'smart-city', now: CREATED_AT });
    const sha256 = 'a'.repeat(64);
    await storage.attachments.add(
      {
        id: 'file-1',
        dossierId: created.id,
        fileName: 'Kostenplan.pdf',
        mediaType: 'application/pdf',
        size: 3,
        sha256,
        uploadedBy: 'user-1',
        uploadedAt: '2026-11-19T10:00:00.000Z',
      },
      new Uint8Array([1, 2, 3]),
    );
    const { snapshot } = await loadExportSource(storage, templates, created.id);
    expect(snapshot.attachmentFiles).toEqual({ 'file-1': { fileName: 'Kostenplan.pdf', size: 3, sha256 } });
  });

  it('keeps the id as name of a department no longer in the list, and leaves a section the template gained later empty', async () => {
    await openDatabase();
    const created = await createDossier(storage, template, {
      title: 'Labor',
      leadDepartmentId: 'aufgeloestes-amt',
      involvedDepartmentIds: ['kaemmerei', 'frueheres-amt'],
      now: CREATED_AT,
    });
    const grown: Template = { ...template, sections: [...template.sections, { ...template.sections.find((section) => section.kind === 'text')!, id: 'neu' }] };
    const snapshot = await dossierSnapshot(storage, (await storage.dossiers.get(created.id))!, grown);
    expect(snapshot.leadDepartment).toEqual({ id: 'aufgeloestes-amt', name: 'aufgeloestes-amt', shortName: 'aufgeloestes-amt' });
    expect(snapshot.involvedDepartments).toEqual([
      { id: 'kaemmerei', name: 'Kämmerei', shortName: '20' },
      { id: 'frueheres-amt', name: 'frueheres-amt', shortName: 'frueheres-amt' },
    ]);
    expect(snapshot.sections.neu).toBeNull();
  });

  it('refuses a dossier that does not exist, naming the id as given (cut to 80 characters)', async () => {
    await openDatabase();
    const refusal = (id: string) => loadExportSource(storage, templates, id).catch((error: unknown) => error);
    const missing = await refusal('gibt-es-nicht');
    expect(missing).toBeInstanceOf(DossierNotExportableError);
    expect(missing).toMatchObject({ reason: 'not-found', name: 'DossierNotExportableError', message: 'Vorlage "gibt-es-nicht" gibt es nicht.' });
    // no dossier id at all: not looked up, refused the same way
    const long = `../${'x'.repeat(100)}`;
    expect(await refusal(long)).toMatchObject({ reason: 'not-found', message: `Vorlage "${long.slice(0, 80)}" gibt es nicht.` });
  });

  it('refuses a dossier whose template is no longer installed, naming the template', async () => {
    await openDatabase();
    const created = await createDossier(storage, template, { title: 'Labor', leadDepartmentId: 'smart-city', now: CREATED_AT });
    const without: TemplateRegistry = { list: () => [], get: () => undefined };
    const error = await loadExportSource(storage, without, created.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DossierNotExportableError);
    expect(error).toMatchObject({
      reason: 'template-missing',
      message: `Das Vorlagenmuster "${TEMPLATE_ID}" dieser Vorlage ist nicht mehr installiert.`,
    });
  });
});

describe('export file name', () => {
  it('names the PDF after the Vorlagen-Nr., each run of characters unsafe in a file name made one dash', () => {
    expect(exportFileName({ id: 'abc', referenceNumber: 'VO/26/00042 SC' })).toBe('VO-26-00042-SC.pdf');
    expect(exportFileName({ id: 'abc', referenceNumber: 'VO / 26 / Ä_1.b' })).toBe('VO-26-_1.b.pdf');
  });

  it('names a dossier without Vorlagen-Nr. a draft, by its id', () => {
    expect(exportFileName({ id: 'k3Jd_9-x', referenceNumber: null })).toBe('Entwurf-k3Jd_9-x.pdf');
    expect(exportFileName({ id: 'k3Jd', referenceNumber: '' })).toBe('Entwurf-k3Jd.pdf');
  });
});
