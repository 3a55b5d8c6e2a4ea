/**
 * The change report (Änderungsnachweis): two states of a dossier compared
 * section by section as a word-level diff. Each section's canonical JSON is
 * first projected to the plain text a reader sees (labels, de-DE amounts,
 * paragraph and list breaks), so the report says what changed in the Vorlage,
 * not in its JSON. Pure, used by the server's compare route and the client.
 */
import { Diff, diffArrays, type ChangeObject } from 'diff';
import { budgetTotals, budgetYears, costTypeLabels, coverageLabels, formatAccount, formatCents, recurrenceLabels, type YearAmounts } from './budget';
import { sectionContentSchemas, type ConsultationRow, type HeaderValue, type SectionContentByKind } from './content';
import type { HeaderField, Template, TemplateSection } from './template';

export type DiffOp = 'equal' | 'insert' | 'delete';
export interface DiffPart {
  op: DiffOp;
  text: string;
}
/** One section of the report, as `GET /api/dossiers/:id/compare` answers it. */
export interface SectionComparison {
  sectionId: string;
  title: string;
  changed: boolean;
  diff: DiffPart[];
}

/** Contents of a dossier's sections, keyed by section id, as storage and versions hold them. */
export type SectionContents = Readonly<Record<string, unknown>>;

export const consultationRoleLabels: Record<ConsultationRow['role'], string> = {
  vorberatung: 'Vorberatung',
  entscheidung: 'Entscheidung',
  kenntnisnahme: 'Kenntnisnahme',
};

type SectionOf<K extends TemplateSection['kind']> = Extract<TemplateSection, { kind: K }>;
type BudgetScheme = Template['budgetScheme'];

/**
 * The readable plain text of a section's content, one line per paragraph,
 * list item, field, row or budget line. Content that does not fit the
 * section's kind (it never should) reads as empty rather than failing the report.
 */
export function sectionText(section: TemplateSection, content: unknown, budgetScheme: BudgetScheme = 'doppisch'): string {
  const parsed = sectionContentSchemas[section.kind].safeParse(content);
  if (!parsed.success) return '';
  const lines = sectionLines(section, parsed.data as SectionContentByKind[typeof section.kind], budgetScheme);
  return lines.join('\n');
}

function sectionLines(section: TemplateSection, content: SectionContentByKind[TemplateSection['kind']], scheme: BudgetScheme): string[] {
  switch (section.kind) {
    case 'header':
      return headerLines(section, content as SectionContentByKind['header']);
    case 'consultation':
      return (content as SectionContentByKind['consultation']).rows.map(consultationLine);
    case 'text':
      return [richTextToText(content)];
    case 'budget':
      return budgetLines(content as SectionContentByKind['budget'], scheme);
    case 'choice':
      return choiceLines(section, content as SectionContentByKind['choice']);
    case 'attachments':
      return (content as SectionContentByKind['attachments']).items.map(
        // a replaced file has a new id: the report shows that the file changed, not only that the section did
        (item, index) =>
          `Anlage ${index + 1}: ${item.title.trim() || '(ohne Titel)'} (${item.public ? 'öffentlich' : 'nichtöffentlich'})${item.fileId ? `, Datei ${item.fileId.slice(0, 8)}` : ''}`,
      );
    case 'signatures':
      return (content as SectionContentByKind['signatures']).items.map((item) => `${item.department}: ${item.name}, ${germanDate(item.signedAt)}`);
  }
}

/** "Label: value" per field of the template, in the template's order. */
function headerLines(section: SectionOf<'header'>, content: SectionContentByKind['header']): string[] {
  return section.fields.map((field) => `${field.label}: ${headerValueText(field, content.fields[field.id]) || '–'}`);
}

function headerValueText(field: HeaderField, value: HeaderValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value))
    return value
      .map((item) => item.trim())
      .filter(Boolean)
      .join(', ');
  switch (field.type) {
    case 'select':
      return field.options.find((option) => option.value === value)?.label ?? value;
    case 'date':
      return germanDate(value);
    default:
      return value.trim();
  }
}

function consultationLine(row: ConsultationRow): string {
  const parts = [
    row.body.trim() || '(ohne Gremium)',
    row.date ? germanDate(row.date) : 'Datum offen',
    consultationRoleLabels[row.role],
    row.public ? 'öffentlich' : 'nichtöffentlich',
  ];
  if (row.result.trim()) parts.push(`Ergebnis: ${row.result.trim()}`);
  return parts.join(', ');
}

/** Each budget line with its account and amounts per year, then the totals, coverage, follow-up costs and statement. */
function budgetLines(budget: SectionContentByKind['budget'], scheme: BudgetScheme): string[] {
  const years = budgetYears(budget).map(String);
  const amounts = (perYear: Readonly<Record<string, number>>, total: number) =>
    [...years.map((year) => `${year}: ${formatCents(perYear[year] ?? 0, { currency: true })}`), `gesamt: ${formatCents(total, { currency: true })}`].join('; ');
  const totals = budgetTotals(budget);
  const totalLine = (label: string, sums: YearAmounts) => `${label}: ${amounts(sums.perYear, sums.total)}`;
  const lines = budget.lines.flatMap((line) => {
    const inRange = years.reduce((sum, year) => sum + (line.amounts[year] ?? 0), 0);
    const account = formatAccount(line, scheme);
    return [
      `${costTypeLabels[line.costType]} (${recurrenceLabels[line.recurrence]}): ${line.description.trim() || '(ohne Bezeichnung)'}`,
      ...(account ? [`Konto: ${account}`] : []),
      amounts(line.amounts, inRange),
    ];
  });
  lines.push(totalLine('Summe Kosten', totals.costs), totalLine('Summe Erträge', totals.income), totalLine('Nettobelastung', totals.net));
  lines.push(`Deckung: ${budget.coverage.kind ? coverageLabels[budget.coverage.kind] : 'nicht angegeben'}`);
  if (budget.coverage.text.trim()) lines.push(budget.coverage.text.trim());
  if (budget.followUpCosts.trim()) lines.push(`Folgekosten: ${budget.followUpCosts.trim()}`);
  const statement = richTextToText(budget.statement);
  if (statement) lines.push(statement);
  return lines;
}

/**
 * The chosen option and the texts that apply to it; a text that does not
 * apply is shown too when it holds something, since it is part of what is signed.
 */
function choiceLines(section: SectionOf<'choice'>, choice: SectionContentByKind['choice']): string[] {
  const chosen = choice.value === null ? 'keine Auswahl' : (section.options.find((option) => option.value === choice.value)?.label ?? choice.value);
  const lines = [`Auswahl: ${chosen}`];
  for (const text of section.texts) {
    const body = richTextToText(choice.texts[text.id]);
    const applies = !text.when || (choice.value !== null && text.when.includes(choice.value));
    if (applies || body) lines.push(`${text.label}:`, body || '–');
  }
  return lines;
}

/** dd.mm.yyyy from an ISO date or timestamp; anything else as it is. */
function germanDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : iso;
}

type JsonNode = { type?: unknown; text?: unknown; attrs?: unknown; content?: unknown };

const childrenOf = (node: JsonNode): JsonNode[] =>
  Array.isArray(node.content) ? node.content.filter((child): child is JsonNode => typeof child === 'object' && child !== null) : [];

/**
 * Plain text of rich-text JSON: one line per paragraph, heading and list item
 * (items marked "•" or numbered), table rows with cells separated by " | ".
 * Walks the JSON leniently: an unknown node contributes its text.
 */
export function richTextToText(doc: unknown): string {
  if (typeof doc !== 'object' || doc === null) return '';
  return blockLines(doc as JsonNode, '')
    .filter((line) => line.trim() !== '')
    .join('\n');
}

function blockLines(node: JsonNode, indent: string): string[] {
  switch (node.type) {
    case 'paragraph':
    case 'heading':
      return inlineText(node)
        .split('\n')
        .map((line) => indent + line);
    case 'bulletList':
    case 'orderedList': {
      const start = typeof (node.attrs as { start?: unknown } | undefined)?.start === 'number' ? (node.attrs as { start: number }).start : 1;
      return childrenOf(node).flatMap((item, index) => listItemLines(item, indent, node.type === 'bulletList' ? '• ' : `${start + index}. `));
    }
    case 'table':
      return childrenOf(node).map(
        (row) =>
          indent +
          childrenOf(row)
            .map((cell) =>
              blockLines(cell, '')
                .map((line) => line.trim())
                .filter(Boolean)
                .join(' '),
            )
            .join(' | '),
      );
    case 'horizontalRule':
      return [`${indent}—`];
    case 'text':
    case 'hardBreak':
      return [indent + inlineText({ content: [node] })];
    default:
      return childrenOf(node).flatMap((child) => blockLines(child, indent));
  }
}

/** The item's first line carries the marker; what follows in it (e.g. a nested list) is indented. */
function listItemLines(item: JsonNode, indent: string, marker: string): string[] {
  const lines = childrenOf(item).flatMap((child) => blockLines(child, `${indent}  `));
  if (lines.length === 0) return [`${indent}${marker}`];
  const [first = '', ...rest] = lines;
  return [`${indent}${marker}${first.slice(indent.length + 2)}`, ...rest];
}

function inlineText(node: JsonNode): string {
  return childrenOf(node)
    .map((child) => {
      if (child.type === 'text' && typeof child.text === 'string') return child.text;
      if (child.type === 'hardBreak') return '\n';
      return inlineText(child);
    })
    .join('');
}

/**
 * Words as the reader sees them: Intl.Segmenter keeps "12.000", "1.250,00"
 * and "Smart-City"'s parts whole, where the `diff` package's own word
 * tokenizer splits numbers at every separator ("10" → "12" inside "10.000").
 * Whitespace and punctuation are tokens of their own, so both texts are
 * reproduced exactly. The diff algorithm itself is the package's.
 */
class ReaderWordDiff extends Diff<string, string> {
  private readonly segmenter = new Intl.Segmenter('de', { granularity: 'word' });

  override tokenize(value: string): string[] {
    return Array.from(this.segmenter.segment(value), (segment) => segment.segment);
  }

  override join(tokens: string[]): string {
    return tokens.join('');
  }
}

const wordDiff = new ReaderWordDiff();

/**
 * A block of changed lines with more token edits than this, or taking longer than DIFF_TIMEOUT_MS, is shown as
 * deleted and inserted as a whole: the diff's cost grows with the square of the edits, and the server computes
 * it on its event loop. A rewritten section of a few thousand characters stays well within both.
 */
const MAX_EDIT_LENGTH = 2_000;
const DIFF_TIMEOUT_MS = 1_000;

/**
 * Word-level diff of two texts; concatenating `equal` and `delete` parts gives `from`, `equal` and `insert`
 * parts gives `to`. Lines are compared first and words only within each block of changed lines: unchanged
 * paragraphs anchor the result (a rewritten paragraph is not matched word by word against the common words
 * of another), and the costly word diff runs on small blocks.
 */
export function diffText(from: string, to: string): DiffPart[] {
  if (from === to) return [{ op: 'equal', text: to }];
  const parts: DiffPart[] = [];
  let removed = '';
  let added = '';
  const flushChangedLines = () => {
    parts.push(...diffWords(removed, added));
    removed = '';
    added = '';
  };
  for (const change of diffArrays(lines(from), lines(to))) {
    const text = change.value.join('');
    if (change.removed) removed += text;
    else if (change.added) added += text;
    else {
      flushChangedLines();
      parts.push({ op: 'equal', text });
    }
  }
  flushChangedLines();
  return joinChanges(parts);
}

/**
 * Adjacent parts of one kind merged, and a lone space between two changes taken into them: a rewritten
 * sentence reads as one deletion and one insertion, not as words alternating with kept spaces.
 */
function joinChanges(parts: readonly DiffPart[]): DiffPart[] {
  const joined: DiffPart[] = [];
  let deleted = '';
  let inserted = '';
  const flush = () => {
    if (deleted) joined.push({ op: 'delete', text: deleted });
    if (inserted) joined.push({ op: 'insert', text: inserted });
    deleted = '';
    inserted = '';
  };
  parts.forEach((part, index) => {
    const next = parts[index + 1];
    if (part.op === 'delete') deleted += part.text;
    else if (part.op === 'insert') inserted += part.text;
    else if ((deleted || inserted) && next && next.op !== 'equal' && /^[^\S\n]+$/u.test(part.text)) {
      deleted += part.text;
      inserted += part.text;
    } else {
      flush();
      const last = joined.at(-1);
      if (last?.op === 'equal') last.text += part.text;
      else joined.push({ ...part });
    }
  });
  flush();
  return joined;
}

/** Lines with their line breaks, so that joining them gives the text back. */
const lines = (text: string): string[] => (text === '' ? [] : text.split(/(?<=\n)/u));

function diffWords(from: string, to: string): DiffPart[] {
  const whole = (): DiffPart[] => [...(from ? [{ op: 'delete' as const, text: from }] : []), ...(to ? [{ op: 'insert' as const, text: to }] : [])];
  if (!from || !to) return whole();
  const changes: ChangeObject<string>[] | undefined = wordDiff.diff(from, to, { maxEditLength: MAX_EDIT_LENGTH, timeout: DIFF_TIMEOUT_MS });
  if (!changes) return whole();
  return changes
    .filter((change) => change.value !== '')
    .map((change) => ({ op: change.added ? 'insert' : change.removed ? 'delete' : 'equal', text: change.value }));
}

/** Every section of the template, in its order, compared between two states; a section missing from a state reads as empty. */
export function compareSections(template: Template, from: SectionContents, to: SectionContents): SectionComparison[] {
  return template.sections.map((section) => {
    const diff = diffText(sectionText(section, from[section.id], template.budgetScheme), sectionText(section, to[section.id], template.budgetScheme));
    return { sectionId: section.id, title: section.title, changed: diff.some((part) => part.op !== 'equal'), diff };
  });
}
