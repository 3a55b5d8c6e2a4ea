/**
 * Template files (templates/*.json): which header fields and which ordered
 * sections a dossier has, who owns each section and what authors are asked.
 * The schema is the single source of the template types.
 */
import { z } from 'zod';
import { richTextDocSchema, sectionContentSchemas } from './content';

const slug = z.string().regex(/^[a-z][a-z0-9-]*$/, 'nur Kleinbuchstaben, Ziffern und Bindestriche, beginnend mit einem Buchstaben');

/**
 * Who may write a section: `lead` is the dossier's lead department
 * (federführendes Amt); `workflow` sections are written by the server only
 * (e.g. co-signatures); any other value names a department function such as
 * `finance` or `clerk`, so the same template works in every city.
 */
export const sectionOwnerSchema = slug;
export type SectionOwner = z.infer<typeof sectionOwnerSchema>;

export const headerFieldSchema = z.discriminatedUnion('type', [
  z.object({
    id: slug,
    label: z.string().min(1),
    type: z.literal('text'),
    placeholder: z.string().optional(),
    /** `lead-department`: a new dossier starts with its lead department's name here (the creator's department). */
    prefill: z.literal('lead-department').optional(),
  }),
  z.object({ id: slug, label: z.string().min(1), type: z.literal('date') }),
  z.object({
    id: slug,
    label: z.string().min(1),
    type: z.literal('select'),
    options: z.array(z.object({ value: z.string().min(1), label: z.string().min(1) })).min(1),
  }),
  z.object({ id: slug, label: z.string().min(1), type: z.literal('list'), placeholder: z.string().optional() }),
  /**
   * Beteiligte Dienststellen, picked from the city's departments: the value is
   * a list of department ids. It is what the dossier's involved departments
   * are — who may read it when nichtöffentlich and who co-signs.
   */
  z.object({ id: slug, label: z.string().min(1), type: z.literal('departments') }),
]);
export type HeaderField = z.infer<typeof headerFieldSchema>;

const sectionBase = {
  id: slug,
  title: z.string().min(1),
  /** Sections sharing a group (e.g. "Sachverhalt") are rendered under one heading. */
  group: z.string().min(1).optional(),
  guidance: z.array(z.string().min(1)).default([]),
  owner: sectionOwnerSchema,
  required: z.boolean(),
};

const choiceOptionSchema = z.object({ value: slug, label: z.string().min(1) });
const choiceTextSchema = z.object({
  id: slug,
  label: z.string().min(1),
  /** Shown (and required) only when one of these options is chosen; always when absent. */
  when: z.array(slug).optional(),
});

export const templateSectionSchema = z.discriminatedUnion('kind', [
  z.object({ ...sectionBase, kind: z.literal('header'), fields: z.array(headerFieldSchema).min(1), initial: sectionContentSchemas.header.optional() }),
  z.object({
    ...sectionBase,
    kind: z.literal('consultation'),
    /** Bodies offered when adding a row (Gremien of the city). */
    bodies: z.array(z.string().min(1)).default([]),
    initial: sectionContentSchemas.consultation.optional(),
  }),
  z.object({ ...sectionBase, kind: z.literal('text'), initial: richTextDocSchema.optional() }),
  z.object({
    ...sectionBase,
    kind: z.literal('budget'),
    /** Number of budget years, starting with the year the dossier is created. */
    yearCount: z.number().int().min(1).max(10),
    initial: sectionContentSchemas.budget.partial().optional(),
  }),
  z.object({
    ...sectionBase,
    kind: z.literal('choice'),
    options: z.array(choiceOptionSchema).min(2),
    texts: z.array(choiceTextSchema).default([]),
    initial: sectionContentSchemas.choice.optional(),
  }),
  z.object({ ...sectionBase, kind: z.literal('attachments'), initial: sectionContentSchemas.attachments.optional() }),
  z.object({ ...sectionBase, kind: z.literal('signatures') }),
]);
export type TemplateSection = z.infer<typeof templateSectionSchema>;
export type SectionKind = TemplateSection['kind'];

export const templateSchema = z
  .object({
    id: slug,
    name: z.string().min(1),
    description: z.string().min(1),
    vorlageArt: z.string().min(1),
    /** Municipal accounting scheme: doppisch (Produkt/Kostenstelle/Sachkonto) or kameral (Haushaltsstelle). */
    budgetScheme: z.enum(['doppisch', 'kameral']),
    /** Format of the Vorlagen-Nr. that the council clerk assigns. */
    referenceNumber: z.object({ pattern: z.string().min(1), example: z.string().min(1) }),
    /** The section whose plain text is the dossier's title (Betreff). */
    titleSection: slug,
    /** The header field saying öffentlich/nichtöffentlich; a nichtöffentlich dossier is visible to its departments and the clerks only. */
    visibility: z.object({ section: slug, field: slug, publicValue: z.string().min(1) }).optional(),
    sections: z.array(templateSectionSchema).min(1),
    /**
     * What a co-signature covers. By default every section but the Mitzeichnung;
     * `covers` narrows it per department function, e.g. the finance office signs
     * the Finanzielle Auswirkungen and the Beschlussvorschlag only.
     */
    cosigning: z.object({ covers: z.record(slug, z.array(slug).min(1)) }).optional(),
  })
  .superRefine((template, ctx) => {
    const seen = new Set<string>();
    template.sections.forEach((section, index) => {
      if (seen.has(section.id)) {
        ctx.addIssue({ code: 'custom', path: ['sections', index, 'id'], message: `Abschnitts-ID "${section.id}" ist doppelt` });
      }
      seen.add(section.id);
    });
    const title = template.sections.find((s) => s.id === template.titleSection);
    if (title?.kind !== 'text') {
      ctx.addIssue({ code: 'custom', path: ['titleSection'], message: `"${template.titleSection}" ist kein Textabschnitt dieses Vorlagenmusters` });
    }
    if (template.visibility) {
      const header = template.sections.find((s) => s.id === template.visibility?.section);
      if (header?.kind !== 'header' || !header.fields.some((f) => f.id === template.visibility?.field)) {
        ctx.addIssue({
          code: 'custom',
          path: ['visibility'],
          message: `"${template.visibility.section}.${template.visibility.field}" ist kein Kopffeld dieses Vorlagenmusters`,
        });
      }
    }
    const departmentFields = template.sections.flatMap((s) => (s.kind === 'header' ? s.fields.filter((f) => f.type === 'departments') : []));
    if (departmentFields.length > 1) {
      ctx.addIssue({ code: 'custom', path: ['sections'], message: 'höchstens ein Kopffeld vom Typ "departments" (Beteiligte Dienststellen)' });
    }
    for (const [departmentFunction, sectionIds] of Object.entries(template.cosigning?.covers ?? {})) {
      for (const sectionId of sectionIds) {
        const section = template.sections.find((s) => s.id === sectionId);
        if (!section || section.kind === 'signatures') {
          ctx.addIssue({
            code: 'custom',
            path: ['cosigning', 'covers', departmentFunction],
            message: `"${sectionId}" ist kein mitzuzeichnender Abschnitt dieses Vorlagenmusters`,
          });
        }
      }
    }
    try {
      new RegExp(template.referenceNumber.pattern, 'u');
    } catch {
      ctx.addIssue({ code: 'custom', path: ['referenceNumber', 'pattern'], message: 'kein gültiger regulärer Ausdruck' });
    }
    if (template.referenceNumber.pattern && !matches(template.referenceNumber.pattern, template.referenceNumber.example)) {
      ctx.addIssue({ code: 'custom', path: ['referenceNumber', 'example'], message: 'Beispiel passt nicht zum Muster' });
    }
  });
export type Template = z.infer<typeof templateSchema>;

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true; // reported as an invalid pattern already
  }
}

export function findSection(template: Template, sectionId: string): TemplateSection | undefined {
  return template.sections.find((section) => section.id === sectionId);
}

/**
 * Whether stored content of `sectionId` makes the dossier öffentlich; undefined
 * when that section does not decide it. Dossiers of templates without a
 * visibility field are öffentlich.
 */
export function visibilityFrom(template: Template, sectionId: string, content: unknown): boolean | undefined {
  const visibility = template.visibility;
  if (!visibility || visibility.section !== sectionId) return undefined;
  const fields = (content as { fields?: Record<string, unknown> } | null)?.fields ?? {};
  return fields[visibility.field] === visibility.publicValue;
}

/** The header field whose department ids are the dossier's involved departments, if the template has one. */
export function involvedDepartmentsField(template: Template): { section: string; field: string } | undefined {
  for (const section of template.sections) {
    const field = section.kind === 'header' ? section.fields.find((f) => f.type === 'departments') : undefined;
    if (field) return { section: section.id, field: field.id };
  }
  return undefined;
}

/** Whether a section holds what decides who may read the dossier: öffentlich/nichtöffentlich, or the involved departments. */
export function decidesAccess(template: Template, sectionId: string): boolean {
  return template.visibility?.section === sectionId || involvedDepartmentsField(template)?.section === sectionId;
}

/**
 * What stored content of `sectionId` lists as involved departments (ids, or
 * names in dossiers written before the field held ids); undefined when that
 * section does not decide it. See `departmentIds` for the mapping to ids.
 */
export function involvedFrom(template: Template, sectionId: string, content: unknown): string[] | undefined {
  const involved = involvedDepartmentsField(template);
  if (!involved || involved.section !== sectionId) return undefined;
  const value = (content as { fields?: Record<string, unknown> } | null)?.fields?.[involved.field];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
