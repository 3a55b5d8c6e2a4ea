/**
 * The budget CSV, as the finance office opens it in a spreadsheet: every
 * line and every sum written out, with expected values computed by hand (not
 * by the arithmetic under test), and no cell a spreadsheet would run as a formula.
 */
import { describe, expect, it } from 'vitest';
import type { BudgetContent, BudgetLine } from '../../dossier/content';
import { budgetCsv } from '../../server/export/budget-csv';

const account = { produkt: '', kostenstelle: '', sachkonto: '', haushaltsstelle: '' };
const line = (
  id: string,
  costType: BudgetLine['costType'],
  recurrence: BudgetLine['recurrence'],
  description: string,
  amounts: Record<string, number>,
  more: Partial<BudgetLine> = {},
): BudgetLine => ({
  id,
  costType,
  recurrence,
  description,
  account,
  amounts,
  ...more,
});
const budget = (lines: BudgetLine[]): BudgetContent => ({
  firstYear: 2027,
  lastYear: 2028,
  lines,
  coverage: { kind: null, text: '' },
  followUpCosts: '',
  statement: { type: 'doc', content: [{ type: 'paragraph' }] },
});
const rows = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .map((row) => row.split(';'));

describe('budget CSV', () => {
  // built inside each test, so that each test is known to run the export (mutation testing counts per test)
  const fiveLines = () =>
    budgetCsv(
      budget([
        line(
          'a',
          'personal',
          'laufend',
          'Laborleitung',
          { '2027': 7_500_000, '2028': 7_725_000 },
          { account: { ...account, produkt: '1.1.1', kostenstelle: '4711', sachkonto: '501200' } },
        ),
        line('b', 'personal', 'laufend', 'Community-Management', { '2027': 3_000_050, '2028': 3_100_000 }),
        line('c', 'sach', 'laufend', 'Miete', { '2027': 1_800_000, '2028': 1_800_000 }),
        line('d', 'investition', 'einmalig', 'Lasercutter', { '2027': 2_499_999 }),
        line('e', 'ertrag', 'laufend', 'Kursgebühren', { '2027': 350_000, '2028': 400_000, '2031': 99_999 }),
      ]),
      'doppisch',
    );

  it('starts with a BOM and writes one row per line with its amounts and line sum in German decimals', () => {
    const csv = fiveLines();
    expect(csv.startsWith('\uFEFFKostenart;einmalig/laufend;Produkt;Kostenstelle;Sachkonto;Beschreibung;2027 (EUR);2028 (EUR);Summe (EUR)\r\n')).toBe(true);
    const r = rows(csv);
    expect(r[1]).toEqual(['Personalkosten', 'laufend', '1.1.1', '4711', '501200', 'Laborleitung', '75.000,00', '77.250,00', '152.250,00']);
    expect(r[2]).toEqual(['Personalkosten', 'laufend', '', '', '', 'Community-Management', '30.000,50', '31.000,00', '61.000,50']);
    expect(r[4]).toEqual(['Investitionskosten', 'einmalig', '', '', '', 'Lasercutter', '24.999,99', '0,00', '24.999,99']);
    // an amount outside the budget years is not counted in the line sum
    expect(r[5]).toEqual(['Erträge/Einnahmen', 'laufend', '', '', '', 'Kursgebühren', '3.500,00', '4.000,00', '7.500,00']);
  });

  it('sums per cost type, costs, income and the net burden, per year and in all', () => {
    const byLabel = new Map(rows(fiveLines()).map((row) => [row[0], row.slice(6)]));
    expect(byLabel.get('Summe Personalkosten')).toEqual(['105.000,50', '108.250,00', '213.250,50']);
    expect(byLabel.get('Summe Sachkosten')).toEqual(['18.000,00', '18.000,00', '36.000,00']);
    expect(byLabel.get('Summe Investitionskosten')).toEqual(['24.999,99', '0,00', '24.999,99']);
    expect(byLabel.get('Summe Erträge/Einnahmen')).toEqual(['3.500,00', '4.000,00', '7.500,00']);
    expect(byLabel.get('Summe Kosten')).toEqual(['148.000,49', '126.250,00', '274.250,49']);
    expect(byLabel.get('Summe Erträge')).toEqual(['3.500,00', '4.000,00', '7.500,00']);
    expect(byLabel.get('Nettobelastung')).toEqual(['144.500,49', '122.250,00', '266.750,49']);
  });

  it('ends the lines with an empty row, then writes the sum rows in full: label, empty text columns, amounts', () => {
    const r = rows(fiveLines());
    // row 0 the heading, rows 1–5 the lines, then the empty row, the sums, and the empty rest after the last CRLF
    expect(r[6]).toEqual(['']);
    expect(r.slice(7)).toEqual([
      ['Summe Personalkosten', '', '', '', '', '', '105.000,50', '108.250,00', '213.250,50'],
      ['Summe Sachkosten', '', '', '', '', '', '18.000,00', '18.000,00', '36.000,00'],
      ['Summe Investitionskosten', '', '', '', '', '', '24.999,99', '0,00', '24.999,99'],
      ['Summe Erträge/Einnahmen', '', '', '', '', '', '3.500,00', '4.000,00', '7.500,00'],
      ['Summe Kosten', '', '', '', '', '', '148.000,49', '126.250,00', '274.250,49'],
      ['Summe Erträge', '', '', '', '', '', '3.500,00', '4.000,00', '7.500,00'],
      ['Nettobelastung', '', '', '', '', '', '144.500,49', '122.250,00', '266.750,49'],
      [''],
    ]);
  });

  it('writes zero sums for a budget without lines, one column per budget year', () => {
    const empty = { ...budget([]), firstYear: 2027, lastYear: 2029 };
    const r = rows(budgetCsv(empty, 'kameral'));
    expect(r[0]).toEqual(['Kostenart', 'einmalig/laufend', 'Haushaltsstelle', 'Beschreibung', '2027 (EUR)', '2028 (EUR)', '2029 (EUR)', 'Summe (EUR)']);
    expect(r[1]).toEqual(['']);
    expect(r[2]).toEqual(['Summe Personalkosten', '', '', '', '0,00', '0,00', '0,00', '0,00']);
    expect(r[8]).toEqual(['Nettobelastung', '', '', '', '0,00', '0,00', '0,00', '0,00']);
    expect(r).toHaveLength(10);
  });

  it('writes a negative amount stored before they were refused as it is, with a minus, instead of failing', () => {
    const csv = rows(budgetCsv(budget([line('a', 'sach', 'laufend', 'Gutschrift', { '2027': -25_000, '2028': 10_000 })]), 'doppisch'));
    expect(csv[1]).toEqual(['Sachkosten', 'laufend', '', '', '', 'Gutschrift', '-250,00', '100,00', '-150,00']);
  });

  it('writes the kameral account as one Haushaltsstelle column', () => {
    const kameral = rows(
      budgetCsv(budget([line('a', 'sach', 'einmalig', 'Beratung', { '2027': 100 }, { account: { ...account, haushaltsstelle: '1.0200.6550' } })]), 'kameral'),
    );
    expect(kameral[0]).toEqual(['Kostenart', 'einmalig/laufend', 'Haushaltsstelle', 'Beschreibung', '2027 (EUR)', '2028 (EUR)', 'Summe (EUR)']);
    expect(kameral[1]).toEqual(['Sachkosten', 'einmalig', '1.0200.6550', 'Beratung', '1,00', '0,00', '1,00']);
    expect(kameral[4]).toEqual(['Summe Sachkosten', '', '', '', '1,00', '0,00', '1,00']);
  });

  it('never writes a cell a spreadsheet would run as a formula, and quotes separators', () => {
    const starts = ['=', '+', '-', '@', '\t', '\r'];
    const lines = starts.map((start, i) =>
      line(`f${i}`, 'sach', 'einmalig', `${start}HYPERLINK("http://evil.example")`, {}, { account: { ...account, produkt: `${start}1+1` } }),
    );
    const written = budgetCsv(budget(lines), 'doppisch');
    for (const start of starts) {
      expect(written).not.toContain(`;${start}HYPERLINK`);
      expect(written).not.toContain(`;"${start}HYPERLINK`);
      expect(written).not.toContain(`;${start}1+1`);
    }
    expect(written.match(/'=HYPERLINK/g)).toHaveLength(1);
    const quoted = budgetCsv(budget([line('q', 'sach', 'einmalig', 'Miete; Nebenkosten "warm"', {})]), 'doppisch');
    expect(rows(quoted.replace('"Miete; Nebenkosten ""warm"""', 'QUOTED'))[1]).toContain('QUOTED');
  });

  it('leaves a minus, plus or at sign inside a text as it is: only a cell starting with one is guarded', () => {
    const inside = line('i', 'sach', 'laufend', 'E-Mail-Support + Wartung @ Rechenzentrum = Pauschale', {}, { account: { ...account, kostenstelle: '47-11' } });
    expect(rows(budgetCsv(budget([inside]), 'doppisch'))[1]!.slice(2, 6)).toEqual(['', '47-11', '', 'E-Mail-Support + Wartung @ Rechenzentrum = Pauschale']);
  });

  it('ends every row with CRLF, as spreadsheets on Windows expect, and has the BOM once at the very start', () => {
    const csv = fiveLines();
    expect(csv.endsWith('Nettobelastung;;;;;;144.500,49;122.250,00;266.750,49\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(csv.split('\uFEFF')).toHaveLength(2);
  });
});
