/** The computed rows under a budget table: per cost type, all costs, one-off and recurring, income, net burden. */
import type { BudgetTotals, YearAmounts } from '../../dossier/budget';
import { formatCents } from '../../dossier/budget';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

/** The column heads both budget tables share: one per budget year, then the sum. */
export function YearHeads({ years }: { years: readonly number[] }) {
  const { t } = useI18n();
  return (
    <>
      {years.map((year) => (
        <th scope="col" key={year} className="num">
          {year}
        </th>
      ))}
      <th scope="col" className="num">
        {t('budget.sum')}
      </th>
    </>
  );
}

/** A table cell's amount: a dash for nothing. */
export const amountText = (cents: number | undefined) => (cents === undefined || cents === 0 ? '–' : formatCents(cents));

type TotalId = 'personal' | 'sach' | 'investition' | 'costs' | 'oneOff' | 'recurring' | 'income' | 'net';

const rows: { id: TotalId; label: MessageKey; kind: 'type' | 'sum' | 'sub' | 'net'; pick: (totals: BudgetTotals) => YearAmounts }[] = [
  { id: 'personal', label: 'budget.costType.personal', kind: 'type', pick: (t) => t.byType.personal },
  { id: 'sach', label: 'budget.costType.sach', kind: 'type', pick: (t) => t.byType.sach },
  { id: 'investition', label: 'budget.costType.investition', kind: 'type', pick: (t) => t.byType.investition },
  { id: 'costs', label: 'budget.costs', kind: 'sum', pick: (t) => t.costs },
  { id: 'oneOff', label: 'budget.oneOff', kind: 'sub', pick: (t) => t.oneOff },
  { id: 'recurring', label: 'budget.recurring', kind: 'sub', pick: (t) => t.recurring },
  { id: 'income', label: 'budget.income', kind: 'type', pick: (t) => t.income },
  { id: 'net', label: 'budget.net', kind: 'net', pick: (t) => t.net },
];

/**
 * `labelSpan` columns hold the row's name, then one column per year and the
 * sum; `trailingSpan` columns after them stay empty. Each amount cell carries
 * its cents in `data-cents`.
 */
export function TotalsRows({ totals, labelSpan, trailingSpan }: { totals: BudgetTotals; labelSpan: number; trailingSpan: number }) {
  const { t } = useI18n();
  return (
    <>
      {rows.map(({ id, label, kind, pick }) => {
        const amounts = pick(totals);
        return (
          <tr key={id} className={`budget-total budget-total--${kind}`} data-total={id}>
            <th scope="row" colSpan={labelSpan}>
              {t(label)}
            </th>
            {totals.years.map((year) => {
              const cents = amounts.perYear[String(year)] ?? 0;
              return (
                <td key={year} className="num" data-year={year} data-cents={cents}>
                  {amountText(cents)}
                </td>
              );
            })}
            <td className="num budget-sum" data-year="sum" data-cents={amounts.total}>
              {amountText(amounts.total)}
            </td>
            {trailingSpan > 0 && <td colSpan={trailingSpan} aria-hidden="true" />}
          </tr>
        );
      })}
    </>
  );
}
