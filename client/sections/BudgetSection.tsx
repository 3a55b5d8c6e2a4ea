/**
 * Finanzielle Auswirkungen. Who may write the section (the finance office;
 * the server decides) edits the budget table live as a spreadsheet, the years,
 * the coverage and follow-up costs; everyone else reads the table with its
 * computed totals. The finance office's statement is rich text for both.
 */
import type { BudgetContent } from '../../dossier/content';
import type { Template } from '../../dossier/template';
import { BudgetEditor } from '../budget/BudgetEditor';
import { BudgetReadTable } from '../budget/BudgetReadTable';
import { BudgetCoverage, BudgetYears } from '../budget/BudgetSettings';
import type { SectionConnection } from '../collab/session';
import { useI18n } from '../i18n/i18n';
import type { Identity } from '../identity';
import { RichTextEditor } from './RichTextEditor';

export function BudgetSection({
  connection,
  content,
  scheme,
  identity,
  readOnly,
  subheading,
  onInvalidInputs,
}: {
  connection: SectionConnection;
  content: BudgetContent | undefined;
  scheme: Template['budgetScheme'];
  identity: Identity;
  readOnly: boolean;
  /** One level below the section's heading, which is h2 or h3 by the template's grouping. */
  subheading: 'h3' | 'h4';
  /** How many cells hold an input that was refused and is not written (for the page's save status and leave warning). */
  onInvalidInputs: (count: number) => void;
}) {
  const Subheading = subheading;
  const { t } = useI18n();
  return (
    <div className="budget">
      {readOnly ? (
        content && (
          <>
            <BudgetReadTable content={content} scheme={scheme} />
            <dl className="facts">
              <div>
                <dt>{t('budget.coverage')}</dt>
                <dd>
                  {content.coverage.kind ? t(`budget.coverage.${content.coverage.kind}`) : <span className="muted">{t('budget.coverageNone')}</span>}
                  {content.coverage.text && <> – {content.coverage.text}</>}
                </dd>
              </div>
              {content.followUpCosts && (
                <div>
                  <dt>{t('budget.followUp')}</dt>
                  <dd>{content.followUpCosts}</dd>
                </div>
              )}
            </dl>
          </>
        )
      ) : (
        <>
          <BudgetYears connection={connection} />
          <BudgetEditor connection={connection} scheme={scheme} onInvalidInputs={onInvalidInputs} />
          <BudgetCoverage connection={connection} />
        </>
      )}
      <Subheading className="subheading">{t('budget.statement')}</Subheading>
      <RichTextEditor connection={connection} field="statement" label={t('budget.statement')} identity={identity} editable={!readOnly} />
    </div>
  );
}
