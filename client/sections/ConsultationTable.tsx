/**
 * The Beratungsfolge as a reader sees it: a table that scrolls sideways in its
 * own focusable box on a phone, not the page. Shown for a read-only section and
 * in a drafting-history snapshot.
 */
import type { SectionContentByKind } from '../../dossier/content';
import { useI18n } from '../i18n/i18n';

export function ConsultationTable({ rows }: { rows: SectionContentByKind['consultation']['rows'] }) {
  const { t, formatDate } = useI18n();
  if (rows.length === 0) return <p className="muted">{t('consultation.empty')}</p>;
  return (
    <div className="table-scroll" role="region" aria-label={t('consultation.caption')} tabIndex={0}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t('consultation.body')}</th>
            <th scope="col">{t('consultation.date')}</th>
            <th scope="col">{t('consultation.role')}</th>
            <th scope="col">{t('consultation.public')}</th>
            <th scope="col">{t('consultation.result')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{row.body}</td>
              <td>{formatDate(row.date)}</td>
              <td>{t(`consultation.role.${row.role}`)}</td>
              <td>{row.public ? t('consultation.publicYes') : t('consultation.publicNo')}</td>
              <td>{row.result}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
