/**
 * Where an undo step ends while someone types, as in Word: one Ctrl+Z takes
 * back the last sentence or clause, not everything typed without a pause.
 * Yjs' UndoManager merges changes made within `captureTimeout` of each other
 * (500 ms by default, so a slow typist's steps broke mid-word and a fast
 * one's never); the rich text (sections/sentence-undo.ts) and the form fields
 * (collab/shared-field.tsx) raise it to `UNDO_PAUSE_MS`, ask this module
 * before each insertion and call `stopCapturing()` when it says a new step
 * begins. Switching between typing and deleting starts a step as well.
 */

/** A pause this long ends a step wherever it falls. */
export const UNDO_PAUSE_MS = 10_000;

/** A step never grows beyond this many words, even in a sentence without punctuation. */
export const WORDS_PER_STEP = 8;

/** End of a sentence or clause, with closing quotes or brackets after it, then the spaces typed since. */
const CLAUSE_END = /[.!?…;:,][)\]"'»«“”„’]*\s+$/u;
const WORD = /[\p{L}\p{N}]+(?:[-'’.][\p{L}\p{N}]+)*/gu;
const LAST_CLAUSE = /[^.!?…;:,]*$/u;

/**
 * Whether inserting `inserted` right after `before` (the text of the paragraph
 * or field up to the caret) begins a new undo step: the first letter of a new
 * sentence or clause, or of the word after `WORDS_PER_STEP` words of one.
 */
export function startsUndoStep(before: string, inserted: string): boolean {
  if (inserted === '' || /^\s/u.test(inserted) || !/\s$/u.test(before)) return false;
  if (CLAUSE_END.test(before)) return true;
  const words = LAST_CLAUSE.exec(before)?.[0].match(WORD)?.length ?? 0;
  return words > 0 && words % WORDS_PER_STEP === 0;
}

/** What changed from `previous` to `next` in a form field, for `startsUndoStep`: the text before the change and what was inserted. */
export function fieldInsertion(previous: string, next: string): { before: string; inserted: string } | null {
  if (next.length <= previous.length) return null;
  let start = 0;
  while (start < previous.length && previous[start] === next[start]) start += 1;
  return { before: previous.slice(0, start), inserted: next.slice(start, start + next.length - previous.length) };
}

/** What a change to a text is, for telling steps apart: a switch of kind starts a new step. */
export type EditKind = 'type' | 'delete' | 'other';
