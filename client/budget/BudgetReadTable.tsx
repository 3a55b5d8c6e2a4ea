/** The budget table for those who may only read it: lines with their amounts per year, and the computed totals. */
import { amountErrors, budgetTotals, formatAccount, isValidAmount } from '../../dossier/budget';
import type { BudgetContent } from '../../dossier/content';
import type { Template } from '../../dossier/template';
import { useI18n } from '../i18n/i18n';
import { TotalsRows, YearHeads, amountText } from './TotalsRows';

export function BudgetReadTable({ content, scheme }: { content: BudgetContent; scheme: Template['budgetScheme'] }) {
  const { t } = useI18n();
  const totals = budgetTotals(content);
  const { years } = totals;
  // an empty budget has nothing to add up: a line saying so, not nine rows of dashes
  if (content.lines.length === 0) return <p className="muted budget-read__empty">{t('budget.noLines')}</p>;
  return (
    <div className="table-scroll" role="region" aria-label={t('budget.caption')} tabIndex={0}>
      <table className="data-table budget-table">
        <caption className="visually-hidden">{t('budget.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('budget.description')}</th>
            <YearHeads years={years} />
          </tr>
        </thead>
        <tbody>
          {content.lines.length === 0 && (
            <tr>
              <td colSpan={years.length + 2} className="muted">
                {t('budget.noLines')}
              </td>
            </tr>
          )}
          {content.lines.map((line) => {
            const sum = years.reduce((total, year) => total + (line.amounts[String(year)] ?? 0), 0);
            return (
              <tr key={line.id}>
                <th scope="row">
                  {line.description}
                  <span className="budget-table__meta">
                    {t(`budget.costType.${line.costType}`)} · {t(`budget.recurrence.${line.recurrence}`)}
                  </span>
                  <span className="budget-table__meta">
                    <span className="visually-hidden">{t('budget.account')}: </span>
                    {formatAccount(line, scheme)}
                  </span>
                </th>
                {years.map((year) => {
                  const cents = line.amounts[String(year)];
                  // a negative amount stored before the rule: marked, with the reason
                  const invalid = cents !== undefined && !isValidAmount(cents);
                  return (
                    <td key={year} className={invalid ? 'num budget-table__invalid' : 'num'} title={invalid ? amountErrors.negative : undefined}>
                      {amountText(cents)}
                    </td>
                  );
                })}
                <td className="num">{amountText(sum)}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <TotalsRows totals={totals} labelSpan={1} trailingSpan={0} />
        </tfoot>
      </table>
    </div>
  );
}
