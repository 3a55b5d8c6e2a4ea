/**
 * Canonical JSON of each section kind: what the API returns, what is stored
 * beside the Yjs state, and what the PDF export renders. Template files use the
 * same schemas for their initial content.
 */
import { z } from 'zod';
import { dossierStatuses } from './status';
import { hasForbiddenCharacters, textProblemMessage } from './text';

/** A Tiptap/ProseMirror document. Its nodes are checked against the editor schema in `schema.ts`. */
export const richTextDocSchema = z.object({
  type: z.literal('doc'),
  content: z.array(z.record(z.string(), z.unknown())).optional(),
});
export type RichTextDoc = z.infer<typeof richTextDocSchema>;

export const emptyRichText = (): RichTextDoc => ({ type: 'doc', content: [{ type: 'paragraph' }] });

/** A string that refuses what a Vorlage cannot hold (dossier/text.ts): for every text that comes in. */
export const safeString = () => z.string().refine((text) => !hasForbiddenCharacters(text), textProblemMessage);

const id = z.string().min(1).max(64);
const isoDate = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT')]);

export const headerValueSchema = z.union([z.string(), z.array(z.string())]);
export type HeaderValue = z.infer<typeof headerValueSchema>;
export const headerContentSchema = z.object({ fields: z.record(z.string(), headerValueSchema) });

export const consultationRoles = ['vorberatung', 'entscheidung', 'kenntnisnahme'] as const;
export const consultationRowSchema = z.object({
  id,
  body: z.string(),
  date: isoDate,
  role: z.enum(consultationRoles),
  public: z.boolean(),
  result: z.string(),
});
export type ConsultationRow = z.infer<typeof consultationRowSchema>;
export const consultationContentSchema = z.object({ rows: z.array(consultationRowSchema) });

export const costTypes = ['personal', 'sach', 'investition', 'ertrag'] as const;
export type CostType = (typeof costTypes)[number];
export const recurrences = ['einmalig', 'laufend'] as const;
export const coverageKinds = ['vorhanden', 'ueberplanmaessig', 'ausserplanmaessig', 'deckungsvorschlag'] as const;

/** Largest amount a single cell may hold: 100 bn euro, so sums stay exact integers. */
export const MAX_CENTS = 10_000_000_000_000;
export const centsSchema = z.number().int().min(-MAX_CENTS).max(MAX_CENTS);
export const budgetYearSchema = z.number().int().min(2000).max(2100);

export const budgetLineSchema = z.object({
  id,
  costType: z.enum(costTypes),
  recurrence: z.enum(recurrences),
  description: z.string(),
  /** Doppik: Produkt, Kostenstelle, Sachkonto. Kameralistik: Haushaltsstelle. */
  account: z.object({
    produkt: z.string(),
    kostenstelle: z.string(),
    sachkonto: z.string(),
    haushaltsstelle: z.string(),
  }),
  /** Integer euro cents per budget year ("2026" → 1250000). */
  amounts: z.record(z.string().regex(/^\d{4}$/), centsSchema),
});
export type BudgetLine = z.infer<typeof budgetLineSchema>;

export const budgetContentSchema = z.object({
  firstYear: budgetYearSchema,
  lastYear: budgetYearSchema,
  lines: z.array(budgetLineSchema),
  coverage: z.object({ kind: z.enum(coverageKinds).nullable(), text: z.string() }),
  followUpCosts: z.string(),
  statement: richTextDocSchema,
});
export type BudgetContent = z.infer<typeof budgetContentSchema>;

export const choiceContentSchema = z.object({
  value: z.string().nullable(),
  texts: z.record(z.string(), richTextDocSchema),
});

/** An Anlage: its title, öffentlich/nichtöffentlich, and the id of its uploaded file (dossier/attachment-files.ts), if it has one. */
export const attachmentSchema = z.object({ id, title: z.string(), public: z.boolean(), fileId: id.optional() });
export type Attachment = z.infer<typeof attachmentSchema>;
export const attachmentsContentSchema = z.object({ items: z.array(attachmentSchema) });

/** mitgezeichnet, mitgezeichnet mit Anmerkungen, Einwand (blocks the release). */
export const signatureDecisions = ['agree', 'agree-with-remarks', 'object'] as const;
export type SignatureDecision = (typeof signatureDecisions)[number];

export const signatureSchema = z.object({
  /** The department's name, as printed. */
  department: z.string(),
  departmentId: z.string().default(''),
  /** Who signed for it. */
  name: z.string(),
  /** ISO timestamp of the co-signature. */
  signedAt: z.string(),
  decision: z.enum(signatureDecisions).default('agree'),
  /** The remark (agree-with-remarks) or the reason (object); empty otherwise. */
  remark: z.string().default(''),
  /** Hash of each signed section's content when it was signed (content-hash.ts). */
  sections: z.record(z.string(), z.string()),
  /** Invalid once a signed section changed; `changedSections` says which. */
  state: z.enum(['valid', 'invalid']).default('valid'),
  changedSections: z.array(z.string()).default([]),
});
export type Signature = z.infer<typeof signatureSchema>;

/**
 * The Mitzeichnung section, written by the server only: the dossier's status
 * (so every open client follows it live), the released version and its
 * Vorlagen-Nr., the departments asked to co-sign and the signatures given.
 */
export const signaturesContentSchema = z.object({
  status: z.enum(dossierStatuses).default('draft'),
  /** The number of the last released version; null before the first release. */
  version: z.number().int().min(1).nullable().default(null),
  referenceNumber: z.string().nullable().default(null),
  requested: z.array(z.object({ departmentId: z.string(), department: z.string() })).default([]),
  items: z.array(signatureSchema),
});
// (defaults: content stored before the workflow existed held the signatures only)

export const sectionContentSchemas = {
  header: headerContentSchema,
  consultation: consultationContentSchema,
  text: richTextDocSchema,
  budget: budgetContentSchema,
  choice: choiceContentSchema,
  attachments: attachmentsContentSchema,
  signatures: signaturesContentSchema,
} as const;

export type SectionContentByKind = { [K in keyof typeof sectionContentSchemas]: z.infer<(typeof sectionContentSchemas)[K]> };
export type SectionContent = SectionContentByKind[keyof SectionContentByKind];
