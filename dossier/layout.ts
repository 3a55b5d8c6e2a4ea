/**
 * How a dossier lives in Yjs. Every section is its own Hocuspocus document
 * named `<dossierId>/<sectionId>`, so write access can be granted per section
 * with Hocuspocus' read-only connections. Inside a section document the root
 * types depend on the section kind; the accessors below are the only place
 * that knows their names.
 *
 * Readers are tolerant: whatever a (possibly hostile) client wrote, they
 * return content that satisfies the canonical schemas in `content.ts`.
 */
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import {
  attachmentSchema,
  budgetLineSchema,
  budgetYearSchema,
  consultationRoles,
  consultationRowSchema,
  costTypes,
  coverageKinds,
  emptyRichText,
  recurrences,
  MAX_CENTS,
  type Attachment,
  type BudgetContent,
  type BudgetLine,
  type ConsultationRow,
  type HeaderValue,
  type RichTextDoc,
  type SectionContentByKind,
  type Signature,
  signatureDecisions,
} from './content';
import { isValidAmount } from './budget';
import { dossierStatuses, type DossierStatus } from './status';
import { isOrderKey, keyBetween, sortByOrderKey, spreadKeys } from './order';
import { canonicalRichText, richTextSchema } from './schema';
import type { HeaderField, SectionKind, TemplateSection } from './template';

const DOSSIER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SECTION_ID = /^[a-z][a-z0-9-]*$/;

export function documentName(dossierId: string, sectionId: string): string {
  return `${dossierId}/${sectionId}`;
}

export function parseDocumentName(name: string): { dossierId: string; sectionId: string } | null {
  const [dossierId, sectionId, ...rest] = name.split('/');
  if (rest.length > 0 || !dossierId || !sectionId) return null;
  if (!DOSSIER_ID.test(dossierId) || !SECTION_ID.test(sectionId)) return null;
  return { dossierId, sectionId };
}

export function isDossierId(value: string): boolean {
  return DOSSIER_ID.test(value);
}

// ---- root types per section kind -------------------------------------------

export const textRoots = (doc: Y.Doc) => ({ content: doc.getXmlFragment('content') });
export const headerRoots = (doc: Y.Doc) => ({ fields: doc.getMap<unknown>('fields') });
export const consultationRoots = (doc: Y.Doc) => ({ rows: doc.getArray<Y.Map<unknown>>('rows') });
export const budgetRoots = (doc: Y.Doc) => ({
  /** firstYear, lastYear, coverageKind, coverageText, followUpCosts */
  settings: doc.getMap<unknown>('settings'),
  /**
   * one Y.Map per line; account parts are keys of their own and `amounts` a nested Y.Map, so concurrent edits merge per cell;
   * lines are shown sorted by their `order` key (see order.ts), so moving a line changes one key and loses no concurrent edit
   */
  lines: doc.getArray<Y.Map<unknown>>('lines'),
  statement: doc.getXmlFragment('statement'),
});
export const choiceRoots = (doc: Y.Doc) => ({
  fields: doc.getMap<unknown>('fields'),
  text: (textId: string) => doc.getXmlFragment(`text:${textId}`),
});
export const attachmentsRoots = (doc: Y.Doc) => ({ items: doc.getArray<Y.Map<unknown>>('items') });
export const signaturesRoots = (doc: Y.Doc) => ({ items: doc.getArray<Y.Map<unknown>>('items') });

// ---- tolerant value readers --------------------------------------------------

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const bool = (value: unknown): boolean => value === true;
const oneOf = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);
const isoDate = (value: unknown): string => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '');
const cents = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) <= MAX_CENTS ? value : undefined;
const year = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 2000 && value <= 2100 ? value : fallback;
const mapsOf = (array: { toArray(): unknown[] }): Y.Map<unknown>[] => array.toArray().filter((item): item is Y.Map<unknown> => item instanceof Y.Map);

function readRichText(fragment: Y.XmlFragment): RichTextDoc {
  if (fragment.length === 0) return emptyRichText();
  const json = yXmlFragmentToProsemirrorJSON(fragment);
  try {
    return canonicalRichText(json);
  } catch {
    // Content the editor schema does not accept: the browser would drop it too.
    return { type: 'doc', content: json.content ?? [] };
  }
}

function writeRichText(fragment: Y.XmlFragment, doc: RichTextDoc): void {
  prosemirrorJSONToYXmlFragment(richTextSchema, doc, fragment);
}

// ---- consultation, budget lines, attachments: Y.Map per row -----------------

export function consultationRowToY(row: ConsultationRow): Y.Map<unknown> {
  return new Y.Map<unknown>(Object.entries(row));
}

export function readConsultationRow(map: Y.Map<unknown>): ConsultationRow {
  return {
    id: str(map.get('id')),
    body: str(map.get('body')),
    date: isoDate(map.get('date')),
    role: oneOf(map.get('role'), consultationRoles, 'vorberatung'),
    public: bool(map.get('public')),
    result: str(map.get('result')),
  };
}

export const accountParts = ['produkt', 'kostenstelle', 'sachkonto', 'haushaltsstelle'] as const;

export function budgetLineToY(line: BudgetLine, order?: string): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set('id', line.id);
  if (order !== undefined) map.set('order', order);
  map.set('costType', line.costType);
  map.set('recurrence', line.recurrence);
  map.set('description', line.description);
  for (const part of accountParts) map.set(part, line.account[part]);
  map.set('amounts', new Y.Map<number>(Object.entries(line.amounts)));
  return map;
}

/**
 * Rows of a list (budget lines, Beratungsfolge, Anlagen) in display order:
 * sorted by their `order` key (see order.ts). A Yjs type cannot be moved, so
 * moving a row rewrites only its key, and a concurrent edit of that row is kept.
 */
export function rowsInOrder(rows: Y.Array<Y.Map<unknown>>): Y.Map<unknown>[] {
  return sortByOrderKey(mapsOf(rows), (map) => map.get('order'));
}

/** Gives every row a fresh key in today's display order unless the keys already are valid and strictly ascending. */
function ensureOrderKeys(ordered: Y.Map<unknown>[]): void {
  const keys = ordered.map((map) => map.get('order'));
  if (keys.every((key, i) => isOrderKey(key) && (i === 0 || (keys[i - 1] as string) < key))) return;
  spreadKeys(ordered.length).forEach((key, i) => {
    ordered[i]!.set('order', key);
  });
}

/** Appends a row after the last one shown. */
export function appendRow(rows: Y.Array<Y.Map<unknown>>, row: Y.Map<unknown>): void {
  rows.doc!.transact(() => {
    const ordered = rowsInOrder(rows);
    ensureOrderKeys(ordered);
    const last = ordered.at(-1)?.get('order') as string | undefined;
    row.set('order', keyBetween(last ?? null, null)!);
    rows.push([row]);
  });
}

/** Moves the row shown at `from` to be shown at `to` by rewriting its order key only. */
export function moveRow(rows: Y.Array<Y.Map<unknown>>, from: number, to: number): void {
  const ordered = rowsInOrder(rows);
  if (from === to || from < 0 || to < 0 || from >= ordered.length || to >= ordered.length) return;
  rows.doc!.transact(() => {
    ensureOrderKeys(ordered);
    const moving = ordered[from]!;
    const rest = ordered.filter((map) => map !== moving);
    const keyAt = (index: number) => (rest[index]?.get('order') as string | undefined) ?? null;
    moving.set('order', keyBetween(keyAt(to - 1), keyAt(to))!);
  });
}

/** Deletes a row, wherever it stands in the underlying array. */
export function deleteRow(rows: Y.Array<Y.Map<unknown>>, row: Y.Map<unknown>): void {
  const index = rows.toArray().indexOf(row);
  if (index >= 0) rows.delete(index, 1);
}

export function readBudgetLine(map: Y.Map<unknown>): BudgetLine {
  const amounts: Record<string, number> = {};
  const yAmounts = map.get('amounts');
  if (yAmounts instanceof Y.Map) {
    for (const [key, value] of yAmounts.entries()) {
      const amount = cents(value);
      if (/^\d{4}$/.test(key) && amount !== undefined) amounts[key] = amount;
    }
  }
  return {
    id: str(map.get('id')),
    costType: oneOf(map.get('costType'), costTypes, 'sach'),
    recurrence: oneOf(map.get('recurrence'), recurrences, 'laufend'),
    description: str(map.get('description')),
    account: {
      produkt: str(map.get('produkt')),
      kostenstelle: str(map.get('kostenstelle')),
      sachkonto: str(map.get('sachkonto')),
      haushaltsstelle: str(map.get('haushaltsstelle')),
    },
    amounts,
  };
}

/** The budget years from the section's settings, tolerant like every reader here. */
export function readBudgetYears(settings: Y.Map<unknown>): { firstYear: number; lastYear: number } {
  const firstYear = year(settings.get('firstYear'), new Date().getFullYear());
  return { firstYear, lastYear: Math.max(firstYear, year(settings.get('lastYear'), firstYear)) };
}

export function attachmentToY(item: Attachment): Y.Map<unknown> {
  return new Y.Map<unknown>(Object.entries(item));
}

export function readAttachment(map: Y.Map<unknown>): Attachment {
  const fileId = map.get('fileId');
  return {
    id: str(map.get('id')),
    title: str(map.get('title')),
    public: bool(map.get('public')),
    // absent rather than empty: an Anlage without a file keeps the canonical JSON (and content hash) it had before files existed
    ...(typeof fileId === 'string' && /^[0-9a-z]{1,64}$/.test(fileId) ? { fileId } : {}),
  };
}

// ---- typed writers -------------------------------------------------------------
// Every write into a section document goes through these, so the keys and value
// types a reader above expects are spelled out once. A value the types allow but
// the schema does not (a string from a form control, cast too eagerly) is refused
// with a TypeError instead of being written; an unchanged value is not written.

/** Runs `change` in one transaction of the type's document (a type not yet in a document has none). */
function transactOn(type: { doc: Y.Doc | null }, change: () => void): void {
  if (type.doc) type.doc.transact(change);
  else change();
}

type Check = (value: unknown) => boolean;
const isString: Check = (value) => typeof value === 'string';
const isBoolean: Check = (value) => typeof value === 'boolean';
const isIsoDateOrEmpty: Check = (value) => value === '' || (typeof value === 'string' && isoDate(value) === value);

const isOneOf =
  (allowed: readonly unknown[]): Check =>
  (value) =>
    allowed.includes(value);

function setChecked(map: Y.Map<unknown>, key: string, value: unknown, check: Check | undefined): void {
  if (!check) throw new TypeError(`${key} is not a key this writer writes`);
  if (!check(value)) throw new TypeError(`${key}: ${JSON.stringify(value)} is not a valid value`);
  if (map.get(key) !== value) map.set(key, value);
}

/**
 * What a date input gives, as a date writer takes it: a date the schema cannot
 * hold (a browser lets a user type a five-digit year) becomes empty, as the reader would show it.
 */
export const dateInputValue = (value: string): string => isoDate(value);

/** A header field's value: a list field holds strings, a departments field department ids, every other field one string. */
export type HeaderFieldValue<F extends HeaderField> = F extends { type: 'list' | 'departments' } ? readonly string[] : string;

/** Sets one Kopf field; a date must be ISO or empty, a select one of its options or empty. */
export function setHeaderField<F extends HeaderField>(doc: Y.Doc, field: F, value: HeaderFieldValue<F>): void {
  const { fields } = headerRoots(doc);
  if (field.type === 'list' || field.type === 'departments') {
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new TypeError(`${field.id}: a list of strings expected`);
    fields.set(field.id, field.type === 'departments' ? [...new Set(value)] : [...value]);
    return;
  }
  const check: Check =
    field.type === 'date' ? isIsoDateOrEmpty : field.type === 'select' ? (v) => v === '' || field.options.some((o) => o.value === v) : isString;
  setChecked(fields, field.id, value, check);
}

/** A cell of a Beratungsfolge row: every key but its id. */
export type ConsultationCell = Exclude<keyof ConsultationRow, 'id'>;
const consultationChecks: { [K in ConsultationCell]: Check } = {
  body: isString,
  date: isIsoDateOrEmpty,
  role: isOneOf(consultationRoles),
  public: isBoolean,
  result: isString,
};

export function setConsultationCell<K extends ConsultationCell>(row: Y.Map<unknown>, key: K, value: ConsultationRow[K]): void {
  setChecked(row, key, value, consultationChecks[key]);
}

/** Adds a Beratungsfolge row after the last one shown. */
export function addConsultationRow(doc: Y.Doc, row: ConsultationRow): void {
  appendRow(consultationRoots(doc).rows, consultationRowToY(consultationRowSchema.parse(row)));
}

type CoverageKind = NonNullable<BudgetContent['coverage']['kind']>;

/** The budget settings but the years (see setBudgetYears). */
export interface BudgetSettings {
  coverageKind: CoverageKind | null;
  coverageText: string;
  followUpCosts: string;
}
const budgetSettingChecks: { [K in keyof BudgetSettings]: Check } = {
  coverageKind: (value) => value === null || coverageKinds.includes(value as CoverageKind),
  coverageText: isString,
  followUpCosts: isString,
};

export function setBudgetSetting<K extends keyof BudgetSettings>(doc: Y.Doc, key: K, value: BudgetSettings[K]): void {
  setChecked(budgetRoots(doc).settings, key, value, budgetSettingChecks[key]);
}

/** Sets the years the budget covers, both in one transaction, so no one sees a last year before the first. */
export function setBudgetYears(doc: Y.Doc, firstYear: number, lastYear: number): void {
  const valid = (value: number) => budgetYearSchema.safeParse(value).success;
  if (!valid(firstYear) || !valid(lastYear) || lastYear < firstYear) throw new TypeError(`budget years ${firstYear}–${lastYear} are not valid`);
  const { settings } = budgetRoots(doc);
  doc.transact(() => {
    setChecked(settings, 'firstYear', firstYear, () => true);
    setChecked(settings, 'lastYear', lastYear, () => true);
  });
}

export type AccountPart = (typeof accountParts)[number];
/** The cells of a budget line that are keys of their own; the amounts are a nested map (see setBudgetAmount). */
export type BudgetLineCells = Pick<BudgetLine, 'description' | 'costType' | 'recurrence'> & BudgetLine['account'];
export type BudgetLineCell = keyof BudgetLineCells;
const budgetLineChecks: { [K in BudgetLineCell]: Check } = {
  description: isString,
  costType: isOneOf(costTypes),
  recurrence: isOneOf(recurrences),
  produkt: isString,
  kostenstelle: isString,
  sachkonto: isString,
  haushaltsstelle: isString,
};

export function setBudgetLineCell<K extends BudgetLineCell>(line: Y.Map<unknown>, key: K, value: BudgetLineCells[K]): void {
  setChecked(line, key, value, budgetLineChecks[key]);
}

/**
 * Sets a line's amount for one year in euro cents (never negative: see budget.ts), or clears it (`undefined`).
 * Only that year's key of the nested `amounts` map changes, so a concurrent edit
 * of another year merges; a line without the map gets one in the same transaction.
 */
export function setBudgetAmount(line: Y.Map<unknown>, budgetYear: number, amount: number | undefined): void {
  if (!budgetYearSchema.safeParse(budgetYear).success) throw new TypeError(`${budgetYear} is not a budget year`);
  if (amount !== undefined && !isValidAmount(amount)) throw new TypeError(`${amount} is not an amount in cents the budget takes`);
  const key = String(budgetYear);
  transactOn(line, () => {
    let amounts = line.get('amounts');
    if (amount === undefined) {
      if (amounts instanceof Y.Map && amounts.has(key)) amounts.delete(key);
      return;
    }
    if (!(amounts instanceof Y.Map)) {
      amounts = new Y.Map<number>();
      line.set('amounts', amounts);
    }
    const target = amounts as Y.Map<number>;
    if (target.get(key) !== amount) target.set(key, amount);
  });
}

/** Adds a budget line after the last one shown. */
export function addBudgetLine(doc: Y.Doc, line: BudgetLine): void {
  const invalid = Object.values(line.amounts).find((amount) => !isValidAmount(amount));
  if (invalid !== undefined) throw new TypeError(`${invalid} is not an amount in cents the budget takes`);
  appendRow(budgetRoots(doc).lines, budgetLineToY(budgetLineSchema.parse(line)));
}

/** Picks one option of a choice section (or none); anything else is refused. */
export function setChoiceValue(doc: Y.Doc, section: KindSection<'choice'>, value: string | null): void {
  setChecked(choiceRoots(doc).fields, 'value', value, (v) => v === null || section.options.some((o) => o.value === v));
}

/** A cell of an Anlage the editors write: every key but its id and its file (which the server sets on upload). */
export type AttachmentCell = Exclude<keyof Attachment, 'id' | 'fileId'>;
const attachmentChecks: { [K in AttachmentCell]: Check } = { title: isString, public: isBoolean };

export function setAttachmentCell<K extends AttachmentCell>(item: Y.Map<unknown>, key: K, value: Attachment[K]): void {
  setChecked(item, key, value, attachmentChecks[key]);
}

/** Adds an Anlage after the last one shown. */
export function addAttachment(doc: Y.Doc, item: Attachment): void {
  appendRow(attachmentsRoots(doc).items, attachmentToY(attachmentSchema.parse(item)));
}

/** The Anlage with this id, wherever it stands. */
export function findAttachment(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
  return attachmentsRoots(doc)
    .items.toArray()
    .find((map) => map instanceof Y.Map && map.get('id') === id);
}

/** Gives an Anlage its uploaded file, or takes it away (`undefined`); the server does this, after an upload or a deletion. */
export function setAttachmentFile(item: Y.Map<unknown>, fileId: string | undefined): void {
  if (fileId === undefined) {
    if (item.has('fileId')) item.delete('fileId');
  } else setChecked(item, 'fileId', fileId, isString);
}

// ---- whole sections ------------------------------------------------------------

type KindSection<K extends SectionKind> = Extract<TemplateSection, { kind: K }>;

interface KindCodec<K extends SectionKind> {
  write(doc: Y.Doc, section: KindSection<K>, content: SectionContentByKind[K]): void;
  read(doc: Y.Doc, section: KindSection<K>): SectionContentByKind[K];
}

const codecs: { [K in SectionKind]: KindCodec<K> } = {
  text: {
    write: (doc, _section, content) => writeRichText(textRoots(doc).content, content),
    read: (doc) => readRichText(textRoots(doc).content),
  },
  header: {
    write: (doc, _section, content) => {
      const { fields } = headerRoots(doc);
      for (const [key, value] of Object.entries(content.fields)) fields.set(key, value);
    },
    read: (doc, section) => {
      const { fields } = headerRoots(doc);
      const values: Record<string, HeaderValue> = {};
      for (const field of section.fields) {
        const value = fields.get(field.id);
        if (field.type === 'list') {
          values[field.id] = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
        } else if (field.type === 'departments') {
          values[field.id] = Array.isArray(value) ? [...new Set(value.filter((v): v is string => typeof v === 'string' && v.trim() !== ''))] : [];
        } else if (field.type === 'date') {
          values[field.id] = isoDate(value);
        } else if (field.type === 'select') {
          values[field.id] = field.options.some((o) => o.value === value) ? (value as string) : '';
        } else {
          values[field.id] = str(value);
        }
      }
      return { fields: values };
    },
  },
  consultation: {
    write: (doc, _section, content) => consultationRoots(doc).rows.push(content.rows.map(consultationRowToY)),
    read: (doc) => ({ rows: rowsInOrder(consultationRoots(doc).rows).map(readConsultationRow) }),
  },
  budget: {
    write: (doc, _section, content) => {
      const { settings, lines, statement } = budgetRoots(doc);
      settings.set('firstYear', content.firstYear);
      settings.set('lastYear', content.lastYear);
      settings.set('coverageKind', content.coverage.kind);
      settings.set('coverageText', content.coverage.text);
      settings.set('followUpCosts', content.followUpCosts);
      const keys = spreadKeys(content.lines.length);
      lines.push(content.lines.map((line, i) => budgetLineToY(line, keys[i])));
      writeRichText(statement, content.statement);
    },
    read: (doc): BudgetContent => {
      const { settings, lines, statement } = budgetRoots(doc);
      const kind = settings.get('coverageKind');
      return {
        ...readBudgetYears(settings),
        lines: rowsInOrder(lines).map(readBudgetLine),
        coverage: { kind: coverageKinds.includes(kind as never) ? (kind as BudgetContent['coverage']['kind']) : null, text: str(settings.get('coverageText')) },
        followUpCosts: str(settings.get('followUpCosts')),
        statement: readRichText(statement),
      };
    },
  },
  choice: {
    write: (doc, section, content) => {
      const roots = choiceRoots(doc);
      roots.fields.set('value', content.value);
      for (const text of section.texts) writeRichText(roots.text(text.id), content.texts[text.id] ?? emptyRichText());
    },
    read: (doc, section) => {
      const roots = choiceRoots(doc);
      const value = roots.fields.get('value');
      const texts: Record<string, RichTextDoc> = {};
      for (const text of section.texts) texts[text.id] = readRichText(roots.text(text.id));
      return { value: section.options.some((o) => o.value === value) ? (value as string) : null, texts };
    },
  },
  attachments: {
    write: (doc, _section, content) => attachmentsRoots(doc).items.push(content.items.map(attachmentToY)),
    read: (doc) => ({ items: rowsInOrder(attachmentsRoots(doc).items).map(readAttachment) }),
  },
  signatures: {
    write: (doc, _section, content) => writeMitzeichnung(doc, content),
    read: (doc) => readMitzeichnung(doc),
  },
};

function codecFor<K extends SectionKind>(kind: K): KindCodec<K> {
  return codecs[kind] as KindCodec<K>;
}

/** Writes a section's content into a fresh Y.Doc (seeding happens once, on the server). */
export function writeSection(doc: Y.Doc, section: TemplateSection, content: SectionContentByKind[SectionKind]): void {
  doc.transact(() => codecFor(section.kind).write(doc, section as never, content as never));
}

/** The root types a section of each kind writes: what `replaceSection` empties before writing. */
type SectionRoot = Y.XmlFragment | Y.Array<Y.Map<unknown>> | Y.Map<unknown>;
const sectionRoots: { [K in SectionKind]: (doc: Y.Doc, section: KindSection<K>) => SectionRoot[] } = {
  text: (doc) => [textRoots(doc).content],
  header: (doc) => [headerRoots(doc).fields],
  consultation: (doc) => [consultationRoots(doc).rows],
  budget: (doc) => Object.values(budgetRoots(doc)),
  choice: (doc, section) => [choiceRoots(doc).fields, ...section.texts.map((text) => choiceRoots(doc).text(text.id))],
  attachments: (doc) => [attachmentsRoots(doc).items],
  signatures: (doc) => Object.values(mitzeichnungRoots(doc)),
};

/**
 * Replaces a live section's content (restoring it from the drafting history): empties its roots and writes
 * `content`, in one transaction, so every client sees one ordinary change.
 */
export function replaceSection(doc: Y.Doc, section: TemplateSection, content: SectionContentByKind[SectionKind]): void {
  doc.transact(() => {
    for (const root of sectionRoots[section.kind](doc, section as never)) {
      if (root instanceof Y.Map) for (const key of [...root.keys()]) root.delete(key);
      else root.delete(0, root.length);
    }
    codecFor(section.kind).write(doc, section as never, content as never);
  });
}

/** Reads a section document into its canonical JSON. */
export function readSection<K extends SectionKind>(doc: Y.Doc, section: KindSection<K>): SectionContentByKind[K] {
  return codecFor(section.kind as K).read(doc, section);
}

// ---- Mitzeichnung: workflow state and signatures, written by the server only ----------------------

/**
 * The Mitzeichnung section's roots: `workflow` holds the dossier's status, the
 * released version, the Vorlagen-Nr. and the departments asked to co-sign;
 * `items` one Y.Map per signature given. The server rewrites them through a
 * Hocuspocus direct connection, so every open client sees a status change or
 * an invalidated signature at once, and the stored state matches the JSON.
 */
export const mitzeichnungRoots = (doc: Y.Doc) => ({ workflow: doc.getMap<unknown>('workflow'), items: signaturesRoots(doc).items });

export type MitzeichnungContent = SectionContentByKind['signatures'];
export type WorkflowState = Omit<MitzeichnungContent, 'items'>;

const stringRecord = (value: unknown): Record<string, string> =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
    : {};
const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function readSignature(map: Y.Map<unknown>): Signature {
  return {
    department: str(map.get('department')),
    departmentId: str(map.get('departmentId')),
    name: str(map.get('name')),
    signedAt: str(map.get('signedAt')),
    decision: oneOf(map.get('decision'), signatureDecisions, 'agree'),
    remark: str(map.get('remark')),
    sections: stringRecord(map.get('sections')),
    state: oneOf(map.get('state'), ['valid', 'invalid'] as const, 'valid'),
    changedSections: stringList(map.get('changedSections')),
  };
}

export function readWorkflowState(doc: Y.Doc): WorkflowState {
  const { workflow } = mitzeichnungRoots(doc);
  const version = workflow.get('version');
  const referenceNumber = workflow.get('referenceNumber');
  const requested = workflow.get('requested');
  return {
    status: oneOf<DossierStatus>(workflow.get('status'), dossierStatuses, 'draft'),
    version: typeof version === 'number' && Number.isSafeInteger(version) && version >= 1 ? version : null,
    referenceNumber: typeof referenceNumber === 'string' && referenceNumber !== '' ? referenceNumber : null,
    requested: Array.isArray(requested)
      ? requested
          .filter((item): item is Record<string, unknown> => !!item && typeof item === 'object')
          .map((item) => ({ departmentId: str(item.departmentId), department: str(item.department) }))
      : [],
  };
}

export function readMitzeichnung(doc: Y.Doc): MitzeichnungContent {
  return { ...readWorkflowState(doc), items: mapsOf(signaturesRoots(doc).items).map(readSignature) };
}

/** Sets the workflow state; keys whose value is unchanged are not written, so an unchanged state makes no update. */
export function writeWorkflowState(doc: Y.Doc, state: Partial<WorkflowState>): void {
  const { workflow } = mitzeichnungRoots(doc);
  doc.transact(() => {
    for (const [key, value] of Object.entries(state)) {
      if (value === undefined) continue;
      if (JSON.stringify(workflow.get(key) ?? null) !== JSON.stringify(value)) workflow.set(key, value);
    }
  });
}

/** Replaces the signatures with `items`, unless they already are exactly these. */
export function writeSignatureItems(doc: Y.Doc, items: readonly Signature[]): void {
  const { items: array } = mitzeichnungRoots(doc);
  const current = mapsOf(array).map(readSignature);
  if (array.length === current.length && JSON.stringify(current) === JSON.stringify(items)) return;
  doc.transact(() => {
    array.delete(0, array.length);
    array.push(items.map((item) => new Y.Map<unknown>(Object.entries(item))));
  });
}

/** Writes a whole Mitzeichnung section (seeding, and the server's updates). */
export function writeMitzeichnung(doc: Y.Doc, content: Partial<MitzeichnungContent>): void {
  doc.transact(() => {
    const { items, ...state } = content;
    writeWorkflowState(doc, state);
    if (items) writeSignatureItems(doc, items);
  });
}
