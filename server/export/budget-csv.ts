/**
 * The budget lines as CSV for spreadsheet work in the finance office:
 * semicolon-separated, German decimals, UTF-8 with BOM so Excel opens it
 * with umlauts intact. A pure function of the stored section content.
 */
import { budgetTotals, budgetYears, costTypeLabels, formatCents, recurrenceLabels } from '../../dossier/budget';
import { costTypes, type BudgetContent } from '../../dossier/content';

const BOM = '\uFEFF';

/** Quotes a field when needed; text a spreadsheet would run as a formula gets a leading apostrophe. */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function budgetCsv(content: BudgetContent, scheme: 'doppisch' | 'kameral'): string {
  const years = budgetYears(content).map(String);
  const accountHeads = scheme === 'doppisch' ? ['Produkt', 'Kostenstelle', 'Sachkonto'] : ['Haushaltsstelle'];
  const accountOf = (line: BudgetContent['lines'][number]) =>
    scheme === 'doppisch' ? [line.account.produkt, line.account.kostenstelle, line.account.sachkonto] : [line.account.haushaltsstelle];
  const empty = accountHeads.map(() => '');
  const totals = budgetTotals(content);
  const amountCells = (perYear: Record<string, number>, total: number) => [...years.map((y) => formatCents(perYear[y] ?? 0)), formatCents(total)];

  const rows: string[][] = [['Kostenart', 'einmalig/laufend', ...accountHeads, 'Beschreibung', ...years.map((y) => `${y} (EUR)`), 'Summe (EUR)']];
  for (const line of content.lines) {
    const inRange = years.reduce((sum, y) => sum + (line.amounts[y] ?? 0), 0);
    rows.push([
      costTypeLabels[line.costType],
      recurrenceLabels[line.recurrence],
      ...accountOf(line).map(field),
      field(line.description),
      ...amountCells(Object.fromEntries(years.map((y) => [y, line.amounts[y] ?? 0])), inRange),
    ]);
  }
  rows.push([]);
  for (const type of costTypes)
    rows.push([`Summe ${costTypeLabels[type]}`, '', ...empty, '', ...amountCells(totals.byType[type].perYear, totals.byType[type].total)]);
  rows.push(['Summe Kosten', '', ...empty, '', ...amountCells(totals.costs.perYear, totals.costs.total)]);
  rows.push(['Summe Erträge', '', ...empty, '', ...amountCells(totals.income.perYear, totals.income.total)]);
  rows.push(['Nettobelastung', '', ...empty, '', ...amountCells(totals.net.perYear, totals.net.total)]);
  return `${BOM + rows.map((row) => row.join(';')).join('\r\n')}\r\n`;
}
