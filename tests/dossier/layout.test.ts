import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { budgetContentSchema, sectionContentSchemas } from '../../dossier/content';
import {
  addAttachment,
  addBudgetLine,
  addConsultationRow,
  attachmentsRoots,
  budgetRoots,
  consultationRoots,
  dateInputValue,
  documentName,
  headerRoots,
  parseDocumentName,
  readSection,
  rowsInOrder,
  setAttachmentCell,
  setBudgetAmount,
  setBudgetLineCell,
  setBudgetSetting,
  setBudgetYears,
  setChoiceValue,
  setConsultationCell,
  setHeaderField,
  writeSection,
} from '../../dossier/layout';
import { canonicalRichText } from '../../dossier/schema';
import { findSection, type HeaderField, type Template, type TemplateSection } from '../../dossier/template';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';
import { loadTemplates } from '../../server/templates/loader';
import { join } from 'node:path';
import { projectRoot } from '../support/server';

/** What reading gives back: rich text in canonical form (default attributes filled in), everything else as written. */
function canonical(kind: string, content: any): unknown {
  if (kind === 'text') return canonicalRichText(content);
  if (kind === 'budget') return { ...content, statement: canonicalRichText(content.statement) };
  if (kind === 'choice') return { ...content, texts: Object.fromEntries(Object.entries(content.texts).map(([k, v]) => [k, canonicalRichText(v)])) };
  return content;
}

const template: Template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;

describe('dossier layout in Yjs', () => {
  it('names section documents <dossierId>/<sectionId> and parses only such names', () => {
    expect(documentName('abc123', 'finanzen')).toBe('abc123/finanzen');
    expect(parseDocumentName('abc123/finanzen')).toEqual({ dossierId: 'abc123', sectionId: 'finanzen' });
    for (const bad of ['', 'abc', 'abc/', '/finanzen', 'abc/finanzen/x', 'a b/finanzen', 'abc/Finanzen', '../x/y']) {
      expect(parseDocumentName(bad), bad).toBeNull();
    }
  });

  it('round-trips every section of the demo dossier through Yjs, including over the wire', () => {
    for (const section of template.sections) {
      const content =
        demoContents[section.id] ??
        (section.kind === 'signatures' ? { status: 'draft', version: null, referenceNumber: null, requested: [], items: [] } : undefined);
      if (!content) throw new Error(`demo has no content for ${section.id}`);
      const doc = new Y.Doc();
      writeSection(doc, section, content);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
      const read = readSection(copy, section);
      expect(sectionContentSchemas[section.kind].safeParse(read).success, section.id).toBe(true);
      expect(read, section.id).toEqual(canonical(section.kind, content));
    }
  });

  it('keeps budget lines and amounts exactly', () => {
    const section = findSection(template, 'finanzen')!;
    const doc = new Y.Doc();
    writeSection(doc, section, demoContents.finanzen!);
    const read = budgetContentSchema.parse(readSection(doc, section as Extract<typeof section, { kind: 'budget' }>));
    const original = budgetContentSchema.parse(demoContents.finanzen);
    expect(read.lines).toEqual(original.lines);
    expect(read.coverage).toEqual(original.coverage);
    expect([read.firstYear, read.lastYear]).toEqual([2027, 2029]);
  });

  it('merges concurrent edits of different cells of one budget line', () => {
    const section = findSection(template, 'finanzen')!;
    const a = new Y.Doc();
    writeSection(a, section, demoContents.finanzen!);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    (budgetRoots(a).lines.get(0).get('amounts') as Y.Map<number>).set('2027', 1);
    budgetRoots(b).lines.get(0).set('description', 'Laborleitung, neu bewertet');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    for (const doc of [a, b]) {
      const line = readSection(doc, section as Extract<typeof section, { kind: 'budget' }>).lines[0]!;
      expect(line.amounts['2027']).toBe(1);
      expect(line.description).toBe('Laborleitung, neu bewertet');
    }
  });

  it('reads whatever a hostile client wrote as schema-valid content', () => {
    const header = findSection(template, 'kopf')! as Extract<ReturnType<typeof findSection>, { kind: 'header' }>;
    const doc = new Y.Doc();
    headerRoots(doc).fields.set('datum', 'gestern');
    headerRoots(doc).fields.set('beteiligt', 'Kämmerei');
    headerRoots(doc).fields.set('oeffentlichkeit', 'geheim');
    headerRoots(doc).fields.set('aktenzeichen', 42);
    const read = readSection(doc, header);
    expect(read.fields).toMatchObject({ datum: '', beteiligt: [], oeffentlichkeit: '', aktenzeichen: '' });

    // department ids: strings only, each once
    headerRoots(doc).fields.set('beteiligt', ['kaemmerei', 7, null, 'rechtsamt', 'kaemmerei', ' ', { id: 'it' }]);
    expect(readSection(doc, header).fields.beteiligt).toEqual(['kaemmerei', 'rechtsamt']);

    const consultation = findSection(template, 'beratungsfolge')! as Extract<ReturnType<typeof findSection>, { kind: 'consultation' }>;
    const rowsDoc = new Y.Doc();
    const rows = consultationRoots(rowsDoc).rows as unknown as Y.Array<unknown>;
    rows.push([
      'kein Eintrag',
      new Y.Map<unknown>([
        ['id', 'x'],
        ['role', 'veto'],
        ['public', 'ja'],
        ['date', '2027-02-30x'],
      ]),
    ]);
    expect(readSection(rowsDoc, consultation)).toEqual({ rows: [{ id: 'x', body: '', date: '', role: 'vorberatung', public: false, result: '' }] });

    const budget = findSection(template, 'finanzen')! as Extract<ReturnType<typeof findSection>, { kind: 'budget' }>;
    const budgetDoc = new Y.Doc();
    const line = new Y.Map<unknown>([
      ['id', 'l'],
      ['costType', 'geschenk'],
      [
        'amounts',
        new Y.Map<unknown>([
          ['2027', 12.5],
          ['2028', 700],
          ['abcd', 1],
          ['2029', Number.MAX_SAFE_INTEGER],
        ]),
      ],
    ]);
    budgetRoots(budgetDoc).lines.push([line]);
    const read2 = readSection(budgetDoc, budget);
    expect(budgetContentSchema.safeParse(read2).success).toBe(true);
    expect(read2.lines[0]).toMatchObject({ costType: 'sach', amounts: { '2028': 700 } });
  });
});

const kindSection = <K extends TemplateSection['kind']>(id: string, kind: K) => {
  const found = findSection(template, id);
  if (found?.kind !== kind) throw new Error(`${id} is no ${kind} section`);
  return found as Extract<TemplateSection, { kind: K }>;
};

/** Two replicas of one section that exchange their updates, as two browsers do through the server. */
function replicas(seed: (doc: Y.Doc) => void): [Y.Doc, Y.Doc, () => void] {
  const a = new Y.Doc();
  seed(a);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  const exchange = () => {
    const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
    const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
    Y.applyUpdate(b, fromA);
    Y.applyUpdate(a, fromB);
  };
  return [a, b, exchange];
}

const line = (id: string) => ({
  id,
  costType: 'sach' as const,
  recurrence: 'laufend' as const,
  description: `Zeile ${id}`,
  account: { produkt: '', kostenstelle: '', sachkonto: '', haushaltsstelle: '' },
  amounts: { '2027': 100 },
});

describe('typed writers', () => {
  it('header: each field type is written as its reader reads it back; values the field cannot hold are refused', () => {
    const header = kindSection('kopf', 'header');
    const field = (id: string) => header.fields.find((f) => f.id === id)! as HeaderField;
    const doc = new Y.Doc();
    setHeaderField(doc, field('aktenzeichen'), '10.2-2027/4');
    setHeaderField(doc, field('datum'), '2027-03-01');
    setHeaderField(doc, field('oeffentlichkeit'), 'nichtoeffentlich');
    // department ids, each once
    setHeaderField(doc, field('beteiligt'), ['kaemmerei', 'rechtsamt', 'kaemmerei']);
    expect(headerRoots(doc).fields.get('beteiligt')).toEqual(['kaemmerei', 'rechtsamt']);
    expect(readSection(doc, header).fields).toMatchObject({
      aktenzeichen: '10.2-2027/4',
      datum: '2027-03-01',
      oeffentlichkeit: 'nichtoeffentlich',
      beteiligt: ['kaemmerei', 'rechtsamt'],
    });
    expect(() => setHeaderField(doc, field('datum'), 'gestern')).toThrow(TypeError);
    expect(() => setHeaderField(doc, field('oeffentlichkeit'), 'geheim')).toThrow(TypeError);
    expect(() => setHeaderField(doc, field('beteiligt'), 'kaemmerei' as never)).toThrow(TypeError);
    expect(() => setHeaderField(doc, field('beteiligt'), ['kaemmerei', 7] as never)).toThrow(TypeError);
    setHeaderField(doc, field('oeffentlichkeit'), '');
    expect(readSection(doc, header).fields).toMatchObject({ datum: '2027-03-01', oeffentlichkeit: '' });
    // a browser's date input lets a user type a five-digit year: written as no date, as the reader shows it
    setHeaderField(doc, field('datum'), dateInputValue('20271-03-01'));
    expect(readSection(doc, header).fields.datum).toBe('');
  });

  it('Beratungsfolge: a new row and every cell read back; two people editing two cells of one row both keep theirs', () => {
    const section = kindSection('beratungsfolge', 'consultation');
    const [a, b, exchange] = replicas((doc) =>
      addConsultationRow(doc, { id: 'r1', body: 'Hauptausschuss', date: '', role: 'vorberatung', public: true, result: '' }),
    );
    expect(readSection(b, section).rows).toEqual([{ id: 'r1', body: 'Hauptausschuss', date: '', role: 'vorberatung', public: true, result: '' }]);

    setConsultationCell(rowsInOrder(consultationRoots(a).rows)[0]!, 'date', '2027-04-12');
    setConsultationCell(rowsInOrder(consultationRoots(a).rows)[0]!, 'role', 'entscheidung');
    setConsultationCell(rowsInOrder(consultationRoots(b).rows)[0]!, 'public', false);
    setConsultationCell(rowsInOrder(consultationRoots(b).rows)[0]!, 'result', 'einstimmig');
    exchange();
    for (const doc of [a, b]) {
      expect(readSection(doc, section).rows).toEqual([
        { id: 'r1', body: 'Hauptausschuss', date: '2027-04-12', role: 'entscheidung', public: false, result: 'einstimmig' },
      ]);
    }

    const row = rowsInOrder(consultationRoots(a).rows)[0]!;
    expect(() => setConsultationCell(row, 'role', 'veto' as never)).toThrow(TypeError);
    expect(() => setConsultationCell(row, 'date', '12.04.2027')).toThrow(TypeError);
    expect(() => addConsultationRow(a, { id: '', body: '', date: '', role: 'vorberatung', public: true, result: '' })).toThrow();
    expect(readSection(a, section).rows).toHaveLength(1);
    // @ts-expect-error the id is no cell: a row keeps the id it was added with
    expect(() => setConsultationCell(row, 'id', 'r2')).toThrow(TypeError);
    // @ts-expect-error public is a boolean
    expect(() => setConsultationCell(row, 'public', 'ja')).toThrow(TypeError);
  });

  it('budget settings: years together, coverage and follow-up costs; out-of-range years refused', () => {
    const section = kindSection('finanzen', 'budget');
    const doc = new Y.Doc();
    setBudgetYears(doc, 2027, 2030);
    setBudgetSetting(doc, 'coverageKind', 'ueberplanmaessig');
    setBudgetSetting(doc, 'coverageText', 'Deckung aus Budget 14');
    setBudgetSetting(doc, 'followUpCosts', 'keine');
    const read = readSection(doc, section);
    expect(read).toMatchObject({
      firstYear: 2027,
      lastYear: 2030,
      coverage: { kind: 'ueberplanmaessig', text: 'Deckung aus Budget 14' },
      followUpCosts: 'keine',
    });
    setBudgetSetting(doc, 'coverageKind', null);
    expect(readSection(doc, section).coverage.kind).toBeNull();

    let transactions = 0;
    doc.on('afterTransaction', () => (transactions += 1));
    setBudgetYears(doc, 2028, 2029);
    expect(transactions).toBe(1);
    expect(readSection(doc, section)).toMatchObject({ firstYear: 2028, lastYear: 2029 });
    for (const [first, last] of [
      [1999, 2001],
      [2028, 2027],
      [2028, 2101],
      [2028.5, 2029],
    ] as const) {
      expect(() => setBudgetYears(doc, first, last), `${first}–${last}`).toThrow(TypeError);
    }
    expect(() => setBudgetSetting(doc, 'coverageKind', 'irgendwie' as never)).toThrow(TypeError);
    // @ts-expect-error the years are set together, through setBudgetYears
    expect(() => setBudgetSetting(doc, 'firstYear', 2030)).toThrow(TypeError);
    expect(readSection(doc, section)).toMatchObject({ firstYear: 2028, lastYear: 2029, coverage: { kind: null } });
  });

  it('budget lines: a new line, its cells and its amounts read back; an amount is cleared with undefined', () => {
    const section = kindSection('finanzen', 'budget');
    const doc = new Y.Doc();
    setBudgetYears(doc, 2027, 2029);
    addBudgetLine(doc, line('a'));
    const map = rowsInOrder(budgetRoots(doc).lines)[0]!;
    setBudgetLineCell(map, 'description', 'Laborleitung');
    setBudgetLineCell(map, 'costType', 'personal');
    setBudgetLineCell(map, 'recurrence', 'einmalig');
    setBudgetLineCell(map, 'produkt', '1.11.01');
    setBudgetLineCell(map, 'haushaltsstelle', '0200.5400');
    setBudgetAmount(map, 2028, 1_250_000);
    setBudgetAmount(map, 2027, undefined);
    expect(readSection(doc, section).lines).toEqual([
      {
        id: 'a',
        costType: 'personal',
        recurrence: 'einmalig',
        description: 'Laborleitung',
        account: { produkt: '1.11.01', kostenstelle: '', sachkonto: '', haushaltsstelle: '0200.5400' },
        amounts: { '2028': 1_250_000 },
      },
    ]);
    expect(() => setBudgetAmount(map, 2028, 12.5)).toThrow(TypeError);
    expect(() => setBudgetAmount(map, 2028, Number.MAX_SAFE_INTEGER)).toThrow(TypeError);
    // amounts are never negative: a credit is an Erträge line
    expect(() => setBudgetAmount(map, 2028, -1)).toThrow(TypeError);
    expect(() => addBudgetLine(doc, { ...line('b'), amounts: { '2028': -500 } })).toThrow(TypeError);
    expect(() => setBudgetAmount(map, 1999, 1)).toThrow(TypeError);
    expect(() => setBudgetLineCell(map, 'costType', 'geschenk' as never)).toThrow(TypeError);
    // @ts-expect-error amounts are written through setBudgetAmount
    expect(() => setBudgetLineCell(map, 'amounts', {})).toThrow(TypeError);
    // @ts-expect-error a description is text
    expect(() => setBudgetLineCell(map, 'description', 5)).toThrow(TypeError);
    expect(readSection(doc, section).lines[0]!.amounts).toEqual({ '2028': 1_250_000 });
  });

  it('budget lines: an amount of a line without its amounts map creates the map and the amount in one transaction', () => {
    const section = kindSection('finanzen', 'budget');
    const doc = new Y.Doc();
    budgetRoots(doc).lines.push([new Y.Map<unknown>([['id', 'bare']])]);
    let transactions = 0;
    doc.on('afterTransaction', () => (transactions += 1));
    setBudgetAmount(budgetRoots(doc).lines.get(0), 2027, 500);
    expect(transactions).toBe(1);
    expect(readSection(doc, section).lines[0]!.amounts).toEqual({ '2027': 500 });
  });

  it('budget lines: two people editing two cells of one line, and two years of it, both keep theirs', () => {
    const section = kindSection('finanzen', 'budget');
    const [a, b, exchange] = replicas((doc) => {
      setBudgetYears(doc, 2027, 2029);
      addBudgetLine(doc, line('x'));
    });
    const lineIn = (doc: Y.Doc) => rowsInOrder(budgetRoots(doc).lines)[0]!;
    setBudgetLineCell(lineIn(a), 'description', 'Wartung');
    setBudgetAmount(lineIn(a), 2028, 700);
    setBudgetLineCell(lineIn(b), 'sachkonto', '5431000');
    setBudgetAmount(lineIn(b), 2029, 900);
    exchange();
    for (const doc of [a, b]) {
      expect(readSection(doc, section).lines[0]).toMatchObject({
        description: 'Wartung',
        account: { sachkonto: '5431000' },
        amounts: { '2027': 100, '2028': 700, '2029': 900 },
      });
    }
  });

  it('choice: an option or none; anything else refused', () => {
    const section = kindSection('klima', 'choice');
    const doc = new Y.Doc();
    setChoiceValue(doc, section, 'nein');
    expect(readSection(doc, section).value).toBe('nein');
    expect(() => setChoiceValue(doc, section, 'vielleicht')).toThrow(TypeError);
    expect(readSection(doc, section).value).toBe('nein');
    setChoiceValue(doc, section, null);
    expect(readSection(doc, section).value).toBeNull();
  });

  it('Anlagen: a new item and its cells read back; concurrent edits of title and öffentlich merge', () => {
    const section = kindSection('anlagen', 'attachments');
    const [a, b, exchange] = replicas((doc) => addAttachment(doc, { id: 'a1', title: 'Lageplan', public: true }));
    setAttachmentCell(rowsInOrder(attachmentsRoots(a).items)[0]!, 'title', 'Lageplan Labor');
    setAttachmentCell(rowsInOrder(attachmentsRoots(b).items)[0]!, 'public', false);
    exchange();
    for (const doc of [a, b]) expect(readSection(doc, section).items).toEqual([{ id: 'a1', title: 'Lageplan Labor', public: false }]);
    // @ts-expect-error öffentlich is a boolean
    expect(() => setAttachmentCell(rowsInOrder(attachmentsRoots(a).items)[0]!, 'public', 'nein')).toThrow(TypeError);
  });

  it('writes nothing when a cell already holds the value', () => {
    const doc = new Y.Doc();
    addAttachment(doc, { id: 'a1', title: 'Lageplan', public: true });
    const item = rowsInOrder(attachmentsRoots(doc).items)[0]!;
    let updates = 0;
    doc.on('update', () => (updates += 1));
    setAttachmentCell(item, 'title', 'Lageplan');
    setAttachmentCell(item, 'public', true);
    expect(updates).toBe(0);
    setAttachmentCell(item, 'title', 'Lageplan, neu');
    expect(updates).toBe(1);
  });
});
