/** Where the search words stand in a Vorlage's text: up to three passages, each with its section, the words marked. */
import type { SearchResult } from '../../dossier/rest';
import { useI18n } from '../i18n/i18n';

export function SearchPassages({ result }: { result: SearchResult }) {
  const { t } = useI18n();
  return (
    <ul className="search-passages" aria-label={t('search.passages')}>
      {result.hits.map((hit) => (
        <li key={hit.sectionId}>
          <span className="search-passages__section">{hit.sectionTitle}:</span>{' '}
          {hit.passage.map((part, index) =>
            part.match ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one passage never reorder
              <mark key={index}>{part.text}</mark>
            ) : (
              part.text
            ),
          )}
        </li>
      ))}
    </ul>
  );
}
