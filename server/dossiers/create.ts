/**
 * Creating a dossier: every section document is seeded once, here on the
 * server, from the template (or from given content, for the demo) and stored
 * at once. Clients never seed, so content is never duplicated.
 */
import * as Y from 'yjs';
import { emptyRichText, type SectionContentByKind } from '../../dossier/content';
import { involvedIds, type DepartmentName } from '../../dossier/departments';
import { newId } from '../../dossier/ids';
import { readSection, writeSection } from '../../dossier/layout';
import { involvedDepartmentsField, involvedFrom, visibilityFrom, type Template, type TemplateSection } from '../../dossier/template';
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
  const departments = await storage.accounts.listDepartments();
  const involved = involvedOnCreation(template, input, departments);
  const leadName = departments.find((department) => department.id === input.leadDepartmentId)?.name ?? '';
  const sections: SectionRecord[] = template.sections.map((section) => {
    const given = input.contents?.[section.id] ?? initialContent(section, input.title, template, now);
    const content = withInvolved(template, section, involved, withLeadDepartment(section, leadName, given));
    return { dossierId: id, sectionId: section.id, ...seedSection(section, content), updatedAt: timestamp };
  });
  const dossier: DossierRecord = {
    id,
    templateId: template.id,
    title: input.title,
    status: 'draft',
    referenceNumber: null,
    leadDepartmentId: input.leadDepartmentId,
    involvedDepartmentIds: involved,
    public: sections.map((s) => visibilityFrom(template, s.sectionId, s.content)).find((v) => v !== undefined) ?? true,
    revision: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  await storage.dossiers.create(dossier, sections);
  return dossier;
}

/**
 * The involved departments a new dossier starts with: the ids given (the API
 * checked them), else those its given header lists (the demo; names read as
 * their departments, unknown ones left out); never the lead.
 */
function involvedOnCreation(
  template: Template,
  input: { leadDepartmentId: string; involvedDepartmentIds?: string[]; contents?: SectionContents },
  departments: readonly DepartmentName[],
): string[] {
  const field = involvedDepartmentsField(template);
  const listed = field ? involvedFrom(template, field.section, input.contents?.[field.section]) : undefined;
  if (!input.involvedDepartmentIds) return involvedIds(listed ?? [], departments, input.leadDepartmentId);
  return [...new Set(input.involvedDepartmentIds)].filter((id) => id !== input.leadDepartmentId);
}

/** Header fields the template prefills with the lead department's name, where still empty. */
function withLeadDepartment(
  section: TemplateSection,
  leadName: string,
  content: SectionContentByKind[keyof SectionContentByKind],
): SectionContentByKind[keyof SectionContentByKind] {
  if (section.kind !== 'header' || !leadName) return content;
  const header = content as SectionContentByKind['header'];
  const empty = (id: string) => {
    const value = header.fields[id];
    return typeof value !== 'string' || value.trim() === '';
  };
  const prefilled = section.fields.filter((field) => field.type === 'text' && field.prefill === 'lead-department' && empty(field.id));
  if (prefilled.length === 0) return content;
  return { ...header, fields: { ...header.fields, ...Object.fromEntries(prefilled.map((field) => [field.id, leadName])) } };
}

/** The header picks the involved departments, so the ids given at creation are written into it. */
function withInvolved(
  template: Template,
  section: TemplateSection,
  involved: string[],
  content: SectionContentByKind[keyof SectionContentByKind],
): SectionContentByKind[keyof SectionContentByKind] {
  const field = involvedDepartmentsField(template);
  if (section.kind !== 'header' || field?.section !== section.id) return content;
  const header = content as SectionContentByKind['header'];
  return { ...header, fields: { ...header.fields, [field.field]: involved } };
}
