/** The edges of German amount input and output, beside budget.test.ts. */
import { describe, expect, it } from 'vitest';
import { amountErrors, formatAccount, formatCents, isValidAmount, negativeAmounts, parseAmount } from '../../dossier/budget';
import { MAX_CENTS, type BudgetLine } from '../../dossier/content';

describe('German amount input', () => {
  it.each([
    ['12€', 1_200],
    ['12,50€', 1_250],
    ['EUR 5', 500],
    ['eur 5', 500],
    ['5 Eur', 500],
    ['€5', 500],
    ['  7,5  €  ', 750],
  ])('takes %s with or without space around the currency', (input, cents) => {
    expect(parseAmount(input)).toEqual({ ok: true, cents });
  });

  it('reads a negative zero as zero', () => {
    const parsed = parseAmount('-0,00');
    expect(parsed).toEqual({ ok: true, cents: 0 });
    expect(parsed.ok && Object.is(parsed.cents, 0)).toBe(true);
  });

  it('accepts the largest cell amount and refuses one cent more', () => {
    expect(parseAmount(formatCents(MAX_CENTS))).toEqual({ ok: true, cents: MAX_CENTS });
    expect(parseAmount(formatCents(MAX_CENTS + 1))).toEqual({ ok: false, error: 'Der Betrag ist zu groß.' });
    expect(parseAmount('9'.repeat(30))).toEqual({ ok: false, error: 'Der Betrag ist zu groß.' });
  });

  it('says first that an amount must not be negative, whatever else is wrong with its digits', () => {
    expect(parseAmount('-12,345')).toEqual({ ok: false, error: amountErrors.negative });
    expect(parseAmount('−12.50')).toEqual({ ok: false, error: amountErrors.negative });
    expect(parseAmount('-abc')).toEqual({ ok: false, error: amountErrors.general });
  });

  it.each([
    ['12.50', amountErrors.decimalPoint],
    ['12500.5', amountErrors.decimalPoint],
    ['12,345', amountErrors.tooManyDecimals],
    ['12.500,125', amountErrors.tooManyDecimals],
    ['12,500.00', amountErrors.englishFormat],
    ['1,000', amountErrors.tooManyDecimals],
    ['1,000,000', amountErrors.englishFormat],
    ['1.25.000', amountErrors.grouping],
    ['12.500.00', amountErrors.grouping],
    ['1.2345,00', amountErrors.grouping],
  ])('says what is wrong with %s', (input, error) => {
    expect(parseAmount(input)).toEqual({ ok: false, error });
  });

  it('takes thousands grouped by points, spaces or narrow spaces', () => {
    expect(parseAmount('1.250.000,00')).toEqual({ ok: true, cents: 125_000_000 });
    expect(parseAmount('1 250 000')).toEqual({ ok: true, cents: 125_000_000 });
    expect(parseAmount('1\u202F250,5')).toEqual({ ok: true, cents: 125_050 });
  });

  it.each(['12,345abc', 'ab12,345', '12.50 Cent', 'ca. 12.50', '1.2.3,456'])('gives the general message for %s, not a hint that does not fit', (input) => {
    expect(parseAmount(input)).toEqual({ ok: false, error: 'Kein gültiger Betrag. Beispiel: 12.500,00' });
  });
});

describe('amounts the budget stores', () => {
  it('are whole, non-negative cents up to the cell limit', () => {
    expect([0, 1, MAX_CENTS].every(isValidAmount)).toBe(true);
    expect([-1, MAX_CENTS + 1, 0.5, Number.NaN, '5', null].some(isValidAmount)).toBe(false);
  });

  it('finds the negative amounts stored before the rule, per line and year', () => {
    const lines: { id: string; amounts: Record<string, number> }[] = [
      { id: 'a', amounts: { '2027': 100, '2028': -5 } },
      { id: 'b', amounts: { '2027': 0 } },
      { id: 'c', amounts: { '2029': -1 } },
    ];
    expect(negativeAmounts(lines)).toEqual([
      { lineId: 'a', year: '2028', cents: -5 },
      { lineId: 'c', year: '2029', cents: -1 },
    ]);
  });
});

describe('German amount output', () => {
  it('writes zero without a sign', () => {
    expect(formatCents(0)).toBe('0,00');
    expect(formatCents(-1)).toBe('-0,01');
  });

  it('names the value it cannot format', () => {
    expect(() => formatCents(0.5)).toThrow('not an integer amount of cents: 0.5');
  });
});

describe('budget accounts', () => {
  const line = (account: BudgetLine['account']): BudgetLine => ({ id: 'l', costType: 'sach', recurrence: 'laufend', description: '', account, amounts: {} });

  it('joins Produkt, Kostenstelle and Sachkonto in doppische Haushalte, skipping empty parts', () => {
    expect(formatAccount(line({ produkt: '1.1.1', kostenstelle: '4711', sachkonto: '5231', haushaltsstelle: '0.1234' }), 'doppisch')).toBe(
      '1.1.1 / 4711 / 5231',
    );
    expect(formatAccount(line({ produkt: '1.1.1', kostenstelle: '', sachkonto: '5231', haushaltsstelle: '' }), 'doppisch')).toBe('1.1.1 / 5231');
  });

  it('shows the Haushaltsstelle in kameralen Haushalten', () => {
    expect(formatAccount(line({ produkt: '1.1.1', kostenstelle: '4711', sachkonto: '5231', haushaltsstelle: '0.1234.5678' }), 'kameral')).toBe('0.1234.5678');
  });
});
