/** Where typing starts a new undo step: at the first letter of a sentence or clause, and every few words. */
import { describe, expect, it } from 'vitest';
import { WORDS_PER_STEP, fieldInsertion, startsUndoStep } from '../../client/collab/undo-steps';

/** The steps a text typed letter by letter falls into. */
function steps(text: string): string[] {
  const result: string[] = [];
  for (let i = 0; i < text.length; i += 1) {
    if (i === 0 || startsUndoStep(text.slice(0, i), text[i]!)) result.push('');
    result[result.length - 1] += text[i]!;
  }
  return result;
}

describe('undo steps', () => {
  it('end at sentences and clauses, the spaces after them staying with the step they end', () => {
    expect(steps('Der Rat tagt. Die Sitzung ist öffentlich! Wer kommt? Alle, auch Gäste; dazu: Presse.')).toEqual([
      'Der Rat tagt. ',
      'Die Sitzung ist öffentlich! ',
      'Wer kommt? ',
      'Alle, ',
      'auch Gäste; ',
      'dazu: ',
      'Presse.',
    ]);
    expect(steps('„Ja.“ Dann')).toEqual(['„Ja.“ ', 'Dann']);
  });

  it(`end after ${WORDS_PER_STEP} words of a sentence without punctuation`, () => {
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`);
    expect(steps(words.join(' ')).map((step) => step.trim().split(' ').length)).toEqual([WORDS_PER_STEP, WORDS_PER_STEP, 4]);
  });

  it('do not split a word, a number or a run of spaces', () => {
    expect(steps('31.12.2026 um 10.30 Uhr')).toEqual(['31.12.2026 um 10.30 Uhr']);
    expect(startsUndoStep('Satz.  ', ' ')).toBe(false);
    expect(startsUndoStep('', 'A')).toBe(false);
    expect(startsUndoStep('Satz.', 'A')).toBe(false);
  });

  it('find what a form field change inserted', () => {
    expect(fieldInsertion('Jana', 'Jana ')).toEqual({ before: 'Jana', inserted: ' ' });
    expect(fieldInsertion('Jana Becker', 'Jana M. Becker')).toEqual({ before: 'Jana ', inserted: 'M. ' });
    expect(fieldInsertion('Jana', 'Jan')).toBeNull();
  });
});
