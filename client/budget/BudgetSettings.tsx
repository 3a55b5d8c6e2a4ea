/**
 * The budget section's settings for the finance office: which years the
 * table covers, how the costs are covered, and the note on follow-up costs.
 * Each control writes its own key of the section's `settings` map.
 */
import { useId, useState } from 'react';
import { coverageKinds } from '../../dossier/content';
import { budgetRoots, readBudgetYears, setBudgetSetting, setBudgetYears } from '../../dossier/layout';
import { useYObserve } from '../collab/hooks';
import type { SectionConnection } from '../collab/session';
import { useI18n } from '../i18n/i18n';

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const MAX_YEAR_COUNT = 10;

/** First year and number of years; the first year is committed on blur or Enter, checked against the schema's range. */
export function BudgetYears({ connection }: { connection: SectionConnection }) {
  const { t } = useI18n();
  const { settings } = budgetRoots(connection.doc);
  useYObserve(settings);
  const id = useId();
  const { firstYear, lastYear } = readBudgetYears(settings);
  const count = lastYear - firstYear + 1;
  const [draft, setDraft] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);

  const setYears = (first: number, yearCount: number) => setBudgetYears(connection.doc, first, Math.min(MAX_YEAR, first + yearCount - 1));

  const commit = () => {
    if (draft === null) return;
    const year = /^\d{4}$/.test(draft.trim()) ? Number(draft.trim()) : NaN;
    if (!(year >= MIN_YEAR && year <= MAX_YEAR)) {
      setInvalid(true);
      return;
    }
    if (year !== firstYear) setYears(year, count);
    setDraft(null);
    setInvalid(false);
  };

  const counts = Array.from({ length: Math.min(MAX_YEAR_COUNT, MAX_YEAR - firstYear + 1) }, (_, i) => i + 1);
  if (!counts.includes(count)) counts.push(count);

  return (
    <fieldset className="budget-years">
      <legend>{t('budget.years')}</legend>
      <div className="field field--inline">
        <label htmlFor={`${id}-first`}>{t('budget.firstYear')}</label>
        <input
          id={`${id}-first`}
          className="budget-years__first"
          inputMode="numeric"
          autoComplete="off"
          value={draft ?? String(firstYear)}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${id}-error` : undefined}
          onChange={(event) => setDraft(event.target.value)}
          onBlur={commit}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commit();
            if (event.key === 'Escape') {
              setDraft(null);
              setInvalid(false);
            }
          }}
        />
      </div>
      <div className="field field--inline">
        <label htmlFor={`${id}-count`}>{t('budget.yearCount')}</label>
        <select id={`${id}-count`} value={count} onChange={(event) => setYears(firstYear, Number(event.target.value))}>
          {counts.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      <span className="budget-years__range">{t('budget.yearRange', { first: firstYear, last: lastYear })}</span>
      {invalid && (
        <p id={`${id}-error`} className="field__error" role="alert">
          {t('budget.yearInvalid')}
        </p>
      )}
    </fieldset>
  );
}

/** Coverage statement and follow-up costs, written as they are typed (like the other sections' fields). */
export function BudgetCoverage({ connection }: { connection: SectionConnection }) {
  const { t } = useI18n();
  const { settings } = budgetRoots(connection.doc);
  useYObserve(settings);
  const id = useId();
  const kind = settings.get('coverageKind');
  const text = (key: string) => {
    const value = settings.get(key);
    return typeof value === 'string' ? value : '';
  };
  return (
    <div className="budget-coverage">
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('budget.coverage')}</label>
        <select
          id={`${id}-kind`}
          value={coverageKinds.includes(kind as never) ? (kind as string) : ''}
          onChange={(event) => setBudgetSetting(connection.doc, 'coverageKind', coverageKinds.find((value) => value === event.target.value) ?? null)}
        >
          <option value="">{t('budget.coverageNone')}</option>
          {coverageKinds.map((value) => (
            <option key={value} value={value}>
              {t(`budget.coverage.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>{t('budget.coverageText')}</label>
        <textarea
          id={`${id}-text`}
          rows={2}
          value={text('coverageText')}
          onChange={(event) => setBudgetSetting(connection.doc, 'coverageText', event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-follow`}>{t('budget.followUp')}</label>
        <textarea
          id={`${id}-follow`}
          rows={2}
          value={text('followUpCosts')}
          onChange={(event) => setBudgetSetting(connection.doc, 'followUpCosts', event.target.value)}
        />
      </div>
    </div>
  );
}
