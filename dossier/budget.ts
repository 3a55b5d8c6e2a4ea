/**
 * Budget arithmetic for the Finanzielle Auswirkungen section.
 *
 * Amounts are integer euro cents throughout; nothing here touches floating
 * point, so there is nothing to round: input with more than two decimals is
 * refused rather than rounded, and sums of at most MAX_CENTS-sized cells stay
 * exact safe integers. Every amount is entered as a non-negative number, costs
 * and income alike: the cost type says which way it counts, so income
 * (Erträge) is subtracted when the net burden is computed, and a credit is an
 * Erträge line, never a negative cost. The server refuses negative amounts
 * (server/collab/update-validation.ts); ones stored before that rule are
 * shown as invalid (`negativeAmounts`) and block the release.
 */
import { MAX_CENTS, costTypes, type BudgetContent, type BudgetLine, type CostType } from './content';

export const costTypeLabels: Record<CostType, string> = {
  personal: 'Personalkosten',
  sach: 'Sachkosten',
  investition: 'Investitionskosten',
  ertrag: 'Erträge/Einnahmen',
};

export const recurrenceLabels = { einmalig: 'einmalig', laufend: 'laufend' } as const;

export const coverageLabels = {
  vorhanden: 'Mittel sind im Haushalt vorhanden',
  ueberplanmaessig: 'überplanmäßige Ausgabe',
  ausserplanmaessig: 'außerplanmäßige Ausgabe',
  deckungsvorschlag: 'Deckungsvorschlag',
} as const;

export type ParsedAmount = { ok: true; cents: number } | { ok: false; error: string };

/** Whether a stored amount is one the budget takes: whole cents, not negative, at most MAX_CENTS. */
export const isValidAmount = (cents: unknown): cents is number => typeof cents === 'number' && Number.isSafeInteger(cents) && cents >= 0 && cents <= MAX_CENTS;

export const amountErrors = {
  empty: 'Bitte einen Betrag eingeben.',
  negative: 'Beträge sind nie negativ. Einnahmen und Gutschriften als eigene Zeile mit der Kostenart „Erträge/Einnahmen“ eintragen.',
  englishFormat: 'Bitte deutsches Zahlenformat: 12.500,00 (Punkt vor den Tausendern, Komma vor den Cent).',
  tooManyDecimals: 'Höchstens zwei Nachkommastellen (Cent).',
  decimalPoint: 'Das Dezimaltrennzeichen ist das Komma, z. B. 12,50.',
  grouping: 'Tausenderpunkte stehen vor jeweils drei Ziffern, z. B. 1.250.000,00.',
  tooLarge: 'Der Betrag ist zu groß.',
  general: 'Kein gültiger Betrag. Beispiel: 12.500,00',
} as const;

const AMOUNT = /^(\d{1,3}(?:[. \u00A0\u202F]\d{3})+|\d+)(?:,(\d{1,2}))?$/u;
/** 12,500.00 or 1,250,000: commas between groups of three, a point before the cents. */
const ENGLISH = /^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$/u;

/**
 * Parses an amount typed the German way: `12.500,00`, `12500`, `12.500 €`.
 * A point is a thousands separator only; the decimal separator is the comma.
 * Refusals say what is wrong, in words a Sachbearbeiterin can act on.
 */
export function parseAmount(input: string): ParsedAmount {
  let text = input
    .trim()
    .replace(/\s*(?:€|EUR)$/iu, '')
    .replace(/^(?:€|EUR)\s*/iu, '')
    .trim();
  if (text === '') return { ok: false, error: amountErrors.empty };
  const negative = /^[-−]/u.test(text);
  if (negative) text = text.slice(1).trim();
  const match = AMOUNT.exec(text);
  if (!match) return { ok: false, error: negative && /^[\d.,]+$/u.test(text) ? amountErrors.negative : refusal(text) };
  const [, integerPart = '', fraction = ''] = match;
  const euros = Number(integerPart.replace(/[. \u00A0\u202F]/gu, ''));
  const cents = euros * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents) || cents > MAX_CENTS) return { ok: false, error: amountErrors.tooLarge };
  // "-0,00" is zero, not a negative amount
  if (negative && cents !== 0) return { ok: false, error: amountErrors.negative };
  return { ok: true, cents };
}

/** Why a text (sign and currency removed) is no German amount. */
function refusal(text: string): string {
  if (/^\d+\.\d{1,2}$/u.test(text)) return amountErrors.decimalPoint;
  if (/^(?:\d+|\d{1,3}(?:\.\d{3})+),\d{3,}$/u.test(text)) return amountErrors.tooManyDecimals;
  if (ENGLISH.test(text)) return amountErrors.englishFormat;
  if (/^\d+(?:\.\d+)+(?:,\d{1,2})?$/u.test(text)) return amountErrors.grouping;
  return amountErrors.general;
}

/** Amounts stored before negative ones were refused: each line and year holding one. */
export function negativeAmounts(lines: readonly Pick<BudgetLine, 'id' | 'amounts'>[]): { lineId: string; year: string; cents: number }[] {
  return lines.flatMap((line) =>
    Object.entries(line.amounts)
      .filter(([, cents]) => cents < 0)
      .map(([year, cents]) => ({ lineId: line.id, year, cents })),
  );
}

/** Formats cents de-DE: `1250000` → `12.500,00` (with ` €` when `currency`). Integer arithmetic only. */
export function formatCents(cents: number, options: { currency?: boolean } = {}): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not an integer amount of cents: ${cents}`);
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100).toString();
  const rest = (abs % 100).toString().padStart(2, '0');
  const grouped = euros.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const text = `${negative ? '-' : ''}${grouped},${rest}`;
  return options.currency ? `${text}\u00A0€` : text;
}

export function budgetYears(content: Pick<BudgetContent, 'firstYear' | 'lastYear'>): number[] {
  const years: number[] = [];
  for (let y = content.firstYear; y <= content.lastYear; y += 1) years.push(y);
  return years;
}

/** Per-year amounts plus their sum over all years. */
export interface YearAmounts {
  perYear: Record<string, number>;
  total: number;
}

export interface BudgetTotals {
  years: number[];
  byType: Record<CostType, YearAmounts>;
  /** Costs split by one-off and recurring (income not included). */
  oneOff: YearAmounts;
  recurring: YearAmounts;
  /** All costs (Personal-, Sach-, Investitionskosten). */
  costs: YearAmounts;
  income: YearAmounts;
  /** Net burden on the budget: costs minus income. */
  net: YearAmounts;
}

const emptyYearAmounts = (years: number[]): YearAmounts => ({
  perYear: Object.fromEntries(years.map((y) => [String(y), 0])),
  total: 0,
});

function add(target: YearAmounts, year: string, cents: number): void {
  target.perYear[year] = (target.perYear[year] ?? 0) + cents;
  target.total += cents;
}

/** Totals over the section's years; amounts outside the year range are not counted. */
export function budgetTotals(content: Pick<BudgetContent, 'firstYear' | 'lastYear' | 'lines'>): BudgetTotals {
  const years = budgetYears(content);
  const totals: BudgetTotals = {
    years,
    byType: Object.fromEntries(costTypes.map((type) => [type, emptyYearAmounts(years)])) as Record<CostType, YearAmounts>,
    oneOff: emptyYearAmounts(years),
    recurring: emptyYearAmounts(years),
    costs: emptyYearAmounts(years),
    income: emptyYearAmounts(years),
    net: emptyYearAmounts(years),
  };
  for (const line of content.lines) {
    for (const y of years) {
      const year = String(y);
      const cents = line.amounts[year];
      if (cents === undefined) continue;
      add(totals.byType[line.costType], year, cents);
      if (line.costType === 'ertrag') {
        add(totals.income, year, cents);
        add(totals.net, year, -cents);
      } else {
        add(totals.costs, year, cents);
        add(line.recurrence === 'einmalig' ? totals.oneOff : totals.recurring, year, cents);
        add(totals.net, year, cents);
      }
    }
  }
  return totals;
}

/** The account of a line as one string, in the city's scheme. */
export function formatAccount(line: BudgetLine, scheme: 'doppisch' | 'kameral'): string {
  if (scheme === 'kameral') return line.account.haushaltsstelle;
  return [line.account.produkt, line.account.kostenstelle, line.account.sachkonto].filter(Boolean).join(' / ');
}
