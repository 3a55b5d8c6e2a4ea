/**
 * The widths where the reading layout for tablets and phones takes over
 * (they match the media queries of the "reading layout" block in
 * client/styles.css): parts that change their markup, not only their look,
 * follow them here.
 */
import { useSyncExternalStore } from 'react';

/** One column: the table of contents folds away above the text. */
export const ONE_COLUMN = '(max-width: 1000px)';
/** The list of Vorlagen shows cards instead of a table. */
export const LIST_AS_CARDS = '(max-width: 900px)';

export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (changed) => {
      const list = matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    () => matchMedia(query).matches,
  );
}
