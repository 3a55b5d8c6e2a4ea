/** Mitzeichnung: written by the server's workflow only; shown as a list. */
import type { SectionContentByKind } from '../../dossier/content';
import { useI18n } from '../i18n/i18n';

export function SignaturesSection({ content }: { content: SectionContentByKind['signatures'] | undefined }) {
  const { t, formatDateTime } = useI18n();
  if (!content || content.items.length === 0) return <p className="muted">{t('signatures.empty')}</p>;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">{t('signatures.department')}</th>
          <th scope="col">{t('signatures.name')}</th>
          <th scope="col">{t('signatures.signedAt')}</th>
          <th scope="col">{t('signatures.sections')}</th>
        </tr>
      </thead>
      <tbody>
        {content.items.map((item) => (
          <tr key={`${item.department}:${item.signedAt}`}>
            <td>{item.department}</td>
            <td>{item.name}</td>
            <td>{item.signedAt ? formatDateTime(item.signedAt) : ''}</td>
            <td>{Object.keys(item.sections).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
