import { describe, expect, it } from 'vitest';
import { doc, italic, link, p, strike, underline } from '../../dossier/rich-text';
import { canonicalRichText, richTextSchema } from '../../dossier/schema';
import type { Content, ContentOl, ContentTable, ContentText, TableLayout } from '../../server/export/pdfmake-types';
import { inlines, markMappings, nodeMappings, plainText, type RichNode, richText, UnmappedRichTextError } from '../../server/export/rich-text';
import { HEADER_FILL, LINK_COLOR, MUTED_COLOR, RULE_COLOR, styles } from '../../server/export/styles';
import { everyNodeAndMark, typesUsed } from './fixtures';
import { pdfText, renderDossier } from './support';

const body = { alignment: 'justify' as const };

describe('rich text to PDF', () => {
  it('has a mapping for every node and mark type of the editor schema', () => {
    // A new editor extension fails here until the PDF knows how to print it.
    for (const type of Object.keys(richTextSchema.nodes)) expect(nodeMappings, `node type "${type}"`).toHaveProperty(type);
    for (const type of Object.keys(richTextSchema.marks)) expect(markMappings, `mark type "${type}"`).toHaveProperty(type);
  });

  it('has a fixture that uses every node and mark type of the schema', () => {
    const used = typesUsed(canonicalRichText(everyNodeAndMark));
    expect([...used.nodes].sort()).toEqual(Object.keys(richTextSchema.nodes).sort());
    expect([...used.marks].sort()).toEqual(Object.keys(richTextSchema.marks).sort());
  });

  it('refuses a node or mark it cannot print instead of dropping it', () => {
    expect(() => richText({ type: 'doc', content: [{ type: 'codeBlock', content: [{ type: 'text', text: 'x' }] }] }, body)).toThrow(UnmappedRichTextError);
    expect(() => richText(doc(p({ type: 'text', text: 'x', marks: [{ type: 'highlight' } as never] })), body)).toThrow(/Auszeichnung "highlight"/);
  });

  it('prints a link target that is no web or e-mail address as plain text', () => {
    const [paragraph] = richText(
      doc(p({ type: 'text', text: 'Klick', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }, link('Rathaus', 'https://www.musterstadt.de'))),
      body,
    ) as ContentText[];
    expect(JSON.stringify(paragraph)).not.toContain('javascript');
    expect(paragraph!.text).toEqual(expect.arrayContaining([expect.objectContaining({ text: 'Rathaus', link: 'https://www.musterstadt.de' })]));
  });

  it('maps spans, list numbering and header rows to pdfmake structure', () => {
    const content = richText(canonicalRichText(everyNodeAndMark), body);
    const table = content.find((block): block is ContentTable => typeof block === 'object' && 'table' in block && block.table.body.length === 3)!;
    expect(table.table.headerRows).toBe(1);
    expect(table.table.body[0]).toMatchObject([{ colSpan: 2 }, {}, { style: 'tableHeader' }]);
    expect(table.table.body[1]![0]).toMatchObject({ rowSpan: 2 });
    // the position covered by the row span is pdfmake's empty placeholder
    expect(table.table.body[2]![0]).toEqual({});
    const letters = content.find((block): block is ContentOl => typeof block === 'object' && 'ol' in block && block.start === 3)!;
    expect(letters.type).toBe('lower-alpha');
    const paragraph = content.find((block): block is ContentText => typeof block === 'object' && 'text' in block && block.alignment === 'justify')!;
    expect(paragraph.text).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: 'fettem Wort', bold: true }), expect.objectContaining({ link: 'https://example.org/satzung' })]),
    );
  });

  it('prints every piece of the fixture into the PDF, with link targets spelled out', async () => {
    const { pdf } = await renderDossier({ ausgangslage: everyNodeAndMark });
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    for (const piece of [
      'Überschrift zwei',
      'Überschrift drei',
      'Überschrift vier',
      'fettem Wort',
      'kursivem Wort',
      'unterstrichenem Wort',
      'durchgestrichenem Wort',
      'Verweis (https://example.org/satzung)',
      'Erste Zeile zweite Zeile nach hartem Umbruch',
      'Punkt außen',
      'Nummer innen eins',
      'Buchstabe c',
      'Zitat einer Bürgerin',
      'Kopf über zwei Spalten',
      'Zelle über zwei Zeilen',
      'Zelle C3',
    ]) {
      expect(text).toContain(piece);
    }
    expect(text).toMatch(/c\.\s*Buchstabe c\s*d\.\s*Buchstabe d/);
  });
});

const text = (value: string, marks?: RichNode['marks']): RichNode => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const para = (...content: RichNode[]): RichNode => ({ type: 'paragraph', content });
const heading = (level: number, words: string): RichNode => ({ type: 'heading', attrs: { level }, content: [text(words)] });
const linked = (value: string, href: string, ...marks: RichNode['marks'] & object): RichNode => text(value, [...marks, { type: 'link', attrs: { href } }]);
const only = (...content: RichNode[]): Content[] => richText({ type: 'doc', content }, body);
/** The runs of the one paragraph a document of that paragraph prints. */
const runs = (...content: RichNode[]) => (only(para(...content))[0] as ContentText).text;
const layoutOf = (block: Content) => (block as ContentTable).layout as TableLayout;
const tableNode = { table: { body: [], widths: [] } };
const unmapped = (content: RichNode[]) => {
  try {
    richText({ type: 'doc', content }, body);
  } catch (error) {
    expect(error).toBeInstanceOf(UnmappedRichTextError);
    expect((error as Error).name).toBe('UnmappedRichTextError');
    return (error as Error).message;
  }
  throw new Error('no UnmappedRichTextError');
};

describe('rich text marks', () => {
  it('prints italic, underlined and struck-through words with their own style', () => {
    expect(runs(italic('kursiv'), underline('unterstrichen'), strike('gestrichen'))).toEqual([
      { text: 'kursiv', italics: true },
      { text: 'unterstrichen', decoration: ['underline'] },
      { text: 'gestrichen', decoration: ['lineThrough'] },
    ]);
  });

  it('keeps every line of a word that is underlined, struck through and linked, each once', () => {
    const [word] = runs(
      text('www.musterstadt.de', [
        { type: 'underline' },
        { type: 'strike' },
        { type: 'bold' },
        { type: 'link', attrs: { href: 'https://www.musterstadt.de' } },
      ]),
    ) as ContentText[];
    expect(word).toEqual({
      text: 'www.musterstadt.de',
      bold: true,
      decoration: ['underline', 'lineThrough'],
      link: 'https://www.musterstadt.de',
      color: LINK_COLOR,
    });
  });

  it('adds its line to a decoration given as a single value', () => {
    expect(markMappings.underline!({ decoration: 'lineThrough' }, { type: 'underline' })).toEqual({ decoration: ['lineThrough', 'underline'] });
    expect(markMappings.strike!({ decoration: 'lineThrough' }, { type: 'strike' })).toEqual({ decoration: ['lineThrough'] });
  });

  it('prints a link without a target, or with an unsafe one, as plain words', () => {
    expect(runs(text('Klick', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }]), text(' hier', [{ type: 'link' }]))).toEqual([
      { text: 'Klick' },
      { text: ' hier' },
    ]);
  });

  it('names a mark without a mapping and where it was found', () => {
    expect(unmapped([para(text('x', [{ type: 'highlight' }]))])).toBe('PDF-Export: Auszeichnung "highlight" (in einem Text) hat keine Darstellung im PDF');
  });
});

describe('link targets on paper', () => {
  it('prints the address after the linked words, once, even when part of them is bold', () => {
    const href = 'https://www.musterstadt.de/satzung';
    expect(runs(linked('die ', href), linked('Satzung', href, { type: 'bold' }), text(' gilt'))).toEqual([
      { text: 'die ', link: href, color: LINK_COLOR, decoration: ['underline'] },
      { text: 'Satzung', bold: true, link: href, color: LINK_COLOR, decoration: ['underline'] },
      { text: ` (${href})`, color: MUTED_COLOR, fontSize: 8.5 },
      { text: ' gilt' },
    ]);
  });

  it('prints the address of a link that ends the paragraph, and an e-mail address without mailto:', () => {
    const printed = runs(text('Fragen an '), linked('das Bürgerbüro', 'mailto:buergerbuero@musterstadt.de'));
    expect(printed).toEqual([
      { text: 'Fragen an ' },
      expect.objectContaining({ text: 'das Bürgerbüro', link: 'mailto:buergerbuero@musterstadt.de' }),
      { text: ' (buergerbuero@musterstadt.de)', color: MUTED_COLOR, fontSize: 8.5 },
    ]);
  });

  it('keeps a mailto: that is part of a web address', () => {
    const href = 'https://www.musterstadt.de/kontakt?weiter=mailto:';
    expect((runs(linked('Kontakt', href)) as ContentText[]).at(-1)).toMatchObject({ text: ` (${href})` });
  });

  it('prints two different links next to each other each with its own address', () => {
    const printed = runs(linked('Rat', 'https://rat.musterstadt.de'), linked('Amt', 'https://amt.musterstadt.de')) as ContentText[];
    expect(printed.map((run) => run.text)).toEqual(['Rat', ' (https://rat.musterstadt.de)', 'Amt', ' (https://amt.musterstadt.de)']);
  });

  it('does not repeat an address the linked words already show', () => {
    for (const [words, href] of [
      ['https://www.musterstadt.de', 'https://www.musterstadt.de'],
      ['www.musterstadt.de', 'https://www.musterstadt.de'],
      ['www.musterstadt.de', 'http://www.musterstadt.de'],
      [' www.musterstadt.de ', 'https://www.musterstadt.de'],
      ['www.musterstadt.de/rat/', 'https://www.musterstadt.de/rat'],
      ['info@musterstadt.de', 'mailto:info@musterstadt.de'],
      ['web.archive.org/web/2020/https://www.musterstadt.de', 'https://web.archive.org/web/2020/https://www.musterstadt.de'],
    ] as const) {
      expect(runs(linked(words, href)), `${words} → ${href}`).toEqual([expect.objectContaining({ text: words, link: href })]);
    }
  });

  it('does not repeat an address written across a line break inside the link', () => {
    const href = 'https://www.musterstadt.de';
    const printed = runs(linked('https://www.', href), { type: 'hardBreak', marks: [{ type: 'link', attrs: { href } }] }, linked('musterstadt.de', href));
    expect(printed).toEqual([expect.objectContaining({ text: 'https://www.' }), { text: '\n' }, expect.objectContaining({ text: 'musterstadt.de' })]);
  });

  it('gives nothing for inline content that is missing', () => {
    expect(inlines(undefined)).toEqual([]);
  });
});

describe('rich text blocks', () => {
  it('prints a paragraph in the alignment of its place, and leaves out the editor’s empty paragraphs', () => {
    expect(only(para(text('Text')), { type: 'paragraph' }, para(text('   ')))).toEqual([
      { text: [{ text: 'Text' }], alignment: 'justify', style: 'paragraph' },
    ]);
    expect(styles).toHaveProperty('paragraph');
  });

  it('keeps a paragraph that starts with a space before its first word, and one holding only a line break', () => {
    expect(only(para(text(' '), text('Wort', [{ type: 'bold' }])))).toHaveLength(1);
    expect(only(para({ type: 'hardBreak' }))).toEqual([{ text: [{ text: '\n' }], alignment: 'justify', style: 'paragraph' }]);
  });

  it('prints hard breaks as line breaks within the paragraph', () => {
    expect(runs(text('Erste Zeile'), { type: 'hardBreak' }, text('zweite Zeile'))).toEqual([{ text: 'Erste Zeile' }, { text: '\n' }, { text: 'zweite Zeile' }]);
  });

  it('prints heading levels 2, 3 and 4 in three decreasing styles, and a heading without level as level 2', () => {
    const printed = only(heading(2, 'Zwei'), heading(3, 'Drei'), heading(4, 'Vier'), {
      type: 'heading',
      content: [text('Ohne')],
    }) as ContentText[];
    expect(printed.map((heading) => [heading.style, heading.headlineLevel])).toEqual([
      ['richHeading1', 2],
      ['richHeading2', 3],
      ['richHeading3', 4],
      ['richHeading1', 2],
    ]);
    const [first, second, third] = ['richHeading1', 'richHeading2', 'richHeading3'].map((name) => styles[name]!);
    expect(first!.fontSize).toBeGreaterThan(second!.fontSize!);
    expect(third!.italics).toBe(true);
  });

  it('leaves out a heading without words', () => {
    expect(only({ type: 'heading', attrs: { level: 3 }, content: [text(' ')] }, { type: 'heading', attrs: { level: 2 } })).toEqual([]);
  });

  it('sets a quotation off by a grey rule on its left, its text in the body’s alignment and no bookmark for headings in it', () => {
    const [quote] = richText(
      { type: 'doc', content: [{ type: 'blockquote', content: [heading(3, 'Zitat'), para(text('Wortlaut'))] }] },
      {
        alignment: 'justify',
        outlineParentId: 'abschnitt',
      },
    ) as ContentTable[];
    expect(quote!.table).toEqual({
      widths: ['*'],
      body: [
        [
          {
            stack: [
              { text: [{ text: 'Zitat' }], style: 'richHeading2', headlineLevel: 3 },
              { text: [{ text: 'Wortlaut' }], alignment: 'justify', style: 'paragraph' },
            ],
          },
        ],
      ],
    });
    const layout = layoutOf(quote!);
    expect([0, 1].map((column) => layout.vLineWidth!(column, tableNode))).toEqual([2, 0]);
    expect(layout.hLineWidth!(0, tableNode)).toBe(0);
    expect(layout.vLineColor!(0)).toBe(RULE_COLOR);
    expect(layout.paddingLeft!(0)).toBeGreaterThan(0);
    expect(layout.paddingRight!(0)).toBe(0);
    expect(quote).toMatchObject({ color: '#333333', style: 'block' });
    expect(styles).toHaveProperty('block');
  });

  it('prints a horizontal rule as a thin grey line across the text width, without text', () => {
    const [rule] = only({ type: 'horizontalRule' });
    expect(rule).toMatchObject({ table: { widths: ['*'], body: [['']] }, style: 'block' });
    const layout = layoutOf(rule!);
    expect([0, 1].map((row) => layout.hLineWidth!(row, tableNode))).toEqual([0.75, 0]);
    expect(layout.vLineWidth!(0, tableNode)).toBe(0);
    expect(layout.hLineColor!(0)).toBe(RULE_COLOR);
  });

  it('names a node without a mapping and where it was found', () => {
    const message = (type: string, where: string) => `PDF-Export: Knotentyp "${type}" (${where}) hat keine Darstellung im PDF`;
    expect(unmapped([{ type: 'codeBlock', content: [text('x')] }])).toBe(message('codeBlock', 'im Text'));
    expect(unmapped([text('lose')])).toBe(message('text', 'als eigener Absatz'));
    expect(unmapped([para(para(text('x')))])).toBe(message('paragraph', 'innerhalb eines Absatzes'));
    expect(unmapped([{ type: 'bulletList', content: [para(text('x'))] }])).toBe(message('paragraph', 'in bulletList'));
    expect(unmapped([{ type: 'table', content: [{ type: 'tableCell', content: [para(text('x'))] }] }])).toBe(message('tableCell', 'in einer Tabelle'));
    expect(unmapped([{ type: 'table', content: [{ type: 'tableRow', content: [para(text('x'))] }] }])).toBe(message('paragraph', 'in einer Tabellenzeile'));
  });

  it('fails on a paragraph whose only content has no mapping instead of leaving it out', () => {
    expect(unmapped([para({ type: 'mention', attrs: { label: 'Bürgermeisterin' } })])).toBe(
      'PDF-Export: Knotentyp "mention" (im Text) hat keine Darstellung im PDF',
    );
  });

  it('prints nothing for a value that is no rich-text document', () => {
    expect(richText(null, body)).toEqual([]);
    expect(richText(undefined, body)).toEqual([]);
    expect(richText({ type: 'paragraph', content: [text('kein Dokument')] }, body)).toEqual([]);
    expect(richText({ type: 'doc' }, body)).toEqual([]);
  });
});

describe('rich text lists', () => {
  const item = (...content: RichNode[]): RichNode => ({ type: 'listItem', content });

  it('prints a list item of one paragraph as that paragraph, of several as a stack, and keeps an empty item’s number', () => {
    const [list] = only({
      type: 'orderedList',
      content: [item(para(text('eins'))), item(para(text('zwei')), para(text('weiter'))), item({ type: 'paragraph' }), item(para(text('vier')))],
    });
    const paragraph = (words: string) => ({ text: [{ text: words }], alignment: 'justify', style: 'paragraph' });
    expect(list).toEqual({
      ol: [paragraph('eins'), { stack: [paragraph('zwei'), paragraph('weiter')] }, { text: '' }, paragraph('vier')],
      start: 1,
      style: 'list',
    });
    expect(styles).toHaveProperty('list');
  });

  it('prints a bullet list, and a list without items, in the list style', () => {
    expect(only({ type: 'bulletList', content: [item(para(text('Punkt')))] }, { type: 'bulletList' })).toEqual([
      { ul: [{ text: [{ text: 'Punkt' }], alignment: 'justify', style: 'paragraph' }], style: 'list' },
      { ul: [], style: 'list' },
    ]);
  });

  it('numbers an ordered list from its start in decimal, letters or roman numerals', () => {
    const numbering = (attrs?: Record<string, unknown>) => {
      const [list] = only({ type: 'orderedList', ...(attrs ? { attrs } : {}), content: [item(para(text('Punkt')))] }) as ContentOl[];
      return [list!.start, list!.type];
    };
    expect(numbering()).toEqual([1, undefined]);
    expect(numbering({ start: 4, type: '1' })).toEqual([4, undefined]);
    expect(numbering({ start: '4', type: 'A' })).toEqual([1, 'upper-alpha']);
    expect(numbering({ type: 'i' })).toEqual([1, 'lower-roman']);
    expect(numbering({ type: 'I' })).toEqual([1, 'upper-roman']);
  });
});

describe('rich text tables', () => {
  const cell = (words: string, attrs?: Record<string, unknown>, type = 'tableCell'): RichNode => ({
    type,
    ...(attrs ? { attrs } : {}),
    content: [para(text(words))],
  });
  const head = (words: string, attrs?: Record<string, unknown>) => cell(words, attrs, 'tableHeader');
  const row = (...cells: RichNode[]): RichNode => ({ type: 'tableRow', content: cells });
  const tableOf = (...rows: RichNode[]) => only({ type: 'table', content: rows })[0] as ContentTable;
  const printed = (words: string, alignment = 'left') => ({ stack: [{ text: [{ text: words }], alignment, style: 'paragraph' }] });

  it('prints header cells shaded in the header style and repeats leading header rows on every page', () => {
    const table = tableOf(row(head('Maßnahme'), head('Kosten')), row(cell('Radweg'), cell('1.000 €')));
    expect(table).toEqual({
      table: {
        widths: ['*', '*'],
        body: [
          [
            { ...printed('Maßnahme'), style: 'tableHeader', fillColor: HEADER_FILL },
            { ...printed('Kosten'), style: 'tableHeader', fillColor: HEADER_FILL },
          ],
          [printed('Radweg'), printed('1.000 €')],
        ],
        headerRows: 1,
        // a row is never split across a page break
        dontBreakRows: true,
      },
      layout: expect.anything(),
      style: 'richTable',
    });
    expect(styles).toHaveProperty('richTable');
    expect(styles).toHaveProperty('tableHeader');
  });

  it('repeats no row when the header cells form a column, and every row when all are header rows', () => {
    expect(tableOf(row(head('Jahr'), cell('2026')), row(head('Betrag'), cell('5 €'))).table.headerRows).toBe(0);
    expect(tableOf(row(head('A'), head('B')), row(head('C'), head('D'))).table.headerRows).toBe(2);
  });

  it('aligns cell text left, centred or right as set in the editor', () => {
    const table = tableOf(row(cell('links'), cell('mitte', { align: 'center' }), cell('rechts', { align: 'right' }), cell('block', { align: 'justify' })));
    expect(table.table.body[0]).toEqual([printed('links'), printed('mitte', 'center'), printed('rechts', 'right'), printed('block')]);
  });

  it('places spanned cells with pdfmake’s empty placeholders at the positions they cover', () => {
    const table = tableOf(row(cell('A1'), cell('B1 bis C2', { colspan: 2, rowspan: 2 })), row(cell('A2')), row(cell('A3'), cell('B3'), cell('C3')));
    expect(table.table.body).toEqual([
      [printed('A1'), { ...printed('B1 bis C2'), colSpan: 2, rowSpan: 2 }, {}],
      [printed('A2'), {}, {}],
      [printed('A3'), printed('B3'), printed('C3')],
    ]);
  });

  it('cuts a row span at the end of the table', () => {
    const table = tableOf(row(cell('A1'), cell('B1')), row(cell('A2', { rowspan: 5 }), cell('B2')));
    expect(table.table.body).toEqual([
      [printed('A1'), printed('B1')],
      [printed('A2'), printed('B2')],
    ]);
    const taller = tableOf(row(cell('A1', { rowspan: 5 }), cell('B1')), row(cell('B2')));
    expect(taller.table.body).toEqual([
      [{ ...printed('A1'), rowSpan: 2 }, printed('B1')],
      [{}, printed('B2')],
    ]);
  });

  it('treats a span that is no positive whole number as no span', () => {
    const table = tableOf(row(cell('A', { colspan: -1 }), cell('B', { colspan: 1.5 }), cell('C', { colspan: '2', rowspan: 0 }), cell('D')));
    expect(table.table.body).toEqual([[printed('A'), printed('B'), printed('C'), printed('D')]]);
  });

  it('fills short rows with empty cells', () => {
    expect(tableOf(row(cell('A1'), cell('B1')), row(cell('A2')), { type: 'tableRow' }).table.body).toEqual([
      [printed('A1'), printed('B1')],
      [printed('A2'), ''],
      ['', ''],
    ]);
  });

  it('prints a table without rows as an empty one-column table', () => {
    expect(tableOf().table).toMatchObject({ widths: ['*'], body: [], headerRows: 0 });
    expect((only({ type: 'table' })[0] as ContentTable).table).toMatchObject({ widths: ['*'], body: [], headerRows: 0 });
  });
});

describe('plain text of rich text', () => {
  it('joins paragraphs with a space, the runs of a paragraph without one, and collapses white space', () => {
    const document: RichNode = {
      type: 'doc',
      content: [para(text('Smart-'), text('City', [{ type: 'bold' }]), text('-Strategie  ')), { type: 'paragraph' }, para(text('\n 2026 '))],
    };
    expect(plainText(document)).toBe('Smart-City-Strategie 2026');
    expect(plainText({ type: 'doc', content: [{ type: 'paragraph' }] })).toBe('');
  });
});
