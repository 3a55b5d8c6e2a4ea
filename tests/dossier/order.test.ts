/**
 * Row order (budget lines, Beratungsfolge, Anlagen): fractional keys, and moving a row while someone edits it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BudgetLine } from '../../dossier/content';
import {
  appendRow,
  budgetLineToY,
  budgetRoots,
  consultationRoots,
  consultationRowToY,
  moveRow,
  readBudgetLine,
  readSection,
  rowsInOrder,
  writeSection,
} from '../../dossier/layout';
import { isOrderKey, keyBetween, sortByOrderKey, spreadKeys } from '../../dossier/order';
import { findSection, type Template } from '../../dossier/template';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';
import { loadTemplates } from '../../server/templates/loader';
import { join } from 'node:path';
import { projectRoot } from '../support/server';

const template: Template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;
const finanzen = findSection(template, 'finanzen') as Extract<ReturnType<typeof findSection>, { kind: 'budget' }>;

const line = (id: string, description = id): BudgetLine => ({
  id,
  costType: 'sach',
  recurrence: 'laufend',
  description,
  account: { produkt: '', kostenstelle: '', sachkonto: '', haushaltsstelle: '' },
  amounts: {},
});
const ids = (doc: Y.Doc) => rowsInOrder(budgetRoots(doc).lines).map((map) => map.get('id'));
const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
};

describe('order keys', () => {
  it('finds a key between any two ordered keys and at both ends', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 200 }), (steps) => {
        const keys: string[] = [];
        for (const [position, atEnd] of steps) {
          const index = atEnd ? keys.length : position % (keys.length + 1);
          const key = keyBetween(keys[index - 1] ?? null, keys[index] ?? null);
          expect(key).not.toBeNull();
          keys.splice(index, 0, key!);
        }
        expect(keys.every(isOrderKey)).toBe(true);
        expect(keys.every((key, i) => i === 0 || keys[i - 1]! < key)).toBe(true);
      }),
    );
  });

  it('refuses neighbours that are equal, reversed or not keys', () => {
    expect(keyBetween('V', 'V')).toBeNull();
    expect(keyBetween('l', 'V')).toBeNull();
    expect(keyBetween('V0', null)).toBeNull();
    expect(keyBetween(null, 'ä')).toBeNull();
  });

  it('spreads keys evenly, ascending and of one length', () => {
    for (const count of [0, 1, 7, 61, 62, 500, 5000]) {
      const keys = spreadKeys(count);
      expect(keys).toHaveLength(count);
      expect(keys.every(isOrderKey)).toBe(true);
      expect(new Set(keys.map((k) => k.length)).size).toBeLessThanOrEqual(1);
      expect(keys.every((key, i) => i === 0 || keys[i - 1]! < key)).toBe(true);
    }
  });

  it('sorts keyed rows first, rows without a key after them in array order, ties by array order', () => {
    const rows = [
      { id: 'a', order: undefined },
      { id: 'b', order: 'l' },
      { id: 'c', order: 'V' },
      { id: 'd', order: 42 },
      { id: 'e', order: 'V' },
    ];
    expect(sortByOrderKey(rows, (row) => row.order).map((row) => row.id)).toEqual(['c', 'e', 'b', 'a', 'd']);
  });
});

describe('budget line order in Yjs', () => {
  it('keeps the template order of seeded lines, and keys them', () => {
    const doc = new Y.Doc();
    writeSection(doc, finanzen, demoContents.finanzen!);
    expect(readSection(doc, finanzen).lines.map((l) => l.id)).toEqual((demoContents.finanzen as { lines: BudgetLine[] }).lines.map((l) => l.id));
    expect(
      budgetRoots(doc)
        .lines.toArray()
        .every((map) => isOrderKey(map.get('order'))),
    ).toBe(true);
  });

  it('moves a line by one key; the canonical JSON lists lines in display order without the key', () => {
    const doc = new Y.Doc();
    const { lines } = budgetRoots(doc);
    for (const id of ['a', 'b', 'c', 'd']) appendRow(lines, budgetLineToY(line(id)));
    moveRow(lines, 3, 0);
    expect(ids(doc)).toEqual(['d', 'a', 'b', 'c']);
    moveRow(lines, 1, 2);
    expect(ids(doc)).toEqual(['d', 'b', 'a', 'c']);
    moveRow(lines, 0, 3);
    expect(ids(doc)).toEqual(['b', 'a', 'c', 'd']);
    // the Y.Array itself never changed order
    expect(lines.toArray().map((map) => map.get('id'))).toEqual(['a', 'b', 'c', 'd']);
    const content = readSection(doc, finanzen);
    expect(content.lines.map((l) => l.id)).toEqual(['b', 'a', 'c', 'd']);
    expect(Object.keys(content.lines[0]!)).toEqual(Object.keys(line('x')));
  });

  it('keeps a concurrent cell edit of a line that another user moves', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    for (const id of ['a', 'b', 'c']) appendRow(budgetRoots(a).lines, budgetLineToY(line(id)));
    sync(a, b);
    moveRow(budgetRoots(a).lines, 2, 0);
    const moving = rowsInOrder(budgetRoots(b).lines)[2]!;
    moving.set('description', 'während des Verschiebens geändert');
    (moving.get('amounts') as Y.Map<number>).set('2027', 12_500_00);
    sync(a, b);
    for (const doc of [a, b]) {
      expect(ids(doc)).toEqual(['c', 'a', 'b']);
      const moved = readBudgetLine(rowsInOrder(budgetRoots(doc).lines)[0]!);
      expect(moved.description).toBe('während des Verschiebens geändert');
      expect(moved.amounts).toEqual({ '2027': 12_500_00 });
    }
  });

  it('renumbers lines written without keys before the first move, in their array order', () => {
    const doc = new Y.Doc();
    const { lines } = budgetRoots(doc);
    lines.push(['a', 'b', 'c'].map((id) => budgetLineToY(line(id))));
    appendRow(lines, budgetLineToY(line('d')));
    expect(ids(doc)).toEqual(['a', 'b', 'c', 'd']);
    moveRow(lines, 2, 1);
    expect(ids(doc)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('converges when two users append and move at the same time', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(9), fc.nat(9)), { minLength: 1, maxLength: 30 }), (ops) => {
        const a = new Y.Doc();
        const b = new Y.Doc();
        for (const id of ['x', 'y', 'z']) appendRow(budgetRoots(a).lines, budgetLineToY(line(id)));
        sync(a, b);
        ops.forEach(([onA, from, to], i) => {
          const doc = onA ? a : b;
          const { lines } = budgetRoots(doc);
          if (i % 3 === 0) appendRow(lines, budgetLineToY(line(`n${i}`)));
          else moveRow(lines, from % lines.length, to % lines.length);
          if (i % 4 === 3) sync(a, b);
        });
        sync(a, b);
        expect(ids(a)).toEqual(ids(b));
        expect(new Set(ids(a)).size).toBe(3 + Math.ceil(ops.length / 3));
      }),
    );
  });
});

describe('Beratungsfolge and Anlagen order in Yjs', () => {
  const beratungsfolge = findSection(template, 'beratungsfolge') as Extract<ReturnType<typeof findSection>, { kind: 'consultation' }>;
  const row = (id: string, body: string) => consultationRowToY({ id, body, date: '', role: 'vorberatung', public: true, result: '' });

  it('moves a row by its key, keeps a concurrent edit of it, and lists rows in display order', () => {
    const a = new Y.Doc();
    const { rows } = consultationRoots(a);
    for (const [id, body] of [
      ['digital', 'Ausschuss für Digitalisierung'],
      ['finanz', 'Finanzausschuss'],
      ['rat', 'Stadtrat'],
    ] as const) {
      appendRow(rows, row(id, body));
    }
    const b = new Y.Doc();
    sync(a, b);
    // a moves the Stadtrat up while b enters its session date
    moveRow(rows, 2, 0);
    rowsInOrder(consultationRoots(b).rows)[2]!.set('date', '2027-02-11');
    sync(a, b);
    for (const doc of [a, b]) {
      const read = readSection(doc, beratungsfolge).rows;
      expect(read.map((r) => r.id)).toEqual(['rat', 'digital', 'finanz']);
      expect(read[0]).toEqual({ id: 'rat', body: 'Stadtrat', date: '2027-02-11', role: 'vorberatung', public: true, result: '' });
    }
  });

  it('keeps the seeded order of rows written without keys', () => {
    const doc = new Y.Doc();
    writeSection(doc, beratungsfolge, demoContents.beratungsfolge!);
    expect(readSection(doc, beratungsfolge)).toEqual(demoContents.beratungsfolge);
    moveRow(consultationRoots(doc).rows, 0, 2);
    expect(readSection(doc, beratungsfolge).rows.map((r) => r.id)).toEqual(['finanz', 'stadtrat', 'digital']);
  });
});
