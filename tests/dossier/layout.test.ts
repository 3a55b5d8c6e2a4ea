import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { budgetContentSchema, sectionContentSchemas } from '../../dossier/content';
import { budgetRoots, consultationRoots, documentName, headerRoots, parseDocumentName, readSection, writeSection } from '../../dossier/layout';
import { canonicalRichText } from '../../dossier/schema';
import { findSection, type Template } from '../../dossier/template';
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
      const content = demoContents[section.id] ?? (section.kind === 'signatures' ? { status: 'draft', version: null, referenceNumber: null, requested: [], items: [] } : undefined);
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

    const consultation = findSection(template, 'beratungsfolge')! as Extract<ReturnType<typeof findSection>, { kind: 'consultation' }>;
    const rowsDoc = new Y.Doc();
    const rows = consultationRoots(rowsDoc).rows as unknown as Y.Array<unknown>;
    rows.push(['kein Eintrag', new Y.Map<unknown>([['id', 'x'], ['role', 'veto'], ['public', 'ja'], ['date', '2027-02-30x']])]);
    expect(readSection(rowsDoc, consultation)).toEqual({ rows: [{ id: 'x', body: '', date: '', role: 'vorberatung', public: false, result: '' }] });

    const budget = findSection(template, 'finanzen')! as Extract<ReturnType<typeof findSection>, { kind: 'budget' }>;
    const budgetDoc = new Y.Doc();
    const line = new Y.Map<unknown>([['id', 'l'], ['costType', 'geschenk'], ['amounts', new Y.Map<unknown>([['2027', 12.5], ['2028', 700], ['abcd', 1], ['2029', Number.MAX_SAFE_INTEGER]])]]);
    budgetRoots(budgetDoc).lines.push([line]);
    const read2 = readSection(budgetDoc, budget);
    expect(budgetContentSchema.safeParse(read2).success).toBe(true);
    expect(read2.lines[0]).toMatchObject({ costType: 'sach', amounts: { '2028': 700 } });
  });
});
