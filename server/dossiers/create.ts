/**
 * Creating a dossier: every section document is seeded once, here on the
 * server, from the template (or from given content, for the demo) and stored
 * at once. Clients never seed, so content is never duplicated.
 */
import * as Y from 'yjs';
import { emptyRichText, type SectionContentByKind } from '../../dossier/content';
import { newId } from '../../dossier/ids';
import { readSection, writeSection } from '../../dossier/layout';
import { visibilityFrom, type Template, type TemplateSection } from '../../dossier/template';
import type { DossierRecord, SectionRecord, Storage } from '../storage/storage';

export type SectionContents = Partial<Record<string, SectionContentByKind[keyof SectionContentByKind]>>;

export function initialContent(section: TemplateSection, title: string, template: Template, now: Date): SectionContentByKind[keyof SectionContentByKind] {
  switch (section.kind) {
    case 'text':
      if (section.id === template.titleSection) {
        return { type: 'doc', content: [{ type: 'paragraph', content: title ? [{ type: 'text', text: title }] : [] }] };
      }
      return section.initial ?? emptyRichText();
    case 'header':
      return section.initial ?? { fields: {} };
    case 'consultation':
      return section.initial ?? { rows: [] };
    case 'budget': {
      const firstYear = now.getFullYear();
      return {
        firstYear,
        lastYear: firstYear + section.yearCount - 1,
        lines: [],
        coverage: { kind: null, text: '' },
        followUpCosts: '',
        statement: emptyRichText(),
        ...section.initial,
      };
    }
    case 'choice':
      return section.initial ?? { value: null, texts: {} };
    case 'attachments':
      return section.initial ?? { items: [] };
    case 'signatures':
      return { status: 'draft', version: null, referenceNumber: null, requested: [], items: [] };
  }
}

/** Builds a section's first Yjs state and its canonical JSON. */
export function seedSection(section: TemplateSection, content: SectionContentByKind[keyof SectionContentByKind]): { state: Uint8Array; content: unknown } {
  const doc = new Y.Doc();
  writeSection(doc, section, content);
  const seeded = { state: Y.encodeStateAsUpdate(doc), content: readSection(doc, section) };
  doc.destroy();
  return seeded;
}

export async function createDossier(
  storage: Storage,
  template: Template,
  input: { title: string; leadDepartmentId: string; involvedDepartmentIds?: string[]; contents?: SectionContents; now?: Date },
): Promise<DossierRecord> {
  const now = input.now ?? new Date();
  const timestamp = now.toISOString();
  const id = newId();
  const sections: SectionRecord[] = template.sections.map((section) => {
    const seeded = seedSection(section, input.contents?.[section.id] ?? initialContent(section, input.title, template, now));
    return { dossierId: id, sectionId: section.id, ...seeded, updatedAt: timestamp };
  });
  const dossier: DossierRecord = {
    id,
    templateId: template.id,
    title: input.title,
    status: 'draft',
    referenceNumber: null,
    leadDepartmentId: input.leadDepartmentId,
    involvedDepartmentIds: input.involvedDepartmentIds ?? [],
    public: sections.map((s) => visibilityFrom(template, s.sectionId, s.content)).find((v) => v !== undefined) ?? true,
    revision: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  await storage.createDossier(dossier, sections);
  return dossier;
}
