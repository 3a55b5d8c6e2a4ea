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
  const csv = budgetCsv(
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
    expect(csv.startsWith('\uFEFFKostenart;einmalig/laufend;Produkt;Kostenstelle;Sachkonto;Beschreibung;2027 (EUR);2028 (EUR);Summe (EUR)\r\n')).toBe(true);
    const r = rows(csv);
    expect(r[1]).toEqual(['Personalkosten', 'laufend', '1.1.1', '4711', '501200', 'Laborleitung', '75.000,00', '77.250,00', '152.250,00']);
    expect(r[2]).toEqual(['Personalkosten', 'laufend', '', '', '', 'Community-Management', '30.000,50', '31.000,00', '61.000,50']);
    expect(r[4]).toEqual(['Investitionskosten', 'einmalig', '', '', '', 'Lasercutter', '24.999,99', '0,00', '24.999,99']);
    // an amount outside the budget years is not counted in the line sum
    expect(r[5]).toEqual(['Erträge/Einnahmen', 'laufend', '', '', '', 'Kursgebühren', '3.500,00', '4.000,00', '7.500,00']);
  });

  it('sums per cost type, costs, income and the net burden, per year and in all', () => {
    const byLabel = new Map(rows(csv).map((row) => [row[0], row.slice(6)]));
    expect(byLabel.get('Summe Personalkosten')).toEqual(['105.000,50', '108.250,00', '213.250,50']);
    expect(byLabel.get('Summe Sachkosten')).toEqual(['18.000,00', '18.000,00', '36.000,00']);
    expect(byLabel.get('Summe Investitionskosten')).toEqual(['24.999,99', '0,00', '24.999,99']);
    expect(byLabel.get('Summe Erträge/Einnahmen')).toEqual(['3.500,00', '4.000,00', '7.500,00']);
    expect(byLabel.get('Summe Kosten')).toEqual(['148.000,49', '126.250,00', '274.250,49']);
    expect(byLabel.get('Summe Erträge')).toEqual(['3.500,00', '4.000,00', '7.500,00']);
    expect(byLabel.get('Nettobelastung')).toEqual(['144.500,49', '122.250,00', '266.750,49']);
  });

  it('writes a negative amount stored before they were refused as it is, with a minus, instead of failing', () => {
    const csv = rows(budgetCsv(budget([line('a', 'sach', 'laufend', 'Gutschrift', { '2027': -25_000, '2028': 10_000 })]), 'doppisch'));
    expect(csv[1]).toEqual(['Sachkosten', 'laufend', '', '', '', 'Gutschrift', '-250,00', '100,00', '-150,00']);
  });

  it('writes the kameral account as one Haushaltsstelle column', () => {
    const kameral = rows(
      budgetCsv(budget([line('a', 'sach', 'einmalig', 'Beratung', { '2027': 100 }, { account: { ...account, haushaltsstelle: '1.0200.6550' } })]), 'kameral'),
    );
    expect(kameral[0]!.slice(0, 4)).toEqual(['Kostenart', 'einmalig/laufend', 'Haushaltsstelle', 'Beschreibung']);
    expect(kameral[1]).toEqual(['Sachkosten', 'einmalig', '1.0200.6550', 'Beratung', '1,00', '0,00', '1,00']);
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
});
