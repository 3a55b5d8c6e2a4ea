/**
 * Finanzielle Auswirkungen as printed in a Vorlage: the budget lines grouped
 * by cost type with a subtotal row per type, then the totals per year (costs,
 * one-off and recurring, income, net burden), then coverage, follow-up costs
 * and the statement of the finance office. Totals come from dossier/budget.ts,
 * the same arithmetic the editor shows; nothing is summed here.
 */
import { budgetTotals, costTypeLabels, coverageLabels, formatAccount, formatCents, recurrenceLabels, type YearAmounts } from '../../dossier/budget';
import { costTypes, coverageKinds, type BudgetContent } from '../../dossier/content';
import type { Template } from '../../dossier/template';
import type { Content, ContentTable, ContentText, TableCell } from './pdfmake-types';
import { checkboxList, labelled, placeholder } from './blocks';
import { richText, type BlockContext } from './rich-text';
import { gridLayout, HEADER_FILL, MUTED_COLOR, TOTAL_FILL } from './styles';

export function budgetBlock(content: BudgetContent, template: Template, context: BlockContext): Content[] {
  const statement = richText(content.statement, context);
  return [
    content.lines.length ? budgetTable(content, template.budgetScheme) : placeholder('Keine Haushaltspositionen erfasst.'),
    { text: 'Deckung', style: 'subsectionHeading', headlineLevel: 3 },
    checkboxList(coverageKinds.map((kind) => ({ label: coverageLabels[kind], checked: content.coverage.kind === kind }))),
    ...(content.coverage.text.trim() ? [{ text: content.coverage.text, alignment: 'justify' as const, style: 'paragraph' }] : []),
    ...labelled('Folgekosten', content.followUpCosts.trim() ? [{ text: content.followUpCosts, alignment: 'justify' as const }] : [placeholder('keine Angabe')]),
    ...labelled('Stellungnahme der Kämmerei', statement.length ? statement : [placeholder('noch keine Stellungnahme')]),
  ];
}

export function budgetTable(content: BudgetContent, scheme: Template['budgetScheme']): ContentTable {
  const totals = budgetTotals(content);
  const yearKeys = totals.years.map(String);
  const columns = 1 + yearKeys.length + 1;
  const amount = (cents: number | undefined, bold = false): ContentText =>
    cents === undefined ? { text: '–', alignment: 'right', color: MUTED_COLOR } : { text: formatCents(cents), alignment: 'right', noWrap: true, bold };
  const sumRow = (label: string, amounts: YearAmounts, fill = TOTAL_FILL): TableCell[] => [
    { text: label, bold: true, fillColor: fill },
    ...yearKeys.map((year) => ({ ...amount(amounts.perYear[year], true), fillColor: fill })),
    { ...amount(amounts.total, true), fillColor: fill },
  ];

  const header: TableCell[] = [
    { text: 'Position (Art, Konto)', style: 'tableHeader', fillColor: HEADER_FILL },
    ...yearKeys.map((year): TableCell => ({ text: year, style: 'tableHeader', alignment: 'right', fillColor: HEADER_FILL })),
    { text: 'Summe', style: 'tableHeader', alignment: 'right', fillColor: HEADER_FILL },
  ];
  const body: TableCell[][] = [header];
  for (const type of costTypes) {
    const lines = content.lines.filter((line) => line.costType === type);
    if (lines.length === 0) continue;
    body.push([{ text: costTypeLabels[type], colSpan: columns, bold: true, italics: true }, ...Array.from({ length: columns - 1 }, () => ({}))]);
    for (const line of lines) {
      const lineTotal = yearKeys.reduce((sum, year) => sum + (line.amounts[year] ?? 0), 0);
      const details = [recurrenceLabels[line.recurrence], formatAccount(line, scheme)].filter(Boolean).join(' · ');
      body.push([
        { stack: [line.description || '(ohne Bezeichnung)', { text: details, fontSize: 7.5, color: MUTED_COLOR }] },
        ...yearKeys.map((year) => amount(line.amounts[year])),
        amount(lineTotal),
      ]);
    }
    body.push(sumRow(`Summe ${costTypeLabels[type]}`, totals.byType[type]));
  }
  body.push(
    sumRow('Summe Kosten', totals.costs, HEADER_FILL),
    sumRow('davon einmalig', totals.oneOff),
    sumRow('davon laufend', totals.recurring),
    sumRow('abzüglich Erträge/Einnahmen', totals.income),
    sumRow('Nettobelastung des Haushalts', totals.net, HEADER_FILL),
  );
  return {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: ['*', ...yearKeys.map(() => 52), 58],
      body,
    },
    layout: gridLayout,
    style: 'dataTable',
    fontSize: 8.5,
  };
}
