/**
 * Finanzielle Auswirkungen as the Vorlage prints them: the budget table as
 * pdfmake receives it (expected sums computed by hand from the lines), then
 * coverage, follow-up costs and the statement of the finance office.
 */
import { describe, expect, it } from 'vitest';
import type { BudgetContent, BudgetLine } from '../../dossier/content';
import { doc, p } from '../../dossier/rich-text';
import type { Template } from '../../dossier/template';
import { checkboxList, placeholder } from '../../server/export/blocks';
import { budgetBlock, budgetTable } from '../../server/export/budget-block';
import type { Content, ContentTable, TableCell } from '../../server/export/pdfmake-types';
import { richText, type BlockContext } from '../../server/export/rich-text';
import { gridLayout, HEADER_FILL, MUTED_COLOR, styles, TOTAL_FILL } from '../../server/export/styles';

const noAccount = { produkt: '', kostenstelle: '', sachkonto: '', haushaltsstelle: '' };
const lines: BudgetLine[] = [
  {
    id: 'l1',
    costType: 'personal',
    recurrence: 'laufend',
    description: 'Laborleitung',
    account: { ...noAccount, produkt: '1.11.01', sachkonto: '5012', haushaltsstelle: '1.0200.4140' },
    amounts: { '2027': 8_000_000, '2028': 8_200_000 },
  },
  { id: 'l2', costType: 'sach', recurrence: 'einmalig', description: '', account: noAccount, amounts: { '2027': 123_456 } },
  { id: 'l3', costType: 'ertrag', recurrence: 'laufend', description: 'Hochschule', account: noAccount, amounts: { '2028': 2_000_000 } },
];
const budget = (more: Partial<BudgetContent> = {}): BudgetContent => ({
  firstYear: 2027,
  lastYear: 2028,
  lines,
  coverage: { kind: 'ueberplanmaessig', text: 'Deckung aus dem Budget des Amtes.' },
  followUpCosts: 'Ab 2029 jährlich 145.000 €.',
  statement: doc(p('Die Kämmerei stimmt zu.')),
  ...more,
});
const template = (budgetScheme: Template['budgetScheme']) => ({ budgetScheme }) as Template;
const context: BlockContext = { alignment: 'justify', outlineParentId: 'section-finanzen' };

/** A cell as the reader sees it: its text, or the texts of its stack joined by a space. */
const cellText = (cell: TableCell): string => {
  const node = cell as { text?: string; stack?: (string | { text: string })[] };
  if (node.stack) return node.stack.map((part) => (typeof part === 'string' ? part : part.text)).join(' ');
  return node.text ?? '';
};
const bodyOf = (table: ContentTable) => table.table.body as TableCell[][];

describe('budget table in the Vorlage', () => {
  it('groups the lines by cost type, each with a subtotal, then the totals, in German amounts', () => {
    expect(bodyOf(budgetTable(budget(), 'doppisch')).map((row) => row.map(cellText))).toEqual([
      ['Position (Art, Konto)', '2027', '2028', 'Summe'],
      ['Personalkosten', '', '', ''],
      ['Laborleitung laufend · 1.11.01 / 5012', '80.000,00', '82.000,00', '162.000,00'],
      ['Summe Personalkosten', '80.000,00', '82.000,00', '162.000,00'],
      ['Sachkosten', '', '', ''],
      ['(ohne Bezeichnung) einmalig', '1.234,56', '–', '1.234,56'],
      ['Summe Sachkosten', '1.234,56', '0,00', '1.234,56'],
      // no Investitionskosten: a cost type without lines has no group
      ['Erträge/Einnahmen', '', '', ''],
      ['Hochschule laufend', '–', '20.000,00', '20.000,00'],
      ['Summe Erträge/Einnahmen', '0,00', '20.000,00', '20.000,00'],
      ['Summe Kosten', '81.234,56', '82.000,00', '163.234,56'],
      ['davon einmalig', '1.234,56', '0,00', '1.234,56'],
      ['davon laufend', '80.000,00', '82.000,00', '162.000,00'],
      ['abzüglich Erträge/Einnahmen', '0,00', '20.000,00', '20.000,00'],
      ['Nettobelastung des Haushalts', '81.234,56', '62.000,00', '143.234,56'],
    ]);
  });

  it('names the kameral Haushaltsstelle under a line instead of Produkt and Sachkonto', () => {
    const row = bodyOf(budgetTable(budget(), 'kameral'))[2]!;
    expect(cellText(row[0]!)).toBe('Laborleitung laufend · 1.0200.4140');
  });

  it('heads the columns in the table header style on grey, the amounts right-aligned', () => {
    expect(bodyOf(budgetTable(budget(), 'doppisch'))[0]).toEqual([
      { text: 'Position (Art, Konto)', style: 'tableHeader', fillColor: HEADER_FILL },
      { text: '2027', style: 'tableHeader', alignment: 'right', fillColor: HEADER_FILL },
      { text: '2028', style: 'tableHeader', alignment: 'right', fillColor: HEADER_FILL },
      { text: 'Summe', style: 'tableHeader', alignment: 'right', fillColor: HEADER_FILL },
    ]);
    expect(styles.tableHeader).toMatchObject({ bold: true });
  });

  it('sets a cost type as a bold italic row over all columns, and its lines with the details small and grey', () => {
    const body = bodyOf(budgetTable(budget(), 'doppisch'));
    expect(body[1]).toEqual([{ text: 'Personalkosten', colSpan: 4, bold: true, italics: true }, {}, {}, {}]);
    expect(body[2]).toEqual([
      { stack: ['Laborleitung', { text: 'laufend · 1.11.01 / 5012', fontSize: 7.5, color: MUTED_COLOR }] },
      { text: '80.000,00', alignment: 'right', noWrap: true, bold: false },
      { text: '82.000,00', alignment: 'right', noWrap: true, bold: false },
      { text: '162.000,00', alignment: 'right', noWrap: true, bold: false },
    ]);
    // a year without an amount shows a grey dash, not 0,00
    expect(body[5]![2]).toEqual({ text: '–', alignment: 'right', color: MUTED_COLOR });
  });

  it('prints sums in bold on a light fill, the costs and the net burden on the darker header fill', () => {
    const body = bodyOf(budgetTable(budget(), 'doppisch'));
    const sum = (label: string) => body.find((row) => cellText(row[0]!) === label)!;
    expect(sum('Summe Personalkosten')).toEqual([
      { text: 'Summe Personalkosten', bold: true, fillColor: TOTAL_FILL },
      { text: '80.000,00', alignment: 'right', noWrap: true, bold: true, fillColor: TOTAL_FILL },
      { text: '82.000,00', alignment: 'right', noWrap: true, bold: true, fillColor: TOTAL_FILL },
      { text: '162.000,00', alignment: 'right', noWrap: true, bold: true, fillColor: TOTAL_FILL },
    ]);
    const fills = (label: string) => sum(label).map((cell) => (cell as { fillColor?: string }).fillColor);
    expect(fills('Summe Kosten')).toEqual([HEADER_FILL, HEADER_FILL, HEADER_FILL, HEADER_FILL]);
    expect(fills('davon einmalig')).toEqual([TOTAL_FILL, TOTAL_FILL, TOTAL_FILL, TOTAL_FILL]);
    expect(fills('Nettobelastung des Haushalts')).toEqual([HEADER_FILL, HEADER_FILL, HEADER_FILL, HEADER_FILL]);
    expect(sum('Nettobelastung des Haushalts').every((cell) => (cell as { bold?: boolean }).bold)).toBe(true);
  });

  it('repeats the header row on every page, never splits a row, and gives the amount columns a fixed width', () => {
    const table = budgetTable({ ...budget(), lastYear: 2030 }, 'doppisch');
    expect(table.table).toMatchObject({ headerRows: 1, dontBreakRows: true, widths: ['*', 52, 52, 52, 52, 58] });
    expect(table).toMatchObject({ layout: gridLayout, style: 'dataTable', fontSize: 8.5 });
    expect(styles.dataTable).toBeDefined();
  });
});

describe('Finanzielle Auswirkungen in the Vorlage', () => {
  it('prints the table, the coverage options with the chosen one crossed, its text, the follow-up costs and the statement', () => {
    const content = budget();
    expect(budgetBlock(content, template('doppisch'), context)).toEqual([
      budgetTable(content, 'doppisch'),
      { text: 'Deckung', style: 'subsectionHeading', headlineLevel: 3 },
      checkboxList([
        { label: 'Mittel sind im Haushalt vorhanden', checked: false },
        { label: 'überplanmäßige Ausgabe', checked: true },
        { label: 'außerplanmäßige Ausgabe', checked: false },
        { label: 'Deckungsvorschlag', checked: false },
      ]),
      { text: 'Deckung aus dem Budget des Amtes.', alignment: 'justify', style: 'paragraph' },
      {
        stack: [expect.objectContaining({ text: 'Folgekosten', bold: true }), { text: 'Ab 2029 jährlich 145.000 €.', alignment: 'justify' }],
        margin: expect.any(Array),
      },
      {
        stack: [expect.objectContaining({ text: 'Stellungnahme der Kämmerei', bold: true }), ...richText(content.statement, context)],
        margin: expect.any(Array),
      },
    ]);
    expect(styles.subsectionHeading).toBeDefined();
  });

  it('uses the kameral scheme of the template for the accounts', () => {
    const [table] = budgetBlock(budget(), template('kameral'), context);
    expect(table).toEqual(budgetTable(budget(), 'kameral'));
  });

  it('says what is missing in an empty budget instead of printing empty parts', () => {
    const empty = budget({ lines: [], coverage: { kind: null, text: '  \n' }, followUpCosts: ' ', statement: doc(p()) });
    const printed: Content[] = budgetBlock(empty, template('doppisch'), context);
    expect(printed[0]).toEqual(placeholder('Keine Haushaltspositionen erfasst.'));
    // no coverage text paragraph: the check boxes are followed by the Folgekosten
    expect(printed).toHaveLength(5);
    expect((printed[3] as { stack: Content[] }).stack[1]).toEqual(placeholder('keine Angabe'));
    expect((printed[4] as { stack: Content[] }).stack).toEqual([
      expect.objectContaining({ text: 'Stellungnahme der Kämmerei' }),
      placeholder('noch keine Stellungnahme'),
    ]);
    // no coverage chosen yet: no option crossed
    expect(printed[2]).toEqual(
      checkboxList(
        ['Mittel sind im Haushalt vorhanden', 'überplanmäßige Ausgabe', 'außerplanmäßige Ausgabe', 'Deckungsvorschlag'].map((label) => ({
          label,
          checked: false,
        })),
      ),
    );
  });
});
