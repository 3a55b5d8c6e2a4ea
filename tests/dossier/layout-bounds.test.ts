/**
 * The edges of the Yjs layout: the bounds of the tolerant readers (years, amounts, file ids,
 * the workflow state), row order keys kept or renewed, moves that change nothing, Anlagen found
 * and their files set and cleared, a section replaced as a whole, and writes that leave an
 * unchanged document without an update.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_CENTS, type Signature } from '../../dossier/content';
import {
  addAttachment,
  appendRow,
  attachmentsRoots,
  budgetRoots,
  findAttachment,
  headerRoots,
  mitzeichnungRoots,
  moveRow,
  readAttachment,
  readBudgetLine,
  readBudgetYears,
  readSection,
  readMitzeichnung,
  readWorkflowState,
  replaceSection,
  rowsInOrder,
  setAttachmentFile,
  writeSection,
  writeSignatureItems,
} from '../../dossier/layout';
import { findSection } from '../../dossier/template';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot } from '../support/server';

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;

/** Counts the updates a document emits while `change` runs. */
function updatesDuring(doc: Y.Doc, change: () => void): number {
  let updates = 0;
  const count = () => {
    updates += 1;
  };
  doc.on('update', count);
  change();
  doc.off('update', count);
  return updates;
}

describe('tolerant readers at their bounds', () => {
  it('reads budget years from 2000 to 2100 and amounts up to the largest one, and nothing beyond', () => {
    const doc = new Y.Doc();
    const { settings } = budgetRoots(doc);
    const thisYear = new Date().getFullYear();
    const years = (first: unknown, last: unknown) => {
      settings.set('firstYear', first);
      settings.set('lastYear', last);
      return readBudgetYears(settings);
    };
    expect(years(2000, 2100)).toEqual({ firstYear: 2000, lastYear: 2100 });
    expect(years(1999, 2030)).toEqual({ firstYear: thisYear, lastYear: Math.max(thisYear, 2030) });
    expect(years(2030, 2101)).toEqual({ firstYear: 2030, lastYear: 2030 });
    expect(years(2030.5, '2031')).toEqual({ firstYear: thisYear, lastYear: thisYear });

    const line = new Y.Map<unknown>();
    doc.getArray('probe').push([line]);
    line.set(
      'amounts',
      new Y.Map<unknown>(Object.entries({ '2026': MAX_CENTS, '2027': -MAX_CENTS, '2028': MAX_CENTS + 1, '2029': 1.5, '20x0': 5, '2030': '7' })),
    );
    expect(readBudgetLine(line).amounts).toEqual({ '2026': MAX_CENTS, '2027': -MAX_CENTS });
  });

  it('keeps a file id of up to 64 lowercase letters and digits, and nothing else', () => {
    const read = (fileId: unknown) => {
      const map = new Y.Map<unknown>(Object.entries({ id: 'a1', title: 'Plan', public: true, fileId }));
      new Y.Doc().getArray('probe').push([map]);
      return readAttachment(map);
    };
    expect(read('a'.repeat(64))).toEqual({ id: 'a1', title: 'Plan', public: true, fileId: 'a'.repeat(64) });
    for (const fileId of ['a'.repeat(65), '', 'Datei1', 'x/1', ' abc', 'abc ', 7]) expect(read(fileId), String(fileId)).not.toHaveProperty('fileId');
  });

  it('reads the workflow state: a version from 1 on, a Vorlagen-Nr. only when given, the requested departments that are objects', () => {
    const doc = new Y.Doc();
    const { workflow } = mitzeichnungRoots(doc);
    workflow.set('status', 'cosigning');
    workflow.set('version', 1);
    workflow.set('referenceNumber', 'VO/26/00042/SC');
    workflow.set('requested', [null, 'kaemmerei', { departmentId: 'kaemmerei', department: 'Kämmerei' }, { departmentId: 3 }]);
    expect(readWorkflowState(doc)).toEqual({
      status: 'cosigning',
      version: 1,
      referenceNumber: 'VO/26/00042/SC',
      requested: [
        { departmentId: 'kaemmerei', department: 'Kämmerei' },
        { departmentId: '', department: '' },
      ],
    });
    for (const version of [0, 1.5, '2', -1]) {
      workflow.set('version', version);
      expect(readWorkflowState(doc).version, String(version)).toBeNull();
    }
    workflow.set('referenceNumber', '');
    workflow.set('requested', 'kaemmerei');
    expect(readWorkflowState(doc)).toMatchObject({ referenceNumber: null, requested: [] });
  });
});

describe('rows and their order keys', () => {
  /** Rows with ids, appended in this order. */
  function rowsOf(...ids: string[]) {
    const doc = new Y.Doc();
    const rows = attachmentsRoots(doc).items;
    for (const id of ids) appendRow(rows, new Y.Map<unknown>([['id', id]]));
    const keys = () => rows.toArray().map((row) => row.get('order') as string);
    const shown = () => rowsInOrder(rows).map((row) => row.get('id'));
    return { doc, rows, keys, shown };
  }

  it('keeps valid ascending keys when a row is appended, and renews keys that are missing, repeated or out of order', () => {
    const { rows, keys, shown } = rowsOf('a', 'b', 'c');
    const before = keys();
    appendRow(rows, new Y.Map<unknown>([['id', 'd']]));
    expect(keys().slice(0, 3)).toEqual(before);
    expect(shown()).toEqual(['a', 'b', 'c', 'd']);

    // b takes a's key: the next append gives every row a new, strictly ascending key, in the order shown
    rows.get(1).set('order', rows.get(0).get('order'));
    const shownBefore = shown();
    appendRow(rows, new Y.Map<unknown>([['id', 'e']]));
    const renewed = rowsInOrder(rows).map((row) => row.get('order') as string);
    expect(renewed).toEqual([...renewed].sort());
    expect(new Set(renewed).size).toBe(renewed.length);
    expect(shown()).toEqual([...shownBefore, 'e']);

    // a row without a key
    rows.get(2).delete('order');
    appendRow(rows, new Y.Map<unknown>([['id', 'f']]));
    expect(rows.toArray().every((row) => typeof row.get('order') === 'string')).toBe(true);
    expect(shown().at(-1)).toBe('f');
  });

  it('moves nothing for a move onto itself or out of range, and a row to where it is asked', () => {
    const { doc, rows, keys, shown } = rowsOf('a', 'b', 'c');
    const before = keys();
    for (const [from, to] of [
      [1, 1],
      [-1, 0],
      [0, -1],
      [3, 0],
      [0, 3],
    ] as const) {
      expect(
        updatesDuring(doc, () => moveRow(rows, from, to)),
        `${from} → ${to}`,
      ).toBe(0);
    }
    expect(keys()).toEqual(before);
    moveRow(rows, 0, 2);
    expect(shown()).toEqual(['b', 'c', 'a']);
    moveRow(rows, 2, 0);
    expect(shown()).toEqual(['a', 'b', 'c']);
  });
});

describe('Anlagen and their files', () => {
  it('finds an Anlage by its id, and sets and clears its file', () => {
    const doc = new Y.Doc();
    addAttachment(doc, { id: 'plan', title: 'Lageplan', public: true });
    addAttachment(doc, { id: 'kosten', title: 'Kosten', public: false });
    expect(findAttachment(doc, 'kosten')?.get('title')).toBe('Kosten');
    expect(findAttachment(doc, 'gibtesnicht')).toBeUndefined();
    const kosten = findAttachment(doc, 'kosten')!;
    setAttachmentFile(kosten, 'datei42');
    expect(readAttachment(kosten)).toEqual({ id: 'kosten', title: 'Kosten', public: false, fileId: 'datei42' });
    setAttachmentFile(kosten, undefined);
    expect(kosten.has('fileId')).toBe(false);
    expect(
      updatesDuring(doc, () => setAttachmentFile(kosten, undefined)),
      'clearing no file changed the document',
    ).toBe(0);
    expect(() => setAttachmentFile(kosten, 42 as never)).toThrow(TypeError);
  });
});

describe('a section replaced as a whole', () => {
  it('holds exactly the new content: no field, row or paragraph of the old one is left', () => {
    const doc = new Y.Doc();
    const kopf = findSection(template, 'kopf')!;
    const first = readSection(doc, kopf as never) as { fields: Record<string, unknown> };
    const [one, two] = (kopf as { fields: { id: string; type: string }[] }).fields.filter((field) => field.type === 'text').map((field) => field.id);
    writeSection(doc, kopf, { fields: { ...first.fields, [one!]: 'alt', [two!]: 'auch alt' } } as never);
    headerRoots(doc).fields.set('fremd', 'von einem alten Client');
    replaceSection(doc, kopf, { fields: { ...first.fields, [one!]: 'neu' } } as never);
    expect((readSection(doc, kopf as never) as typeof first).fields).toEqual({ ...first.fields, [one!]: 'neu' });
    expect(headerRoots(doc).fields.has('fremd')).toBe(false);

    const anlagen = findSection(template, 'anlagen')!;
    const anlagenDoc = new Y.Doc();
    addAttachment(anlagenDoc, { id: 'alt', title: 'Alt', public: true });
    replaceSection(anlagenDoc, anlagen, { items: [{ id: 'neu', title: 'Neu', public: false }] } as never);
    expect(readSection(anlagenDoc, anlagen as never)).toEqual({ items: [{ id: 'neu', title: 'Neu', public: false }] });

    const text = findSection(template, 'ausgangslage')!;
    const textDoc = new Y.Doc();
    const paragraph = (words: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: words }] }] });
    writeSection(textDoc, text, paragraph('Alter Text.') as never);
    replaceSection(textDoc, text, paragraph('Neuer Text.') as never);
    expect(readSection(textDoc, text as never)).toEqual(paragraph('Neuer Text.'));
  });
});

describe('writes that change nothing', () => {
  it('leaves the Mitzeichnung without an update when the signatures are the same, and replaces them when not', () => {
    const doc = new Y.Doc();
    const signature: Signature = {
      department: 'Kämmerei',
      departmentId: 'kaemmerei',
      name: 'Kai Fischer',
      signedAt: '2026-12-01T09:00:00.000Z',
      decision: 'agree-with-remarks',
      remark: 'Mit Hinweis auf die Folgekosten.',
      sections: { finanzen: 'sha256-abc', beschlussvorschlag: 'sha256-def' },
      state: 'invalid',
      changedSections: ['finanzen'],
    };
    writeSignatureItems(doc, [signature]);
    expect(readMitzeichnung(doc).items).toEqual([signature]);
    expect(updatesDuring(doc, () => writeSignatureItems(doc, [signature]))).toBe(0);
    expect(mitzeichnungRoots(doc).items.length).toBe(1);
    writeSignatureItems(doc, []);
    expect(mitzeichnungRoots(doc).items.length).toBe(0);
  });
});
