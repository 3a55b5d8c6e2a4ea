import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoContents, demoTitle } from '../../server/demo/labor-der-kreativen-koepfe';
import { demoDepartments } from '../../server/demo/people';
import { createDossier } from '../../server/dossiers/create';
import { dossierSnapshot, loadExportSource } from '../../server/export/source';
import { openSqliteStorage } from '../../server/storage/sqlite';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot } from '../support/server';

describe('dossier snapshot (what the export renders and a version stores)', () => {
  it('holds the header facts with department names and every section’s stored JSON, and survives a JSON round trip', async () => {
    const templates = await loadTemplates(join(projectRoot, 'templates'));
    const template = templates.get('verstetigung-smart-city')!;
    const storage = openSqliteStorage(':memory:');
    try {
      for (const department of demoDepartments) await storage.accounts.saveDepartment(department);
      const now = new Date('2026-11-18T09:30:00Z');
      const dossier = await createDossier(storage, template, {
        title: demoTitle,
        contents: demoContents,
        leadDepartmentId: 'smart-city',
        involvedDepartmentIds: ['kaemmerei', 'gone'],
        now,
      });
      const { snapshot } = await loadExportSource(storage, templates, dossier.id);

      expect(snapshot).toMatchObject({
        id: dossier.id,
        templateId: template.id,
        title: demoTitle,
        status: 'draft',
        referenceNumber: null,
        leadDepartment: { id: 'smart-city', name: 'Amt für Digitalisierung und Smart City', shortName: 'SC' },
        // a department missing from the list keeps its id as its name
        involvedDepartments: [
          { id: 'kaemmerei', name: 'Kämmerei', shortName: '20' },
          { id: 'gone', name: 'gone', shortName: 'gone' },
        ],
        public: dossier.public,
        updatedAt: now.toISOString(),
      });
      expect(snapshot.version).toBeUndefined();
      expect(Object.keys(snapshot.sections)).toEqual(template.sections.map((section) => section.id));
      const stored = await storage.dossiers.getSectionContents(dossier.id);
      for (const section of template.sections) expect(snapshot.sections[section.id]).toEqual(stored.get(section.id)?.content ?? null);
      expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
      expect(await dossierSnapshot(storage, dossier, template)).toEqual(snapshot);
    } finally {
      await storage.close();
    }
  });
});
