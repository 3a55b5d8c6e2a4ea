/**
 * The drafting history's content hash: the same content gives the same hash
 * whatever the key order, and any change of a value, a key or an order of
 * list items gives another — so an identical state is skipped, a changed one never.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashOf } from '../../server/history/drafting-history';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('hashOf', () => {
  const content = { kopf: { fields: { datum: '2026-05-01', beteiligt: ['Kämmerei', 'Rechtsamt'] } }, betreff: { type: 'doc', content: [{ type: 'paragraph' }] } };

  it('is the SHA-256 of the JSON with sorted keys, whatever order the keys were written in', () => {
    const reordered = { betreff: { content: [{ type: 'paragraph' }], type: 'doc' }, kopf: { fields: { beteiligt: ['Kämmerei', 'Rechtsamt'], datum: '2026-05-01' } } };
    expect(hashOf(reordered)).toBe(hashOf(content));
    expect(hashOf(content)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf({ b: 1, a: [true, null, 'x', { d: 'ü', c: 2 }] })).toBe(sha256('{"a":[true,null,"x",{"c":2,"d":"ü"}],"b":1}'));
  });

  it('changes with any value, key or list order', () => {
    const variants = [
      { ...content, kopf: { fields: { datum: '2026-05-02', beteiligt: ['Kämmerei', 'Rechtsamt'] } } },
      { ...content, kopf: { fields: { datum: '2026-05-01', beteiligt: ['Rechtsamt', 'Kämmerei'] } } },
      { ...content, kopf: { fields: { datum: '2026-05-01', beteiligte: ['Kämmerei', 'Rechtsamt'] } } },
      { ...content, betreff: null },
      { kopf: content.kopf },
    ];
    const hashes = new Set([hashOf(content), ...variants.map(hashOf)]);
    expect(hashes.size).toBe(variants.length + 1);
    // a string that looks like a number is not that number
    expect(hashOf({ a: '1' })).not.toBe(hashOf({ a: 1 }));
  });
});
