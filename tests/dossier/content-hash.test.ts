import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../dossier/content-hash';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';

/** The same object with its keys in reverse order at every level. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  return value;
}

describe('content hash', () => {
  it('serialises with sorted keys at every level and no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: 'ä' }], c: true } })).toBe('{"a":{"c":true,"d":[2,{"y":"ä","z":null}]},"b":1}');
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
    expect(canonicalJson('x')).toBe('"x"');
  });

  it('is the hex SHA-256 of the canonical JSON, the same whatever the key order', async () => {
    for (const content of Object.values(demoContents)) {
      const hash = await contentHash(content);
      expect(hash).toBe(createHash('sha256').update(canonicalJson(content)).digest('hex'));
      expect(await contentHash(reversed(content))).toBe(hash);
    }
  });

  it('changes with any change of the content', async () => {
    const budget = demoContents.finanzen as { lines: { amounts: Record<string, number> }[] };
    const changed = structuredClone(budget);
    changed.lines[0]!.amounts['2027']! += 1;
    expect(await contentHash(changed)).not.toBe(await contentHash(budget));
    expect(await contentHash({ a: '1' })).not.toBe(await contentHash({ a: 1 }));
  });
});
