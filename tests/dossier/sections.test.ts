/** Section content beside layout.test.ts and completeness.test.ts: the kinds and helpers those leave out. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isSectionFilled } from '../../dossier/completeness';
import { emptyRichText, type BudgetContent } from '../../dossier/content';
import { newId } from '../../dossier/ids';
import {
  appendRow,
  attachmentToY,
  budgetRoots,
  choiceRoots,
  consultationRoots,
  deleteRow,
  headerRoots,
  isDossierId,
  readSection,
  rowsInOrder,
  signaturesRoots,
  attachmentsRoots,
  textRoots,
} from '../../dossier/layout';
import { br, doc, h, p, strike, table, underline } from '../../dossier/rich-text';
import { canonicalRichText, richTextPlain } from '../../dossier/schema';
import { findSection, type Template, type TemplateSection } from '../../dossier/template';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot } from '../support/server';

const template: Template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;
const section = (id: string): TemplateSection => findSection(template, id)!;
const filled = (id: string, content: unknown) => isSectionFilled(section(id), content as never);

describe('completeness of the other section kinds', () => {
  it('needs at least one Beratungsfolge row, each naming its body', () => {
    const row = { id: 'r1', body: 'Stadtrat', date: '', role: 'entscheidung', public: true, result: '' };
    expect(filled('beratungsfolge', { rows: [] })).toBe(false);
    expect(filled('beratungsfolge', { rows: [row] })).toBe(true);
    expect(filled('beratungsfolge', { rows: [row, { ...row, id: 'r2', body: '  ' }] })).toBe(false);
  });

  it('needs budget lines and a chosen coverage', () => {
    const budget = (lines: number, kind: BudgetContent['coverage']['kind']) => ({
      firstYear: 2027,
      lastYear: 2029,
      lines: Array.from({ length: lines }, (_, i) => ({ id: `l${i}` })),
      coverage: { kind, text: '' },
      followUpCosts: '',
      statement: emptyRichText(),
    });
    expect(filled('finanzen', budget(1, 'vorhanden'))).toBe(true);
    expect(filled('finanzen', budget(0, 'vorhanden'))).toBe(false);
    expect(filled('finanzen', budget(2, null))).toBe(false);
  });

  it('needs an attachment and a co-signature', () => {
    expect(filled('anlagen', { items: [] })).toBe(false);
    expect(filled('anlagen', { items: [{ id: 'a', title: 'Kostenplan', public: true }] })).toBe(true);
    expect(filled('mitzeichnung', { items: [] })).toBe(false);
    expect(filled('mitzeichnung', { items: [{ department: 'Kämmerei', name: 'K. Kern', signedAt: '', sections: {} }] })).toBe(true);
  });

  it('counts a text section of a template without initial text as empty until it has text', () => {
    const bare = { ...section('ausgangslage'), initial: undefined } as TemplateSection;
    expect(isSectionFilled(bare, emptyRichText() as never)).toBe(false);
    expect(isSectionFilled(bare, doc(p('Text.')) as never)).toBe(true);
  });
});

describe('section documents in Yjs', () => {
  it('keeps the root type names that stored documents use', () => {
    const ydoc = new Y.Doc();
    expect(textRoots(ydoc).content).toBe(ydoc.getXmlFragment('content'));
    expect(headerRoots(ydoc).fields).toBe(ydoc.getMap('fields'));
    expect(consultationRoots(ydoc).rows).toBe(ydoc.getArray('rows'));
    const budget = budgetRoots(ydoc);
    expect([budget.settings, budget.lines, budget.statement]).toEqual([ydoc.getMap('settings'), ydoc.getArray('lines'), ydoc.getXmlFragment('statement')]);
    const choice = choiceRoots(ydoc);
    expect([choice.fields, choice.text('alternativen')]).toEqual([ydoc.getMap('fields'), ydoc.getXmlFragment('text:alternativen')]);
    expect(attachmentsRoots(ydoc).items).toBe(ydoc.getArray('items'));
    expect(signaturesRoots(ydoc).items).toBe(ydoc.getArray('items'));
  });

  it('reads co-signatures tolerantly: section hashes must be strings in an object', () => {
    const ydoc = new Y.Doc();
    const signature = (sections: unknown) => new Y.Map<unknown>(Object.entries({ department: 'Kämmerei', name: 'K. Kern', signedAt: '2026-12-01', sections }));
    signaturesRoots(ydoc).items.push([signature({ finanzen: 'abc', kaputt: 7 }), signature(['abc']), signature(null), signature('abc')]);
    ydoc.getArray('items').push(['kein Eintrag']);
    const read = readSection(ydoc, section('mitzeichnung') as never) as { items: { department: string; sections: unknown }[] };
    expect(read.items.map((item) => item.sections)).toEqual([{ finanzen: 'abc' }, {}, {}, {}]);
    // what an older document does not hold reads as a valid agreement without remark
    expect(read.items[0]).toEqual({
      department: 'Kämmerei',
      departmentId: '',
      name: 'K. Kern',
      signedAt: '2026-12-01',
      decision: 'agree',
      remark: '',
      sections: { finanzen: 'abc' },
      state: 'valid',
      changedSections: [],
    });
  });

  it('deletes the given row wherever it stands, and nothing when it is not there', () => {
    const ydoc = new Y.Doc();
    const rows = attachmentsRoots(ydoc).items;
    const [a, b, c] = ['a', 'b', 'c'].map((id) => attachmentToY({ id, title: id, public: true }));
    for (const row of [a!, b!, c!]) appendRow(rows, row);
    deleteRow(rows, b!);
    expect(rowsInOrder(rows).map((row) => row.get('id'))).toEqual(['a', 'c']);
    deleteRow(rows, attachmentToY({ id: 'x', title: 'x', public: true }));
    expect(rowsInOrder(rows).map((row) => row.get('id'))).toEqual(['a', 'c']);
    deleteRow(rows, a!);
    expect(rowsInOrder(rows).map((row) => row.get('id'))).toEqual(['c']);
  });

  it('accepts dossier ids of up to 64 letters, digits, - and _ only', () => {
    expect(isDossierId('abc_DEF-123')).toBe(true);
    expect(isDossierId('a'.repeat(64))).toBe(true);
    expect(isDossierId('a'.repeat(65))).toBe(false);
    expect(isDossierId('')).toBe(false);
    expect(isDossierId('a/b')).toBe(false);
    expect(isDossierId('ä')).toBe(false);
  });
});

describe('rich text', () => {
  it('has an empty document that fits the editor schema and has no text', () => {
    expect(canonicalRichText(emptyRichText())).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
    expect(richTextPlain(emptyRichText())).toBe('');
  });

  it('builds headings, marks, breaks and tables the editor schema accepts', () => {
    const built = doc(h(3, 'Ziel'), p(underline('unter'), br(), strike('durch')), table(['Jahr', 'Betrag'], ['2027', '']));
    expect(richTextPlain(built)).toBe('Ziel unter durch Jahr Betrag 2027');
    const json = canonicalRichText(built) as any;
    expect(json.content[0]).toMatchObject({ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Ziel' }] });
    expect(json.content[1].content.map((node: any) => [node.type, node.marks?.[0]?.type])).toEqual([
      ['text', 'underline'],
      ['hardBreak', undefined],
      ['text', 'strike'],
    ]);
    expect(json.content[2].content[1].content[1]).toMatchObject({ type: 'tableCell', content: [{ type: 'paragraph' }] });
    expect(json.content[2].content[1].content[1].content[0].content).toBeUndefined();
  });
});

describe('ids', () => {
  it('are of the asked length, from the lower-case base32 alphabet, and differ', () => {
    expect(newId()).toMatch(/^[0-9a-hjkmnp-tv-z]{12}$/);
    expect(newId(20)).toMatch(/^[0-9a-hjkmnp-tv-z]{20}$/);
    const ids = new Set(Array.from({ length: 200 }, () => newId()));
    expect(ids.size).toBe(200);
    // All 32 symbols occur: no byte value is mapped outside the alphabet or onto fewer symbols.
    expect(new Set([...Array.from({ length: 100 }, () => newId(32)).join('')]).size).toBe(32);
  });
});
