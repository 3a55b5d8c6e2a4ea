/**
 * The dossier as a council Vorlage: a pure function from a snapshot of the
 * dossier (canonical JSON per section) and its template to a
 * pdfmake document definition. No I/O, no clock, no randomness: the same
 * stored state gives the same definition, which is what makes final exports
 * byte-identical. Fonts, files and the layout run happen in render.ts.
 */
import { formatFileSize, shortSha256 } from '../../dossier/attachment-files';
import { type consultationRoles, sectionContentSchemas, type ConsultationRow, type HeaderValue, type SectionContentByKind } from '../../dossier/content';
import type { HeaderField, Template, TemplateSection } from '../../dossier/template';
import { signatureRows } from '../../dossier/signatures';
import type { DossierSnapshot, SnapshotDepartment } from '../../dossier/snapshot';
import { budgetBlock } from './budget-block';
import { checkboxList, germanDate, germanDateTime, labelled, placeholder } from './blocks';
import type { Content, ContentTable, DocumentDefinition, PageBreakBefore, TableCell } from './pdfmake-types';
import { plainText, richText, type BlockContext, type RichNode } from './rich-text';
import { FONT, formLayout, gridLayout, HEADER_FILL, MUTED_COLOR, PAGE_MARGINS, plainLayout, RULE_COLOR, styles, TEXT_WIDTH } from './styles';

export type ExportMode = 'draft' | 'final';

export interface Letterhead {
  /** "Stadt Musterstadt" */
  cityName: string;
  /** A PNG or JPEG as data URL, or null for a letterhead in text only. */
  logo: string | null;
}

export interface VorlageInput {
  snapshot: DossierSnapshot;
  template: Template;
  mode: ExportMode;
  letterhead: Letterhead;
}

/**
 * Header fields the Vorlage places prominently. They are conventions of the
 * templates in templates/ (a template without them still renders, with the
 * fields in the header block only).
 */
const FIELD = {
  vorlageArt: 'vorlage-art',
  publicity: 'oeffentlichkeit',
  leadDepartment: 'federfuehrend',
} as const;

export const WATERMARK_TEXT = 'ENTWURF';
export const NO_REFERENCE_NUMBER = 'wird vom Sitzungsdienst vergeben';

const roleLabels: Record<(typeof consultationRoles)[number], string> = {
  vorberatung: 'Vorberatung',
  entscheidung: 'Entscheidung',
  kenntnisnahme: 'Kenntnisnahme',
};

type SectionOf<K extends TemplateSection['kind']> = Extract<TemplateSection, { kind: K }>;

/** Facts about the dossier that several parts of the page use. */
interface Facts {
  input: VorlageInput;
  vorlageArt: string;
  publicity: string;
  leadDepartment: string;
  involvedDepartments: string[];
  /** Vorlagen-Nr. as printed in the running header. */
  runningReference: string;
}

export function vorlageDocument(input: VorlageInput): DocumentDefinition {
  const { snapshot, template, mode, letterhead } = input;
  const header = headerContent(input);
  const headerSection = template.sections.find((section): section is SectionOf<'header'> => section.kind === 'header');
  const fieldValue = (id: string) =>
    headerSection
      ? displayValue(
          headerSection.fields.find((f) => f.id === id),
          header?.fields[id],
          snapshot.involvedDepartments,
        )
      : '';
  const facts: Facts = {
    input,
    vorlageArt: fieldValue(FIELD.vorlageArt) || template.vorlageArt,
    publicity: fieldValue(FIELD.publicity),
    leadDepartment: fieldValue(FIELD.leadDepartment),
    involvedDepartments: snapshot.involvedDepartments.map((department) => department.id),
    runningReference: snapshot.referenceNumber ?? (mode === 'draft' ? 'Entwurf' : 'ohne Vorlagen-Nr.'),
  };
  const stand = germanDateTime(snapshot.updatedAt);

  return {
    pageSize: 'A4',
    pageMargins: PAGE_MARGINS,
    language: 'de-DE',
    // PDF/A-2 is based on PDF 1.7; drafts use the same version so both modes share one code path.
    version: '1.7',
    ...(mode === 'final' ? { subset: 'PDF/A-2b' as const } : {}),
    displayTitle: true,
    info: {
      title: snapshot.title,
      author: facts.leadDepartment || letterhead.cityName,
      subject: `${facts.vorlageArt} ${snapshot.referenceNumber ?? (mode === 'draft' ? '(Entwurf)' : '(ohne Vorlagen-Nr.)')} – ${letterhead.cityName}`,
      keywords: [facts.vorlageArt, template.name, snapshot.referenceNumber, letterhead.cityName].filter(Boolean).join(', '),
      creator: 'Ratsdossier',
      producer: 'Ratsdossier (pdfmake)',
      // From the stored state, never the clock: the same version must give the same bytes.
      creationDate: new Date(snapshot.updatedAt),
    },
    defaultStyle: { font: FONT, fontSize: 10.5, lineHeight: 1.25 },
    styles,
    // The first page carries the letterhead instead of a running header.
    header: (page) =>
      page === 1
        ? ''
        : {
            columns: [
              { text: `${letterhead.cityName} · ${facts.vorlageArt}`, width: '*' },
              { text: facts.runningReference, width: 'auto', alignment: 'right', bold: true },
            ],
            margin: [PAGE_MARGINS[0], 30, PAGE_MARGINS[2], 0],
            style: 'furniture',
          },
    footer: (page, pages) => ({
      columns: [
        { text: `Stand: ${stand}${mode === 'draft' ? ' · Entwurf, nicht freigegeben' : ''}`, width: '*' },
        { text: `Seite ${page} von ${pages}`, width: 'auto', alignment: 'right' },
      ],
      margin: [PAGE_MARGINS[0], 20, PAGE_MARGINS[2], 0],
      style: 'furniture',
    }),
    // Drafts only: the final file must be free of transparency (PDF/A archive).
    ...(mode === 'draft' ? { watermark: { text: WATERMARK_TEXT, color: '#8c8c8c', opacity: 0.16, bold: true, fontSize: 104 } } : {}),
    content: [letterheadBlock(facts), ...sectionsContent(facts)],
    pageBreakBefore: keepHeadingsWithNext,
  };
}

/**
 * A heading never ends a page: it moves to the next one when nothing that
 * prints follows it on its page, or when it starts so low that not even two
 * lines would fit under it. Both checks are needed: pdfmake reports the
 * children of a block that it moved on as a whole (`unbreakable`) still on
 * the old page. Only leaves count (text, images, drawings): a table whose
 * first row went on still has a position on this page. (`unbreakable` itself
 * is no answer for headings: it drops content taller than a page, such as a
 * long budget table.)
 */
const keepHeadingsWithNext: PageBreakBefore = (node, nodes) => {
  if (node.headlineLevel === undefined) return false;
  const position = node.startPosition;
  if (position && position.pageInnerHeight * (1 - position.verticalRatio) < MIN_SPACE_UNDER_HEADING) return true;
  return !nodes.getFollowingNodesOnPage().some((next) => next.text !== undefined || next.image !== undefined || next.canvas !== undefined);
};

/** Points: a heading with less room than this below it starts the next page (about a heading and two lines). */
const MIN_SPACE_UNDER_HEADING = 56;

/** Up to this many rows, the signature block is kept on one page with its heading. */
const SIGNATURE_ROWS_KEPT_TOGETHER = 15;

function headerContent(input: VorlageInput): SectionContentByKind['header'] | undefined {
  const section = input.template.sections.find((s) => s.kind === 'header');
  return section ? contentOf(input, section as SectionOf<'header'>) : undefined;
}

/** The stored canonical JSON of a section, checked against its kind's schema. */
function contentOf<K extends TemplateSection['kind']>(input: VorlageInput, section: SectionOf<K>): SectionContentByKind[K] | undefined {
  const stored = input.snapshot.sections[section.id];
  if (stored === null || stored === undefined) return undefined;
  const parsed = sectionContentSchemas[section.kind].safeParse(stored);
  if (!parsed.success) {
    // A stored section that does not fit its schema is a defect, not something to print around.
    throw new Error(`PDF-Export: Abschnitt "${section.id}" passt nicht zum Schema: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return parsed.data as SectionContentByKind[K];
}

function letterheadBlock(facts: Facts): Content {
  const { letterhead, snapshot } = facts.input;
  const referenceCell: TableCell = {
    stack: [
      { text: 'Vorlagen-Nr.', style: 'label' },
      snapshot.referenceNumber
        ? { text: snapshot.referenceNumber, fontSize: 12, bold: true }
        : { text: NO_REFERENCE_NUMBER, fontSize: 9, italics: true, color: MUTED_COLOR },
    ],
  };
  return {
    stack: [
      {
        columns: [
          {
            width: '*',
            stack: [
              { text: letterhead.cityName, style: 'letterheadCity' },
              ...(facts.leadDepartment ? [{ text: facts.leadDepartment, style: 'letterheadDepartment' }] : []),
            ],
          },
          ...(letterhead.logo ? [{ width: 'auto', stack: [{ image: letterhead.logo, fit: [150, 52] as [number, number] }] }] : []),
        ],
      },
      { canvas: [{ type: 'line', x1: 0, y1: 6, x2: TEXT_WIDTH, y2: 6, lineWidth: 0.75, lineColor: RULE_COLOR }], margin: [0, 0, 0, 12] },
      {
        columns: [
          {
            width: '*',
            stack: [{ text: facts.vorlageArt, style: 'vorlageArt' }, ...(facts.publicity ? [{ text: facts.publicity, color: MUTED_COLOR }] : [])],
          },
          {
            width: 170,
            table: { widths: ['*'], body: [[referenceCell]] },
            layout: { ...gridLayout, hLineColor: () => '#000000', vLineColor: () => '#000000', paddingTop: () => 4, paddingBottom: () => 4 },
          },
        ],
        margin: [0, 0, 0, 10],
      },
    ],
  };
}

function sectionsContent(facts: Facts): Content[] {
  const { template } = facts.input;
  const content: Content[] = [];
  let currentGroup: string | undefined;
  let groupIndex = 0;
  for (const section of template.sections) {
    const group = section.group;
    if (group && group !== currentGroup) {
      content.push(heading(group, groupId(group)));
      groupIndex = 0;
    }
    currentGroup = group;
    if (group) groupIndex += 1;
    const title = group ? `${groupIndex}. ${section.title}` : section.title;
    const outline: Outline = { id: `section-${section.id}`, ...(group ? { parentId: groupId(group) } : {}) };
    content.push(...sectionContent(facts, section, title, outline));
  }
  return content;
}

interface Outline {
  id: string;
  parentId?: string;
}

const groupId = (group: string) => `group-${group.toLowerCase().replace(/[^a-z0-9äöüß]+/g, '-')}`;

function heading(text: string, id: string, outline?: Outline, sub = false): Content {
  return {
    text,
    style: sub ? 'subsectionHeading' : 'sectionHeading',
    headlineLevel: sub ? 2 : 1,
    outline: true,
    id: outline?.id ?? id,
    ...(outline?.parentId ? { outlineParentId: outline.parentId } : {}),
  };
}

/** Heading plus body of one section. */
function sectionContent(facts: Facts, section: TemplateSection, title: string, outline: Outline): Content[] {
  const input = facts.input;
  const context: BlockContext = { alignment: 'justify', outlineParentId: outline.id };
  const titled = (body: Content[]): Content[] => [heading(title, outline.id, outline, Boolean(outline.parentId)), ...body];
  switch (section.kind) {
    case 'header':
      return [headerBlock(section, contentOf(input, section), input.snapshot.involvedDepartments)];
    case 'consultation':
      return titled([consultationTable(contentOf(input, section)?.rows ?? [])]);
    case 'text': {
      const doc = contentOf(input, section);
      if (section.id === input.template.titleSection) {
        const text = doc ? plainText(doc as RichNode) : '';
        return [
          {
            stack: [
              { text: title, style: 'label', outline: true, id: outline.id, margin: [0, 6, 0, 1] },
              { text: text || input.snapshot.title, style: 'betreff' },
            ],
            margin: [0, 0, 0, 4],
          },
        ];
      }
      const body = richText(doc, context);
      return titled(body.length ? body : [placeholder(section.required ? 'Dieser Abschnitt ist noch nicht ausgefüllt.' : 'Keine Angaben.')]);
    }
    case 'budget': {
      const budget = contentOf(input, section);
      return titled(budget ? budgetBlock(budget, input.template, context) : [placeholder('Keine Angaben zu den finanziellen Auswirkungen.')]);
    }
    case 'choice':
      return titled(choiceBlock(section, contentOf(input, section), context));
    case 'attachments':
      return titled(attachmentsBlock(contentOf(input, section)?.items ?? [], input.snapshot.attachmentFiles ?? {}));
    case 'signatures': {
      const { block, rows } = signaturesBlock(facts, contentOf(input, section)?.items ?? []);
      return [{ stack: titled([block]), unbreakable: rows <= SIGNATURE_ROWS_KEPT_TOGETHER }];
    }
  }
}

function asList(value: HeaderValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item) => item.trim() !== '') : [];
}

/**
 * A header field as printed. The involved departments are the dossier's own,
 * named in the snapshot: the live header sets them (older headers hold names
 * typed by hand, the dossier their ids).
 */
function displayValue(field: HeaderField | undefined, value: HeaderValue | undefined, involved: readonly SnapshotDepartment[]): string {
  if (!field || value === undefined) return '';
  switch (field.type) {
    case 'list':
      return asList(value).join(', ');
    case 'departments':
      return involved.map((department) => department.name).join(', ');
    case 'select':
      return field.options.find((option) => option.value === value)?.label ?? '';
    case 'date':
      return typeof value === 'string' ? germanDate(value) : '';
    case 'text':
      return typeof value === 'string' ? value.trim() : '';
  }
}

/** Label/value rows of the template's header fields, except those the letterhead shows. */
function headerBlock(section: SectionOf<'header'>, content: SectionContentByKind['header'] | undefined, involved: readonly SnapshotDepartment[]): Content {
  const shownAbove = new Set<string>([FIELD.vorlageArt, FIELD.publicity]);
  const row = (label: string, value: string): TableCell[] => [
    { text: label, style: 'label', margin: [0, 1, 0, 0] },
    value ? { text: value } : { text: '–', color: MUTED_COLOR },
  ];
  const body = section.fields
    .filter((field) => !shownAbove.has(field.id))
    .map((field) => row(field.label, displayValue(field, content?.fields[field.id], involved)));
  return { table: { widths: [120, '*'], body }, layout: formLayout, margin: [0, 0, 0, 6] };
}

function consultationTable(rows: ConsultationRow[]): Content {
  if (rows.length === 0) return placeholder('Noch keine Gremien eingetragen.');
  const headerCell = (text: string): TableCell => ({ text, style: 'tableHeader', fillColor: HEADER_FILL });
  const table: ContentTable = {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: ['*', 62, 74, 26, 90],
      body: [
        ['Gremium', 'Sitzungsdatum', 'Zuständigkeit', 'ö/nö', 'Ergebnis'].map(headerCell),
        ...rows.map((row): TableCell[] => [
          { text: row.body || '–' },
          { text: row.date ? germanDate(row.date) : 'offen', ...(row.date ? {} : { color: MUTED_COLOR }) },
          { text: roleLabels[row.role] },
          { text: row.public ? 'ö' : 'nö', alignment: 'center' },
          { text: row.result },
        ]),
      ],
    },
    layout: gridLayout,
    style: 'dataTable',
  };
  return table;
}

function choiceBlock(section: SectionOf<'choice'>, content: SectionContentByKind['choice'] | undefined, context: BlockContext): Content[] {
  const value = content?.value ?? null;
  const texts = section.texts.filter((text) => !text.when || (value !== null && text.when.includes(value)));
  return [
    {
      // The section's leading guidance question is the question the options answer.
      text: section.guidance[0] ?? `${section.title}:`,
      style: 'paragraph',
    },
    checkboxList(section.options.map((option) => ({ label: option.label, checked: option.value === value }))),
    ...texts.flatMap((text) => {
      const body = richText(content?.texts[text.id], context);
      return labelled(text.label, body.length ? body : [placeholder('keine Angabe')]);
    }),
  ];
}

/** Each Anlage with its title, its file (name, size, the first digits of its SHA-256) and öffentlich/nichtöffentlich. */
function attachmentsBlock(items: SectionContentByKind['attachments']['items'], files: NonNullable<DossierSnapshot['attachmentFiles']>): Content[] {
  if (items.length === 0) return [placeholder('Keine Anlagen.')];
  return [
    {
      table: {
        widths: [52, '*', 'auto'],
        // an Anlage's title and its file stay on one page
        dontBreakRows: true,
        body: items.map((item, index): TableCell[] => {
          const file = item.fileId === undefined ? undefined : files[item.fileId];
          return [
            { text: `Anlage ${index + 1}`, bold: true },
            file
              ? {
                  stack: [
                    { text: item.title || '(ohne Titel)' },
                    { text: `Datei: ${file.fileName} · ${formatFileSize(file.size)} · SHA-256 ${shortSha256(file.sha256)}`, fontSize: 8, color: MUTED_COLOR },
                  ],
                }
              : { text: item.title || '(ohne Titel)' },
            { text: item.public ? 'öffentlich' : 'nichtöffentlich', color: MUTED_COLOR },
          ];
        }),
      },
      layout: plainLayout,
      style: 'block',
    },
  ];
}

/**
 * One row per involved department: its co-signature when given, otherwise an
 * open row (`signatureRows`, as the web client shows them). Whether a
 * signature is still valid is decided by the workflow; the export prints what
 * is stored.
 */
function signaturesBlock(facts: Facts, items: SectionContentByKind['signatures']['items']): { block: Content; rows: number } {
  const sectionTitles = new Map(facts.input.template.sections.map((section) => [section.id, section.title]));
  const { leadDepartment, involvedDepartments } = facts.input.snapshot;
  const rows = signatureRows(facts.involvedDepartments, items, (id) => sectionTitles.get(id), [leadDepartment, ...involvedDepartments]);
  // a signature over every section but the Mitzeichnung is one over the whole Vorlage
  const signable = facts.input.template.sections.filter((section) => section.kind !== 'signatures').length;
  if (rows.length === 0) return { block: placeholder('Keine beteiligten Dienststellen eingetragen.'), rows: 0 };
  const headerCell = (text: string): TableCell => ({ text, style: 'tableHeader', fillColor: HEADER_FILL });
  const block: Content = {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: [95, 80, 52, 110, '*'],
      body: [
        ['Dienststelle', 'Name', 'Datum', 'Entscheidung', 'Mitgezeichnete Abschnitte'].map(headerCell),
        ...rows.map(({ department, signature, sectionTitles: signed }): TableCell[] =>
          signature
            ? [
                { text: department },
                { text: signature.name },
                { text: germanDate(signature.signedAt) },
                { text: decisionText(signature, sectionTitles) },
                { text: signed.length === 0 || signed.length >= signable ? 'gesamte Vorlage' : signed.join(', ') },
              ]
            : [{ text: department }, { text: 'ausstehend', color: MUTED_COLOR, italics: true }, { text: '' }, { text: '' }, { text: '' }],
        ),
      ],
    },
    layout: gridLayout,
    style: 'dataTable',
  };
  return { block, rows: rows.length };
}

const decisionLabels: Record<SectionContentByKind['signatures']['items'][number]['decision'], string> = {
  agree: 'mitgezeichnet',
  'agree-with-remarks': 'mitgezeichnet mit Anmerkungen',
  object: 'nicht mitgezeichnet (Einwand)',
};

/** The decision in words, with the remark or reason on record, and whether the signature no longer holds. */
function decisionText(signature: SectionContentByKind['signatures']['items'][number], titles: Map<string, string>): string {
  const remark = signature.remark.trim() ? `: „${signature.remark.trim()}“` : '';
  const invalid = signature.state === 'invalid' ? ` – ungültig, geändert: ${signature.changedSections.map((id) => titles.get(id) ?? id).join(', ')}` : '';
  return `${decisionLabels[signature.decision]}${remark}${invalid}`;
}
