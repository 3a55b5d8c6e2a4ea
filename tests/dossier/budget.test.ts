import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetTotals, formatCents, parseAmount } from '../../dossier/budget';
import { costTypes, recurrences, MAX_CENTS, type BudgetLine } from '../../dossier/content';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';
import type { BudgetContent } from '../../dossier/content';

describe('German amounts', () => {
  it.each([
    ['12.500,00', 1_250_000],
    ['12500', 1_250_000],
    ['12.500 €', 1_250_000],
    ['12.500,5', 1_250_050],
    ['€ 3,07', 307],
    ['0', 0],
    ['1.234.567,89', 123_456_789],
  ])('parses %s', (input, cents) => {
    expect(parseAmount(input)).toEqual({ ok: true, cents });
  });

  it.each([
    ['', 'Bitte einen Betrag eingeben.'],
    ['12,345', 'Höchstens zwei Nachkommastellen (Cent).'],
    ['12.50', 'Das Dezimaltrennzeichen ist das Komma, z. B. 12,50.'],
    ['zwölf', 'Kein gültiger Betrag. Beispiel: 12.500,00'],
    ['1.2345', 'Tausenderpunkte stehen vor jeweils drei Ziffern, z. B. 1.250.000,00.'],
    ['99999999999999', 'Der Betrag ist zu groß.'],
  ])('refuses %s with a message', (input, error) => {
    expect(parseAmount(input)).toEqual({ ok: false, error });
  });

  it.each(['12,500.00', '1,250,000', '1,250,000.5', '12,500.00 €'])('says that %s is written the English way', (input) => {
    expect(parseAmount(input)).toEqual({ ok: false, error: 'Bitte deutsches Zahlenformat: 12.500,00 (Punkt vor den Tausendern, Komma vor den Cent).' });
  });

  it.each(['-1.000,00 EUR', '−250,5', '- 3', '-12,345', '-12.50', '-99999999999999'])('refuses the negative amount %s: credits are Erträge lines', (input) => {
    const parsed = parseAmount(input);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(
      /^(Beträge sind nie negativ\. Einnahmen und Gutschriften als eigene Zeile mit der Kostenart „Erträge\/Einnahmen“ eintragen\.|Der Betrag ist zu groß\.)$/,
    );
  });

  it('formats de-DE with integer arithmetic', () => {
    expect(formatCents(1_250_000)).toBe('12.500,00');
    expect(formatCents(-5)).toBe('-0,05');
    expect(formatCents(123_456_789, { currency: true })).toBe('1.234.567,89\u00A0€');
    expect(() => formatCents(1.5)).toThrow(RangeError);
  });

  it('round-trips every amount through formatting and parsing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_CENTS }), fc.boolean(), (cents, currency) => {
        expect(parseAmount(formatCents(cents, { currency }))).toEqual({ ok: true, cents });
      }),
    );
  });
});

const line = fc.record({
  id: fc.string({ minLength: 1, maxLength: 8 }),
  costType: fc.constantFrom(...costTypes),
  recurrence: fc.constantFrom(...recurrences),
  description: fc.string(),
  account: fc.constant({ produkt: '', kostenstelle: '', sachkonto: '', haushaltsstelle: '' }),
  amounts: fc.dictionary(fc.constantFrom('2025', '2026', '2027', '2028', '2031'), fc.integer({ min: 0, max: 1_000_000_000 })),
}) as fc.Arbitrary<BudgetLine>;

describe('budget totals', () => {
  it('computes the demo totals: net burden 2027 = 164.300 €', () => {
    const totals = budgetTotals(demoContents.finanzen as BudgetContent);
    expect(totals.years).toEqual([2027, 2028, 2029]);
    expect(totals.costs.perYear).toEqual({ '2027': 19_030_000, '2028': 16_966_000, '2029': 17_420_000 });
    expect(totals.income.perYear['2027']).toBe(2_600_000);
    expect(totals.net.perYear).toEqual({ '2027': 16_430_000, '2028': 14_216_000, '2029': 14_620_000 });
    expect(totals.oneOff.total).toBe(2_400_000);
    expect(totals.byType.personal.perYear['2029']).toBe(11_862_000);
  });

  it('equals the sum of the lines within the year range, for random lines', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const totals = budgetTotals({ firstYear: 2026, lastYear: 2028, lines });
        for (const year of ['2026', '2027', '2028']) {
          const sum = (filter: (l: BudgetLine) => boolean) => lines.filter(filter).reduce((s, l) => s + (l.amounts[year] ?? 0), 0);
          const costs = sum((l) => l.costType !== 'ertrag');
          const income = sum((l) => l.costType === 'ertrag');
          expect(totals.costs.perYear[year]).toBe(costs);
          expect(totals.income.perYear[year]).toBe(income);
          expect(totals.net.perYear[year]).toBe(costs - income);
          expect(totals.oneOff.perYear[year]! + totals.recurring.perYear[year]!).toBe(costs);
          for (const type of costTypes) expect(totals.byType[type].perYear[year]).toBe(sum((l) => l.costType === type));
        }
        expect(totals.net.total).toBe(Object.values(totals.net.perYear).reduce((a, b) => a + b, 0));
        expect(Object.keys(totals.net.perYear)).toEqual(['2026', '2027', '2028']);
      }),
    );
  });
});
