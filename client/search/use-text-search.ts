/**
 * The list page's full-text search: asks the server (GET /api/search) once the
 * user pauses typing, and keeps the answer of the latest query only.
 */
import { useEffect, useState } from 'react';
import type { SearchResult } from '../../dossier/rest';
import { MAX_QUERY_LENGTH, MIN_QUERY_LENGTH } from '../../dossier/search';
import { api } from '../api';

/** Pause after the last keystroke before the server is asked. */
const TYPING_PAUSE_MS = 250;

export type TextSearch =
  | { state: 'idle' }
  | { state: 'searching' }
  | { state: 'done'; results: ReadonlyMap<string, SearchResult> }
  | { state: 'failed'; message: string };

export function useTextSearch(query: string): TextSearch {
  const [search, setSearch] = useState<TextSearch>({ state: 'idle' });
  useEffect(() => {
    const trimmed = query.trim();
    if (trimmed.length < MIN_QUERY_LENGTH || trimmed.length > MAX_QUERY_LENGTH) {
      setSearch({ state: 'idle' });
      return;
    }
    let current = true;
    setSearch({ state: 'searching' });
    const timer = setTimeout(() => {
      api.search(trimmed).then(
        (answer) => current && setSearch({ state: 'done', results: new Map(answer.results.map((result) => [result.dossierId, result])) }),
        (error: Error) => current && setSearch({ state: 'failed', message: error.message }),
      );
    }, TYPING_PAUSE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);
  return search;
}
