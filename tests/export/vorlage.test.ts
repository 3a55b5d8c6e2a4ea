/**
 * The Vorlage as a pdfmake document definition (pdf.ts and the blocks it is built from), in-process and
 * without a layout run: what each part of a dossier prints as, read from the definition's text and
 * structure. The rendered PDF itself is checked in pdf-export.test.ts and page-breaks.test.ts.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BudgetContent, SectionContentByKind } from '../../dossier/content';
import { bold, doc, h, p } from '../../dossier/rich-text';
import type { Template } from '../../dossier/template';
import type { DossierSnapshot } from '../../dossier/snapshot';
import { checkbox, germanDate, germanDateTime } from '../../server/export/blocks';
import { budgetTable } from '../../server/export/budget-block';
import { NO_REFERENCE_NUMBER, vorlageDocument, WATERMARK_TEXT, type ExportMode, type VorlageInput } from '../../server/export/pdf';
import type { DocumentDefinition } from '../../server/export/pdfmake-types';
import { formLayout, gridLayout, PAGE_MARGINS, plainLayout, RULE_COLOR, TEXT_WIDTH } from '../../server/export/styles';
import type { DossierRecord } from '../../server/storage/storage';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot } from '../support/server';

let template: Template;
beforeAll(async () => {
  template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;
});

const dossier: DossierRecord = {
  id: 'd-vorlage',
  templateId: 'verstetigung-smart-city',
  title: 'Titel aus dem Dossier',
  status: 'draft',
  referenceNumber: null,
  leadDepartmentId: 'smart-city',
  involvedDepartmentIds: [],
  public: true,
  revision: 1,
  createdAt: '2026-11-01T08:00:00.000Z',
  updatedAt: '2026-11-18T13:05:00.000Z',
};

const header = (fields: Record<string, string | string[]> = {}): SectionContentByKind['header'] => ({
  fields: {
    'vorlage-art': 'ergaenzungsvorlage',
    oeffentlichkeit: 'nichtoeffentlich',
    datum: '2026-11-18',
    aktenzeichen: '  SC-12/0231/2026  ',
    federfuehrend: 'Amt für Digitalisierung',
    beteiligt: ['Kämmerei', ' ', 'Rechtsamt'],
    berichterstattung: '',
    ...fields,
  },
});

const emptyBudget: BudgetContent = {
  firstYear: 2027,
  lastYear: 2028,
  lines: [],
  coverage: { kind: null, text: '' },
  followUpCosts: '',
  statement: doc(),
};

type Node = Record<string, unknown>;
/** A definition with its content as the list vorlageDocument makes it. */
type Built = Omit<DocumentDefinition, 'content'> & { content: Node[] };
const build = (input: VorlageInput) => vorlageDocument(input) as unknown as Built;

/** The snapshot the export renders for these stored section contents (only the sections given are stored). */
function snapshotOf(contents: Record<string, unknown>, template: Template, record: DossierRecord): DossierSnapshot {
  // the involved departments are the dossier's record, which the live header keeps in step: here, the names the header lists
  const listed = (contents.kopf as SectionContentByKind['header'] | undefined)?.fields.beteiligt;
  const involved = (Array.isArray(listed) ? listed : []).filter((name) => name.trim() !== '');
  return {
    id: record.id,
    templateId: record.templateId,
    title: record.title,
    status: record.status,
    referenceNumber: record.referenceNumber,
    leadDepartment: { id: record.leadDepartmentId, name: 'Amt für Digitalisierung und Smart City', shortName: 'SC' },
    involvedDepartments: involved.map((name) => ({ id: name.toLowerCase().replace(/[^a-z0-9äöüß]+/g, '-'), name, shortName: '' })),
    public: record.public,
    updatedAt: record.updatedAt,
    sections: Object.fromEntries(template.sections.map((section) => [section.id, contents[section.id] ?? null])),
  };
}

/** The definition for these stored section contents (only the sections given are stored). */
function definition(
  contents: Record<string, unknown>,
  options: { mode?: ExportMode; referenceNumber?: string | null; logo?: string | null; record?: Partial<DossierRecord> } = {},
): Built {
  const snapshot = snapshotOf(contents, template, { ...dossier, referenceNumber: options.referenceNumber ?? null, ...options.record });
  const input: VorlageInput = { snapshot, template, mode: options.mode ?? 'draft', letterhead: { cityName: 'Stadt Musterstadt', logo: options.logo ?? null } };
  return build(input);
}

/** Every printed text, in document order: one string per text node (its inlines joined). */
function texts(content: unknown): string[] {
  if (typeof content === 'string') return content === '' ? [] : [content];
  if (Array.isArray(content)) return content.flatMap(texts);
  if (!content || typeof content !== 'object') return [];
  const node = content as Node;
  if ('text' in node) {
    const text = Array.isArray(node.text)
      ? node.text.map((inline: unknown) => (typeof inline === 'string' ? inline : String((inline as Node).text))).join('')
      : String(node.text);
    return text === '' ? [] : [text];
  }
  return [node.stack, node.columns, node.ul, node.ol, (node.table as Node | undefined)?.body].flatMap(texts);
}

/** Every object node below `content` (itself included) that `test` accepts. */
function nodes(content: unknown, test: (node: Node) => boolean): Node[] {
  if (Array.isArray(content)) return content.flatMap((child) => nodes(child, test));
  if (!content || typeof content !== 'object') return [];
  const node = content as Node;
  const children = Object.values(node).flatMap((value) => nodes(value, test));
  return test(node) ? [node, ...children] : children;
}

/** The node whose own text is exactly `text`. */
const withText = (content: unknown, text: string) => {
  const found = nodes(content, (node) => node.text === text);
  expect(found, `a node with the text "${text}"`).not.toHaveLength(0);
  return found[0]!;
};

/** The rows of the first table whose header row starts with `firstHeader`, as printed texts per cell. */
function tableRows(content: unknown, firstHeader: string): string[][] {
  const table = nodes(content, (node) => {
    const body = (node.table as { body?: unknown[][] } | undefined)?.body;
    return texts(body?.[0]?.[0])[0] === firstHeader;
  })[0];
  expect(table, `a table headed "${firstHeader}"`).toBeDefined();
  return (table!.table as { body: unknown[][] }).body.map((row) => row.map((cell) => texts(cell).join(' ')));
}

/** Whether a top-level node starts a section: its heading, or a block that begins with one (Betreff, Mitzeichnung). */
const startsSection = (node: Node) => typeof node.id === 'string' || (Array.isArray(node.stack) && typeof (node.stack as Node[])[0]?.id === 'string');

/** The content from the heading `title` up to the next section. */
function sectionBody(definitionContent: unknown, title: string): unknown[] {
  const all = definitionContent as Node[];
  const start = all.findIndex((node) => texts(node)[0] === title);
  expect(start, `section "${title}"`).toBeGreaterThanOrEqual(0);
  const end = all.findIndex((node, index) => index > start && startsSection(node));
  return all.slice(start, end === -1 ? undefined : end);
}

const headerOf = (definition: Built, page: number) => (definition.header as (page: number, pages: number) => unknown)(page, 9);
const footerOf = (definition: Built, page: number, pages: number) => (definition.footer as (page: number, pages: number) => unknown)(page, pages);

describe('the Vorlage document: file properties', () => {
  it('marks a draft with the watermark and leaves PDF/A to the final file', () => {
    const draft = definition({ kopf: header() });
    expect(draft.watermark).toMatchObject({ text: WATERMARK_TEXT, bold: true });
    expect(draft).not.toHaveProperty('subset');
    const final = definition({ kopf: header() }, { mode: 'final' });
    expect(final).not.toHaveProperty('watermark');
    expect(final.subset).toBe('PDF/A-2b');
    for (const made of [draft, final]) expect(made).toMatchObject({ pageSize: 'A4', language: 'de-DE', version: '1.7', displayTitle: true });
  });

  it('describes the file from the stored state: title, lead department, kind, number, date', () => {
    const numbered = definition({ kopf: header() }, { referenceNumber: 'VO/26/00042/SC', mode: 'final' });
    expect(numbered.info).toEqual({
      title: 'Titel aus dem Dossier',
      author: 'Amt für Digitalisierung',
      subject: 'Ergänzungsvorlage VO/26/00042/SC – Stadt Musterstadt',
      keywords: 'Ergänzungsvorlage, Verstetigungsbeschluss Smart-City-Maßnahme, VO/26/00042/SC, Stadt Musterstadt',
      creator: 'Ratsdossier',
      producer: 'Ratsdossier (pdfmake)',
      creationDate: new Date('2026-11-18T13:05:00.000Z'),
    });
    // without a lead department, number or header the city and the template speak
    const bare = definition({});
    expect(bare.info).toMatchObject({
      author: 'Stadt Musterstadt',
      subject: 'Beschlussvorlage (Entwurf) – Stadt Musterstadt',
      keywords: 'Beschlussvorlage, Verstetigungsbeschluss Smart-City-Maßnahme, Stadt Musterstadt',
    });
  });

  it('has a running header from page two on with the Vorlagen-Nr., or what stands in for it', () => {
    const draft = definition({ kopf: header() });
    expect(headerOf(draft, 1)).toBe('');
    expect(texts(headerOf(draft, 2))).toEqual(['Stadt Musterstadt · Ergänzungsvorlage', 'Entwurf']);
    expect(texts(headerOf(definition({ kopf: header() }, { mode: 'final' }), 2))).toEqual(['Stadt Musterstadt · Ergänzungsvorlage', 'ohne Vorlagen-Nr.']);
    expect(texts(headerOf(definition({ kopf: header() }, { referenceNumber: 'VO/26/00042/SC' }), 3))).toEqual([
      'Stadt Musterstadt · Ergänzungsvorlage',
      'VO/26/00042/SC',
    ]);
  });

  it('has a footer with the time of the stored state, the draft notice and the page count', () => {
    expect(texts(footerOf(definition({}), 2, 5))).toEqual(['Stand: 18.11.2026, 14:05 Uhr · Entwurf, nicht freigegeben', 'Seite 2 von 5']);
    expect(texts(footerOf(definition({}, { mode: 'final' }), 5, 5))).toEqual(['Stand: 18.11.2026, 14:05 Uhr', 'Seite 5 von 5']);
  });
});

describe('the Vorlage document: letterhead', () => {
  it('names the city, the lead department, the kind, the publicity and the Vorlagen-Nr.', () => {
    const letterhead = definition({ kopf: header() }, { referenceNumber: 'VO/26/00042/SC' }).content[0];
    expect(texts(letterhead)).toEqual([
      'Stadt Musterstadt',
      'Amt für Digitalisierung',
      'Ergänzungsvorlage',
      'nichtöffentlich',
      'Vorlagen-Nr.',
      'VO/26/00042/SC',
    ]);
    expect(withText(letterhead, 'VO/26/00042/SC')).toMatchObject({ bold: true });
    expect(nodes(letterhead, (node) => 'image' in node)).toEqual([]);
  });

  it('says who assigns a missing Vorlagen-Nr., and falls back to the template’s kind', () => {
    const letterhead = definition({}).content[0];
    expect(texts(letterhead)).toEqual(['Stadt Musterstadt', 'Beschlussvorlage', 'Vorlagen-Nr.', NO_REFERENCE_NUMBER]);
    expect(withText(letterhead, NO_REFERENCE_NUMBER)).toMatchObject({ italics: true });
  });

  it('shows the logo when one is configured', () => {
    const logo = 'data:image/png;base64,iVBORw0KGgo=';
    const letterhead = definition({}, { logo }).content[0];
    expect(nodes(letterhead, (node) => 'image' in node)).toEqual([{ image: logo, fit: [150, 52] }]);
  });
});

describe('the Vorlage document: sections', () => {
  it('prints the sections in template order, the Sachverhalt parts numbered under their group heading', () => {
    const content = definition({ kopf: header() }).content;
    const headings = nodes(content, (node) => node.headlineLevel === 1 || node.headlineLevel === 2).map((node) => [
      node.text,
      node.headlineLevel,
      node.id,
      node.outlineParentId,
    ]);
    expect(headings).toEqual([
      ['Beratungsfolge', 1, 'section-beratungsfolge', undefined],
      ['Beschlussvorschlag', 1, 'section-beschlussvorschlag', undefined],
      ['Sachverhalt', 1, 'group-sachverhalt', undefined],
      ['1. Ausgangslage und Problem', 2, 'section-ausgangslage', 'group-sachverhalt'],
      ['2. Zielgruppen: Kundinnen/Kunden und Nutzende', 2, 'section-zielgruppen', 'group-sachverhalt'],
      ['3. Wirkung und Indikatoren', 2, 'section-wirkung', 'group-sachverhalt'],
      ['4. Betreibermodell und Zuständigkeiten', 2, 'section-betreibermodell', 'group-sachverhalt'],
      ['5. Alternativen', 2, 'section-alternativen', 'group-sachverhalt'],
      ['Finanzielle Auswirkungen', 1, 'section-finanzen', undefined],
      ['Klimarelevanz', 1, 'section-klima', undefined],
      ['Anlagen', 1, 'section-anlagen', undefined],
      ['Mitzeichnung', 1, 'section-mitzeichnung', undefined],
    ]);
    for (const heading of nodes(content, (node) => node.headlineLevel === 1 || node.headlineLevel === 2)) expect(heading.outline).toBe(true);
  });

  it('numbers each group afresh and bookmarks groups by a readable id', () => {
    const grouped: Template = {
      ...template,
      sections: [
        { ...template.sections.find((section) => section.id === 'ausgangslage')!, group: 'Teil A' },
        { ...template.sections.find((section) => section.id === 'zielgruppen')!, group: 'Teil A' },
        { ...template.sections.find((section) => section.id === 'wirkung')!, group: 'Größe & Maß' },
        { ...template.sections.find((section) => section.id === 'alternativen')!, group: undefined },
      ],
    };
    const snapshot = snapshotOf({}, grouped, dossier);
    const content = build({ snapshot, template: grouped, mode: 'draft', letterhead: { cityName: 'Stadt', logo: null } }).content;
    expect(nodes(content, (node) => node.headlineLevel === 1 || node.headlineLevel === 2).map((node) => [node.text, node.id])).toEqual([
      ['Teil A', 'group-teil-a'],
      ['1. Ausgangslage und Problem', 'section-ausgangslage'],
      ['2. Zielgruppen: Kundinnen/Kunden und Nutzende', 'section-zielgruppen'],
      ['Größe & Maß', 'group-größe-maß'],
      ['1. Wirkung und Indikatoren', 'section-wirkung'],
      ['Alternativen', 'section-alternativen'],
    ]);
  });

  it('prints the header fields as label/value rows, except those the letterhead shows', () => {
    const content = definition({ kopf: header() }).content;
    expect(tableRows(content, 'Datum')).toEqual([
      ['Datum', '18.11.2026'],
      ['Aktenzeichen', 'SC-12/0231/2026'],
      ['Federführende Dienststelle', 'Amt für Digitalisierung'],
      ['Beteiligte Dienststellen', 'Kämmerei, Rechtsamt'],
      ['Berichterstatter/in', '–'],
    ]);
    expect(texts(definition({}).content)).not.toContain('Amt für Digitalisierung');
    const empty = tableRows(
      definition({ kopf: { fields: { 'vorlage-art': 'gibt-es-nicht', datum: ['2026-01-01'], aktenzeichen: ['kein Text'] } } }).content,
      'Datum',
    );
    expect(empty.map((row) => row[1])).toEqual(['–', '–', '–', '–', '–']);
  });

  it('prints the Beratungsfolge with dates, roles and ö/nö, and open dates as such', () => {
    const rows = [
      { id: 'a', body: 'Ausschuss für Digitalisierung', date: '2027-01-20', role: 'vorberatung', public: true, result: 'zugestimmt' },
      { id: 'b', body: '', date: '', role: 'kenntnisnahme', public: false, result: '' },
      { id: 'c', body: 'Stadtrat', date: '2027-02-11', role: 'entscheidung', public: true, result: '' },
    ];
    const content = definition({ beratungsfolge: { rows } }).content;
    expect(tableRows(content, 'Gremium')).toEqual([
      ['Gremium', 'Sitzungsdatum', 'Zuständigkeit', 'ö/nö', 'Ergebnis'],
      ['Ausschuss für Digitalisierung', '20.01.2027', 'Vorberatung', 'ö', 'zugestimmt'],
      ['–', 'offen', 'Kenntnisnahme', 'nö', ''],
      ['Stadtrat', '11.02.2027', 'Entscheidung', 'ö', ''],
    ]);
    expect(withText(content, 'offen').color).toBeDefined();
    expect(withText(content, '20.01.2027').color).toBeUndefined();
    expect(texts(sectionBody(definition({ beratungsfolge: { rows: [] } }).content, 'Beratungsfolge'))).toEqual([
      'Beratungsfolge',
      'Noch keine Gremien eingetragen.',
    ]);
    expect(texts(sectionBody(definition({}).content, 'Beratungsfolge'))).toEqual(['Beratungsfolge', 'Noch keine Gremien eingetragen.']);
  });

  it('prints the Betreff from its section, or the dossier title while the section is empty', () => {
    const betreff = (content: Node[]) => nodes(content, (node) => node.style === 'betreff').map((node) => node.text);
    expect(betreff(definition({ betreff: doc(p('Verstetigung ', bold('des Labors'))) }).content)).toEqual(['Verstetigung des Labors']);
    expect(betreff(definition({ betreff: doc() }).content)).toEqual(['Titel aus dem Dossier']);
    expect(betreff(definition({}).content)).toEqual(['Titel aus dem Dossier']);
    const label = withText(definition({}).content, 'Betreff');
    expect(label).toMatchObject({ style: 'label', outline: true, id: 'section-betreff' });
  });

  it('prints text sections justified, and says which empty ones still have to be filled in', () => {
    const content = definition({ beschlussvorschlag: doc(h(2, 'Beschluss'), p('Der Stadtrat beschließt.')) }).content;
    const body = sectionBody(content, 'Beschlussvorschlag');
    expect(texts(body)).toEqual(['Beschlussvorschlag', 'Beschluss', 'Der Stadtrat beschließt.']);
    expect(nodes(body, (node) => node.headlineLevel === 2 && node.outlineText === 'Beschluss')).toMatchObject([
      { outline: true, outlineParentId: 'section-beschlussvorschlag' },
    ]);
    expect(nodes(body, (node) => Array.isArray(node.text))[1]).toMatchObject({ alignment: 'justify' });
    // required (Beschlussvorschlag) and optional (Alternativen) sections left empty
    const empty = definition({}).content;
    expect(texts(sectionBody(empty, 'Beschlussvorschlag'))).toEqual(['Beschlussvorschlag', 'Dieser Abschnitt ist noch nicht ausgefüllt.']);
    const alternativen = template.sections.find((section) => section.id === 'alternativen')!;
    expect(texts(sectionBody(empty, '5. Alternativen'))).toEqual([
      '5. Alternativen',
      alternativen.required ? 'Dieser Abschnitt ist noch nicht ausgefüllt.' : 'Keine Angaben.',
    ]);
    const optional: Template = {
      ...template,
      sections: template.sections.map((section) => (section.id === 'alternativen' ? { ...section, required: false } : section)),
    };
    const snapshot = snapshotOf({}, optional, dossier);
    expect(
      texts(sectionBody(build({ snapshot, template: optional, mode: 'draft', letterhead: { cityName: 'Stadt', logo: null } }).content, '5. Alternativen')),
    ).toEqual(['5. Alternativen', 'Keine Angaben.']);
  });

  it('refuses a stored section that does not fit its kind, naming it', () => {
    expect(() => definition({ beratungsfolge: { rows: 'keine Liste' } })).toThrow(/PDF-Export: Abschnitt "beratungsfolge" passt nicht zum Schema: /);
  });
});

describe('the Vorlage document: Finanzielle Auswirkungen', () => {
  const budget: BudgetContent = {
    firstYear: 2027,
    lastYear: 2028,
    lines: [
      {
        id: 'l1',
        costType: 'personal',
        recurrence: 'laufend',
        description: 'Laborleitung',
        account: { produkt: '1.11.01', kostenstelle: '', sachkonto: '5012', haushaltsstelle: '' },
        amounts: { '2027': 8_000_000, '2028': 8_200_000 },
      },
      {
        id: 'l2',
        costType: 'sach',
        recurrence: 'einmalig',
        description: '',
        account: { produkt: '', kostenstelle: '', sachkonto: '', haushaltsstelle: '' },
        amounts: { '2027': 1_234_56 },
      },
      {
        id: 'l3',
        costType: 'ertrag',
        recurrence: 'laufend',
        description: 'Hochschule',
        account: { produkt: '', kostenstelle: '', sachkonto: '', haushaltsstelle: '' },
        amounts: { '2028': 2_000_000 },
      },
    ],
    coverage: { kind: 'ueberplanmaessig', text: 'Deckung aus dem Budget des Amtes.' },
    followUpCosts: 'Ab 2029 jährlich 145.000 €.',
    statement: doc(p('Die Kämmerei stimmt zu.')),
  };

  it('prints the budget table of the budget block (its rows are tested in budget-block.test.ts) under the section', () => {
    const content = definition({ finanzen: budget }).content;
    const table = nodes(content, (node) => texts((node.table as { body?: unknown[][] } | undefined)?.body?.[0]?.[0])[0] === 'Position (Art, Konto)');
    expect(table).toEqual([budgetTable(budget, 'doppisch')]);
    expect(tableRows(content, 'Position (Art, Konto)').at(-1)).toEqual(['Nettobelastung des Haushalts', '81.234,56', '62.000,00', '143.234,56']);
  });

  it('prints coverage as crossed options, its text, follow-up costs and the finance office’s statement', () => {
    const body = sectionBody(definition({ finanzen: budget }).content, 'Finanzielle Auswirkungen');
    const printed = texts(body);
    expect(printed.slice(printed.indexOf('Deckung'))).toEqual([
      'Deckung',
      'Mittel sind im Haushalt vorhanden',
      'überplanmäßige Ausgabe',
      'außerplanmäßige Ausgabe',
      'Deckungsvorschlag',
      'Deckung aus dem Budget des Amtes.',
      'Folgekosten',
      'Ab 2029 jährlich 145.000 €.',
      'Stellungnahme der Kämmerei',
      'Die Kämmerei stimmt zu.',
    ]);
    expect(withText(body, 'überplanmäßige Ausgabe').bold).toBe(true);
    expect(withText(body, 'Deckungsvorschlag').bold).toBe(false);
    const crossed = nodes(body, (node) => Array.isArray(node.canvas)).map((node) => (node.canvas as unknown[]).length);
    expect(crossed).toEqual([1, 3, 1, 1]);
    expect(withText(body, 'Deckung')).toMatchObject({ headlineLevel: 3 });
  });

  it('says what is missing in an empty budget', () => {
    const body = sectionBody(
      definition({ finanzen: { ...emptyBudget, coverage: { kind: null, text: '   ' }, followUpCosts: ' ' } }).content,
      'Finanzielle Auswirkungen',
    );
    expect(texts(body)).toEqual([
      'Finanzielle Auswirkungen',
      'Keine Haushaltspositionen erfasst.',
      'Deckung',
      'Mittel sind im Haushalt vorhanden',
      'überplanmäßige Ausgabe',
      'außerplanmäßige Ausgabe',
      'Deckungsvorschlag',
      'Folgekosten',
      'keine Angabe',
      'Stellungnahme der Kämmerei',
      'noch keine Stellungnahme',
    ]);
    expect(nodes(body, (node) => Array.isArray(node.canvas)).map((node) => (node.canvas as unknown[]).length)).toEqual([1, 1, 1, 1]);
    expect(texts(sectionBody(definition({}).content, 'Finanzielle Auswirkungen'))).toEqual([
      'Finanzielle Auswirkungen',
      'Keine Angaben zu den finanziellen Auswirkungen.',
    ]);
  });
});

describe('the Vorlage document: choice, attachments and co-signatures', () => {
  it('prints the question, the options with the chosen one crossed, and the texts that apply to it', () => {
    const chosen = (value: string | null) =>
      sectionBody(
        definition({ klima: { value, texts: { erlaeuterung: doc(p('Weniger Fahrten.')), alternativen: doc(p('Keine.')) } } }).content,
        'Klimarelevanz',
      );
    expect(texts(chosen('ja-positiv'))).toEqual([
      'Klimarelevanz',
      'Hat der Beschluss entscheidungsrelevante Auswirkungen auf den Klimaschutz?',
      'ja, positiv',
      'ja, negativ',
      'nein',
      'Erläuterung',
      'Weniger Fahrten.',
    ]);
    expect(texts(chosen('ja-negativ')).slice(5)).toEqual(['Erläuterung', 'Weniger Fahrten.', 'Alternative Handlungsoptionen', 'Keine.']);
    expect(withText(chosen('ja-negativ'), 'ja, negativ').bold).toBe(true);
    expect(texts(chosen(null)).slice(5)).toEqual(['Erläuterung', 'Weniger Fahrten.']);
    expect(nodes(chosen(null), (node) => Array.isArray(node.canvas)).map((node) => (node.canvas as unknown[]).length)).toEqual([1, 1, 1]);
    expect(texts(sectionBody(definition({}).content, 'Klimarelevanz')).slice(5)).toEqual(['Erläuterung', 'keine Angabe']);
    // a choice without guidance asks with its title
    const plain: Template = { ...template, sections: template.sections.map((section) => (section.id === 'klima' ? { ...section, guidance: [] } : section)) };
    const snapshot = snapshotOf({}, plain, dossier);
    expect(
      texts(sectionBody(build({ snapshot, template: plain, mode: 'draft', letterhead: { cityName: 'Stadt', logo: null } }).content, 'Klimarelevanz'))[1],
    ).toBe('Klimarelevanz:');
  });

  it('numbers the attachments and marks each public or not', () => {
    const items = [
      { id: 'a1', title: 'Evaluationsbericht', public: true },
      { id: 'a2', title: '', public: false },
    ];
    expect(texts(sectionBody(definition({ anlagen: { items } }).content, 'Anlagen'))).toEqual([
      'Anlagen',
      'Anlage 1',
      'Evaluationsbericht',
      'öffentlich',
      'Anlage 2',
      '(ohne Titel)',
      'nichtöffentlich',
    ]);
    expect(texts(sectionBody(definition({}).content, 'Anlagen'))).toEqual(['Anlagen', 'Keine Anlagen.']);
  });

  it('prints one co-signature row per involved department, given or outstanding, kept on one page', () => {
    const items = [
      { department: 'Kämmerei', name: 'Karl Kämmerer', signedAt: '2026-11-20T10:00:00.000Z', sections: { finanzen: 'h1', gibtsnicht: 'h2' } },
      { department: 'Rechtsamt', name: 'Rita Recht', signedAt: '2026-11-21T10:00:00.000Z', sections: {} },
    ];
    const content = definition({ kopf: header({ beteiligt: ['Kämmerei', 'Rechtsamt', 'Amt für Klimaschutz'] }), mitzeichnung: { items } }).content;
    expect(tableRows(content, 'Dienststelle')).toEqual([
      ['Dienststelle', 'Name', 'Datum', 'Entscheidung', 'Mitgezeichnete Abschnitte'],
      ['Kämmerei', 'Karl Kämmerer', '20.11.2026', 'mitgezeichnet', 'Finanzielle Auswirkungen, gibtsnicht'],
      ['Rechtsamt', 'Rita Recht', '21.11.2026', 'mitgezeichnet', 'gesamte Vorlage'],
      ['Amt für Klimaschutz', 'ausstehend', '', '', ''],
    ]);
    const block = (content as Node[]).find((node) => texts(node)[0] === 'Mitzeichnung')!;
    expect(block.unbreakable).toBe(true);
    expect(texts(definition({}).content.at(-1))).toEqual(['Mitzeichnung', 'Keine beteiligten Dienststellen eingetragen.']);
  });

  it('lets a long co-signature list break across pages', () => {
    const departments = (count: number) => Array.from({ length: count }, (_, index) => `Amt ${index + 1}`);
    const block = (count: number) =>
      (definition({ kopf: header({ beteiligt: departments(count) }) }).content as Node[]).find((node) => texts(node)[0] === 'Mitzeichnung')!;
    expect(block(15).unbreakable).toBe(true);
    expect(block(16).unbreakable).toBe(false);
  });
});

describe('headings kept with what follows', () => {
  const pageBreakBefore = (node: Node, following: Node[]) =>
    (definition({}).pageBreakBefore as unknown as (node: Node, nodes: { getFollowingNodesOnPage(): Node[] }) => boolean)(node, {
      getFollowingNodesOnPage: () => following,
    });
  const low = (verticalRatio: number) => ({ pageInnerHeight: 448, verticalRatio });

  it('moves a heading on when nothing printable follows it on its page, or too little room is left', () => {
    expect(pageBreakBefore({ text: 'Absatz' }, [])).toBe(false);
    expect(pageBreakBefore({ headlineLevel: 1, startPosition: low(0.5) }, [{ text: 'folgt' }])).toBe(false);
    expect(pageBreakBefore({ headlineLevel: 1, startPosition: low(0.5) }, [{ image: 'logo' }])).toBe(false);
    expect(pageBreakBefore({ headlineLevel: 1, startPosition: low(0.5) }, [{ canvas: [] }])).toBe(false);
    expect(pageBreakBefore({ headlineLevel: 1, startPosition: low(0.5) }, [{ table: {} }])).toBe(true);
    expect(pageBreakBefore({ headlineLevel: 1, startPosition: low(0.5) }, [])).toBe(true);
    // 56 points under the heading are enough, less is not
    expect(pageBreakBefore({ headlineLevel: 2, startPosition: low(0.875) }, [{ text: 'folgt' }])).toBe(false);
    expect(pageBreakBefore({ headlineLevel: 2, startPosition: low(0.90625) }, [{ text: 'folgt' }])).toBe(true);
    expect(pageBreakBefore({ headlineLevel: 0 }, [{ text: 'folgt' }])).toBe(false);
  });
});

describe('building blocks', () => {
  it('draws a check box, crossed when checked', () => {
    expect(checkbox(false).canvas).toHaveLength(1);
    const crossed = checkbox(true).canvas;
    expect(crossed.map((shape) => shape.type)).toEqual(['rect', 'line', 'line']);
    expect(crossed.slice(1)).toEqual([
      { type: 'line', x1: 1.5, y1: 3.5, x2: 6, y2: 8, lineWidth: 1.1 },
      { type: 'line', x1: 6, y1: 3.5, x2: 1.5, y2: 8, lineWidth: 1.1 },
    ]);
  });

  it('writes German dates and Berlin times, leaving what is no date as it is', () => {
    expect(germanDate('2026-03-09')).toBe('09.03.2026');
    expect(germanDate('2026-03-09T23:30:00Z')).toBe('09.03.2026');
    expect(germanDate('')).toBe('');
    expect(germanDate('bald')).toBe('bald');
    expect(germanDateTime('2026-07-01T12:00:00.000Z')).toBe('01.07.2026, 14:00 Uhr');
    expect(germanDateTime('2026-01-01T12:00:00.000Z')).toBe('01.01.2026, 13:00 Uhr');
    expect(germanDateTime('unbekannt')).toBe('unbekannt');
  });
});

describe('table rules', () => {
  /** A layout's value for one row or column of a table with `rows` body rows. */
  type Rule = (index: number, node: { table: { body: unknown[][]; widths: unknown[] } }) => unknown;
  const at = (rule: unknown, index: number, rows = 3) => (rule as Rule)(index, { table: { body: Array.from({ length: rows }, () => []), widths: ['*', '*'] } });

  it('draws thin grey rules between all cells of data tables', () => {
    expect([at(gridLayout.hLineWidth, 0), at(gridLayout.vLineWidth, 1), at(gridLayout.hLineColor, 2), at(gridLayout.vLineColor, 0)]).toEqual([
      0.5,
      0.5,
      RULE_COLOR,
      RULE_COLOR,
    ]);
    expect([at(gridLayout.paddingLeft, 0), at(gridLayout.paddingRight, 0), at(gridLayout.paddingTop, 0), at(gridLayout.paddingBottom, 0)]).toEqual([
      4, 4, 2.5, 2.5,
    ]);
  });

  it('rules the header rows above and below more strongly than between rows, with no vertical lines', () => {
    expect([0, 1, 2, 3].map((row) => at(formLayout.hLineWidth, row))).toEqual([0.75, 0.4, 0.4, 0.75]);
    expect(at(formLayout.vLineWidth, 1)).toBe(0);
    expect(at(formLayout.hLineColor, 1)).toBe(RULE_COLOR);
    expect([
      at(formLayout.paddingLeft, 0),
      at(formLayout.paddingLeft, 1),
      at(formLayout.paddingRight, 0),
      at(formLayout.paddingTop, 0),
      at(formLayout.paddingBottom, 0),
    ]).toEqual([0, 6, 4, 3, 3]);
  });

  it('aligns check boxes and attachments in columns without any lines', () => {
    expect([at(plainLayout.hLineWidth, 0), at(plainLayout.vLineWidth, 0)]).toEqual([0, 0]);
    expect([at(plainLayout.paddingLeft, 0), at(plainLayout.paddingRight, 0), at(plainLayout.paddingTop, 0), at(plainLayout.paddingBottom, 0)]).toEqual([
      0, 6, 1, 1,
    ]);
  });

  it('sets A4 with the margins of a business letter', () => {
    expect(PAGE_MARGINS.map((points) => Math.round((points * 25.4) / 72))).toEqual([25, 24, 20, 20]);
    expect(Math.round(TEXT_WIDTH)).toBe(468);
  });
});

describe('the Vorlage document: what pdfmake is given is well-formed', () => {
  const signedAt = '2026-11-20T10:00:00.000Z';
  /** A dossier with every kind of section filled, grouped parts included, so every kind of node is built. */
  const full = () =>
    definition(
      {
        kopf: header(),
        beratungsfolge: { rows: [{ id: 'r', body: 'Stadtrat', date: '', role: 'entscheidung', public: true, result: '' }] },
        beschlussvorschlag: doc(p('Der Stadtrat beschließt.')),
        ausgangslage: doc(p('Ausgangslage.')),
        finanzen: emptyBudget,
        klima: { value: 'ja-negativ', texts: {} },
        anlagen: { items: [{ id: 'a1', title: 'Bericht', public: true }] },
        mitzeichnung: { items: [{ department: 'Kämmerei', name: 'Karl Kämmerer', signedAt, sections: {} }] },
      },
      { logo: 'data:image/png;base64,iVBORw0KGgo=' },
    );
  /** Everything printed: the content, the running header of page two and the footer. */
  const printed = (built: Built) => [built.content, headerOf(built, 2), footerOf(built, 2, 3)];

  it('names only styles the document defines (pdfmake ignores unknown ones silently)', () => {
    const built = full();
    // a node may name several styles, applied in order
    const used = new Set(nodes(printed(built), (node) => 'style' in node).flatMap((node) => node.style));
    expect([...used].sort()).toEqual(
      expect.arrayContaining([
        'furniture',
        'label',
        'letterheadCity',
        'letterheadDepartment',
        'vorlageArt',
        'sectionHeading',
        'subsectionHeading',
        'tableHeader',
        'dataTable',
        'paragraph',
        'block',
      ]),
    );
    for (const style of used) expect(Object.keys(built.styles ?? {}), `style "${String(style)}"`).toContain(style);
  });

  it('gives margins as four numbers, column widths as points, * or auto, and alignments pdfmake knows', () => {
    const built = full();
    const all = printed(built);
    const margins = nodes(all, (node) => 'margin' in node).map((node) => node.margin);
    expect(margins.length).toBeGreaterThan(5);
    for (const margin of margins) expect(margin).toEqual([expect.any(Number), expect.any(Number), expect.any(Number), expect.any(Number)]);
    const widths = [
      ...nodes(all, (node) => 'width' in node).map((node) => node.width),
      ...nodes(all, (node) => Array.isArray((node.table as Node | undefined)?.widths)).flatMap((node) => (node.table as { widths: unknown[] }).widths),
    ];
    for (const width of widths) expect(typeof width === 'number' || width === '*' || width === 'auto', `width ${JSON.stringify(width)}`).toBe(true);
    expect(widths).toContain('auto');
    const alignments = nodes(all, (node) => 'alignment' in node).map((node) => node.alignment);
    expect(alignments).toEqual(expect.arrayContaining(['right', 'center', 'justify']));
    for (const alignment of alignments) expect(['left', 'right', 'center', 'justify']).toContain(alignment);
    expect(built.content.every((node) => typeof node === 'object')).toBe(true);
  });

  it('sets the running header and the footer small, right-aligning the number and the page count', () => {
    const built = definition({}, { referenceNumber: 'VO/26/00042/SC' });
    expect(headerOf(built, 2)).toMatchObject({
      columns: [{ width: '*' }, { text: 'VO/26/00042/SC', width: 'auto', alignment: 'right', bold: true }],
      margin: [PAGE_MARGINS[0], 30, PAGE_MARGINS[2], 0],
      style: 'furniture',
    });
    expect(footerOf(built, 1, 2)).toMatchObject({
      columns: [{ width: '*' }, { text: 'Seite 1 von 2', width: 'auto', alignment: 'right' }],
      margin: [PAGE_MARGINS[0], 20, PAGE_MARGINS[2], 0],
      style: 'furniture',
    });
    expect(built.styles?.furniture).toMatchObject({ fontSize: 8 });
    expect(built.watermark).toEqual({ text: WATERMARK_TEXT, color: '#8c8c8c', opacity: 0.16, bold: true, fontSize: 104 });
  });

  it('describes a final file without a number as such', () => {
    expect(definition({}, { mode: 'final' }).info?.subject).toBe('Beschlussvorlage (ohne Vorlagen-Nr.) – Stadt Musterstadt');
    expect(definition({}, { mode: 'draft' }).info?.subject).toBe('Beschlussvorlage (Entwurf) – Stadt Musterstadt');
  });

  it('rules the letterhead off over the text width and frames the Vorlagen-Nr. in black', () => {
    const letterhead = definition({ kopf: header() }, { logo: 'data:image/png;base64,iVBORw0KGgo=' }).content[0]!;
    expect(nodes(letterhead, (node) => Array.isArray(node.canvas))).toEqual([
      { canvas: [{ type: 'line', x1: 0, y1: 6, x2: TEXT_WIDTH, y2: 6, lineWidth: 0.75, lineColor: RULE_COLOR }], margin: [0, 0, 0, 12] },
    ]);
    expect(withText(letterhead, 'Stadt Musterstadt').style).toBe('letterheadCity');
    expect(withText(letterhead, 'Amt für Digitalisierung').style).toBe('letterheadDepartment');
    expect(withText(letterhead, 'Ergänzungsvorlage').style).toBe('vorlageArt');
    expect(withText(letterhead, 'Vorlagen-Nr.').style).toBe('label');
    expect(nodes(letterhead, (node) => Array.isArray(node.stack) && 'image' in ((node.stack as Node[])[0] ?? {}))[0]).toMatchObject({ width: 'auto' });
    const frame = nodes(letterhead, (node) => 'table' in node)[0]!;
    expect(frame.width).toBe(170);
    const layout = frame.layout as Record<string, (index: number) => unknown>;
    expect([layout.hLineColor!(0), layout.vLineColor!(0), layout.paddingTop!(0), layout.paddingBottom!(0)]).toEqual(['#000000', '#000000', 4, 4]);
    expect(layout.hLineWidth!(0)).toBe((gridLayout.hLineWidth as (index: number) => unknown)(0));
  });

  it('keeps table rows whole across page breaks in the Beratungsfolge, the Anlagen and the Mitzeichnung', () => {
    const content = full().content;
    for (const first of ['Gremium', 'Anlage 1', 'Dienststelle']) {
      const table = nodes(content, (node) => texts((node.table as { body?: unknown[][] } | undefined)?.body?.[0]?.[0])[0] === first)[0]!;
      expect((table.table as Node).dontBreakRows, first).toBe(true);
    }
    expect(withText(content, 'Anlage 1').bold).toBe(true);
  });
});

describe('the Vorlage document: header fields and stored state out of the ordinary', () => {
  const withHeaderFields = (fields: HeaderFieldLike[]): Template => ({
    ...template,
    sections: template.sections.map((section) => (section.kind === 'header' ? { ...section, fields } : section)) as Template['sections'],
  });
  type HeaderFieldLike = { id: string; label: string; type: string; options?: { value: string; label: string }[] };
  const render = (used: Template, snapshot: DossierSnapshot, mode: ExportMode = 'draft') =>
    build({ snapshot, template: used, mode, letterhead: { cityName: 'Stadt Musterstadt', logo: null } });

  it('prints a list field as its non-blank entries, and a field the header has not stored as a dash', () => {
    const listed = withHeaderFields([
      { id: 'stichworte', label: 'Stichworte', type: 'list' },
      { id: 'beteiligt', label: 'Beteiligte Dienststellen', type: 'departments' },
      { id: 'datum', label: 'Datum', type: 'date' },
    ]);
    const snapshot = {
      ...snapshotOf({ kopf: { fields: { stichworte: ['Labor', '  ', 'Verstetigung'] } } }, listed, dossier),
      involvedDepartments: [{ id: 'kaemmerei', name: 'Kämmerei', shortName: 'K' }],
    };
    expect(tableRows(render(listed, snapshot).content, 'Stichworte')).toEqual([
      ['Stichworte', 'Labor, Verstetigung'],
      // the header was stored before the field existed: nothing printed, whatever the dossier's record says
      ['Beteiligte Dienststellen', '–'],
      ['Datum', '–'],
    ]);
    const notList = { ...snapshot, sections: { ...snapshot.sections, kopf: { fields: { stichworte: 'kein Eintrag' } } } };
    expect(tableRows(render(listed, notList).content, 'Stichworte')[0]).toEqual(['Stichworte', '–']);
  });

  it('prints a template without the conventional fields with the template’s kind and the city as author', () => {
    const bare = withHeaderFields([{ id: 'datum', label: 'Datum', type: 'date' }]);
    const built = render(
      bare,
      snapshotOf({ kopf: { fields: { datum: '2026-11-18', 'vorlage-art': 'ergaenzungsvorlage', federfuehrend: 'Amt X' } } }, bare, dossier),
    );
    expect(texts(built.content[0])).toEqual(['Stadt Musterstadt', 'Beschlussvorlage', 'Vorlagen-Nr.', NO_REFERENCE_NUMBER]);
    expect(built.info?.author).toBe('Stadt Musterstadt');
    const headless: Template = { ...template, sections: template.sections.filter((section) => section.kind !== 'header') };
    const noHeader = render(headless, snapshotOf({}, headless, dossier));
    expect(texts(noHeader.content[0])).toEqual(['Stadt Musterstadt', 'Beschlussvorlage', 'Vorlagen-Nr.', NO_REFERENCE_NUMBER]);
    expect(noHeader.info?.subject).toBe('Beschlussvorlage (Entwurf) – Stadt Musterstadt');
  });

  it('falls back to the template’s kind when the stored kind is no longer an option', () => {
    const letterhead = definition({ kopf: header({ 'vorlage-art': 'gibt-es-nicht', oeffentlichkeit: 'weder-noch' }) }).content[0];
    expect(texts(letterhead)).toEqual(['Stadt Musterstadt', 'Amt für Digitalisierung', 'Beschlussvorlage', 'Vorlagen-Nr.', NO_REFERENCE_NUMBER]);
  });

  it('reads the header wherever the template places it', () => {
    const later: Template = {
      ...template,
      sections: [...template.sections.filter((section) => section.kind !== 'header'), template.sections.find((section) => section.kind === 'header')!],
    };
    const snapshot = snapshotOf({ betreff: doc(p('Verstetigung')), kopf: header() }, later, dossier);
    expect(texts(render(later, snapshot).content[0]).slice(0, 4)).toEqual([
      'Stadt Musterstadt',
      'Amt für Digitalisierung',
      'Ergänzungsvorlage',
      'nichtöffentlich',
    ]);
  });

  it('treats sections missing from the snapshot like empty ones', () => {
    const snapshot = { ...snapshotOf({}, template, dossier), sections: {} };
    const content = render(template, snapshot).content;
    expect(texts(sectionBody(content, 'Beratungsfolge'))).toEqual(['Beratungsfolge', 'Noch keine Gremien eingetragen.']);
    expect(texts(sectionBody(content, 'Anlagen'))).toEqual(['Anlagen', 'Keine Anlagen.']);
  });

  it('says why a stored section does not fit its kind', () => {
    expect(() => definition({ beratungsfolge: { rows: 'keine Liste' } })).toThrow(/passt nicht zum Schema: \S.*array/i);
  });
});

describe('the Vorlage document: Anlagen files and co-signature details', () => {
  it('names each Anlage’s file with its size and the start of its SHA-256', () => {
    const sha256 = 'ab'.repeat(32);
    const items = [
      { id: 'a1', title: 'Evaluationsbericht', public: true, fileId: 'f1' },
      { id: 'a2', title: '', public: false, fileId: 'f2' },
      { id: 'a3', title: 'Ohne Datei', public: true, fileId: 'weg' },
    ];
    const snapshot = {
      ...snapshotOf({ anlagen: { items } }, template, dossier),
      attachmentFiles: { f1: { fileName: 'bericht.pdf', size: 2048, sha256 }, f2: { fileName: 'karte.png', size: 100, sha256 } },
    };
    const content = build({ snapshot, template, mode: 'draft', letterhead: { cityName: 'Stadt', logo: null } }).content;
    expect(texts(sectionBody(content, 'Anlagen'))).toEqual([
      'Anlagen',
      'Anlage 1',
      'Evaluationsbericht',
      `Datei: bericht.pdf · 2 KB · SHA-256 ${'ab'.repeat(8)}`,
      'öffentlich',
      'Anlage 2',
      '(ohne Titel)',
      `Datei: karte.png · 100 Byte · SHA-256 ${'ab'.repeat(8)}`,
      'nichtöffentlich',
      'Anlage 3',
      'Ohne Datei',
      'öffentlich',
    ]);
  });

  it('prints remarks, invalid co-signatures with the changed sections, and a signature over every section as the whole Vorlage', () => {
    const signable = template.sections.filter((section) => section.kind !== 'signatures');
    const items = [
      {
        department: 'Kämmerei',
        name: 'Karl Kämmerer',
        signedAt: '2026-11-20T10:00:00.000Z',
        decision: 'agree-with-remarks',
        remark: '  Folgekosten prüfen ',
        state: 'invalid',
        changedSections: ['finanzen', 'entfallen'],
        sections: Object.fromEntries(signable.map((section) => [section.id, 'h'])),
      },
      { department: 'Rechtsamt', name: 'Rita Recht', signedAt: '2026-11-21T10:00:00.000Z', remark: '   ', sections: { finanzen: 'h' } },
    ];
    const content = definition({ kopf: header({ beteiligt: ['Kämmerei', 'Rechtsamt', 'Hauptamt'] }), mitzeichnung: { items } }).content;
    expect(tableRows(content, 'Dienststelle').slice(1)).toEqual([
      [
        'Kämmerei',
        'Karl Kämmerer',
        '20.11.2026',
        'mitgezeichnet mit Anmerkungen: „Folgekosten prüfen“ – ungültig, geändert: Finanzielle Auswirkungen, entfallen',
        'gesamte Vorlage',
      ],
      ['Rechtsamt', 'Rita Recht', '21.11.2026', 'mitgezeichnet', 'Finanzielle Auswirkungen'],
      ['Hauptamt', 'ausstehend', '', '', ''],
    ]);
    const table = nodes(content, (node) => texts((node.table as { body?: unknown[][] } | undefined)?.body?.[0]?.[0])[0] === 'Dienststelle')[0]!;
    const outstanding = (table.table as { body: Node[][] }).body[3]!;
    expect(outstanding.slice(1)).toEqual([{ text: 'ausstehend', color: expect.any(String), italics: true }, { text: '' }, { text: '' }, { text: '' }]);
  });
});
