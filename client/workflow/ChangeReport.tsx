/**
 * The change report (Änderungsnachweis): what changed between two states of a
 * Vorlage, section by section, as `GET /api/dossiers/:id/compare` answers it.
 * Insertions are underlined and deletions struck through, so the marking does
 * not rest on colour; screen readers hear where each one starts and ends.
 * Unchanged sections take one line.
 */
import type { DiffPart, SectionComparison } from '../../dossier/compare';
import { useI18n } from '../i18n/i18n';

export interface ChangeReportProps {
  /** The compared sections in template order. */
  sections: readonly SectionComparison[];
  /** Level of the changed sections' headings, to fit the page the report is placed in (default 3). */
  headingLevel?: 2 | 3 | 4 | 5;
}

export function ChangeReport({ sections, headingLevel = 3 }: ChangeReportProps) {
  const { t } = useI18n();
  const Heading = `h${headingLevel}` as const;
  const anyChanged = sections.some((section) => section.changed);
  return (
    <div className="change-report">
      <p className="change-report__legend">{anyChanged ? t('compare.legend') : t('compare.noChanges')}</p>
      <ul className="change-report__sections">
        {sections.map((section) =>
          section.changed ? (
            <li key={section.sectionId} className="change-report__section">
              <Heading className="change-report__title">{section.title}</Heading>
              <p className="change-report__text">
                {keyed(section.diff).map(({ key, part }) => (
                  <DiffText key={key} part={part} />
                ))}
              </p>
            </li>
          ) : (
            <li key={section.sectionId} className="change-report__section change-report__section--unchanged">
              {t('compare.unchanged', { title: section.title })}
            </li>
          ),
        )}
      </ul>
    </div>
  );
}

/** Keys that say where a part starts in the old and the new text: unique, since every part but an empty text moves one of them on. */
function keyed(diff: readonly DiffPart[]): { key: string; part: DiffPart }[] {
  let from = 0;
  let to = 0;
  return diff.map((part) => {
    const key = `${from}:${to}:${part.op}`;
    if (part.op !== 'insert') from += part.text.length;
    if (part.op !== 'delete') to += part.text.length;
    return { key, part };
  });
}

function DiffText({ part }: { part: DiffPart }) {
  const { t } = useI18n();
  if (part.op === 'equal') return <>{part.text}</>;
  const [Tag, className, start, end] =
    part.op === 'insert'
      ? (['ins', 'change-report__insert', t('compare.insertStart'), t('compare.insertEnd')] as const)
      : (['del', 'change-report__delete', t('compare.deleteStart'), t('compare.deleteEnd')] as const);
  // A line break inserted or deleted alone would be invisible: it gets a visible mark and a name. A deleted one
  // is not drawn as a break, so the lines it joined read as they now are.
  const lineBreak = part.text.includes('\n') && part.text.trim() === '';
  return (
    <Tag className={className}>
      <span className="visually-hidden">{start} </span>
      {lineBreak && (
        <>
          <span className="change-report__break" aria-hidden="true">
            ¶
          </span>
          <span className="visually-hidden">{t('compare.lineBreak')}</span>
        </>
      )}
      {lineBreak && part.op === 'delete' ? null : part.text}
      <span className="visually-hidden"> {end}</span>
    </Tag>
  );
}
