/**
 * Full-text search across the Vorlagen a user may see: what a query is made of
 * and what a hit looks like, shared by both storages, the server and the client.
 */

/** Longest query accepted, in characters; more words than this are not a search but a paste. */
export const MAX_QUERY_LENGTH = 200;
/** Words of a query that count; the rest is ignored. */
export const MAX_QUERY_TERMS = 8;
/** Shortest query searched in the text: one or two letters would match almost every Vorlage. */
export const MIN_QUERY_LENGTH = 3;

/**
 * The words of a query as the search matches them: letters and digits, in the
 * order typed, each matched as the beginning of a word ("verstet" finds
 * "Verstetigung"), all of them required. Punctuation and operators are not
 * syntax here: a query never fails because of what a user typed.
 */
export function queryTerms(query: string): string[] {
  const words = query.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((word) => word.toLocaleLowerCase('de')))].slice(0, MAX_QUERY_TERMS);
}

/** A piece of a matching passage; `match` marks the words the query found. */
export interface PassagePart {
  text: string;
  match: boolean;
}

/** Marks around the matching words in a passage as the storages return it; text in a Vorlage never holds them (dossier/text.ts). */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

/** A passage with its marks as parts, for the client to render without HTML. */
export function passageParts(marked: string): PassagePart[] {
  const parts: PassagePart[] = [];
  let match = false;
  let text = '';
  const flush = () => {
    if (text) parts.push({ text, match });
    text = '';
  };
  for (const char of marked) {
    if (char === MATCH_START || char === MATCH_END) {
      flush();
      match = char === MATCH_START;
    } else text += char;
  }
  flush();
  return parts;
}
