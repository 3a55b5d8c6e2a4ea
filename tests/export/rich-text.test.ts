import { describe, expect, it } from 'vitest';
import { doc, link, p } from '../../dossier/rich-text';
import { canonicalRichText, richTextSchema } from '../../dossier/schema';
import type { ContentOl, ContentTable, ContentText } from '../../server/export/pdfmake-types';
import { markMappings, nodeMappings, richText, UnmappedRichTextError } from '../../server/export/rich-text';
import { everyNodeAndMark, typesUsed } from './fixtures';
import { pdfText, renderDossier } from './support';

const body = { alignment: 'justify' as const };

describe('rich text to PDF', () => {
  it('has a mapping for every node and mark type of the editor schema', () => {
    // A new editor extension fails here until the PDF knows how to print it.
    for (const type of Object.keys(richTextSchema.nodes)) expect(nodeMappings, `node type "${type}"`).toHaveProperty(type);
    for (const type of Object.keys(richTextSchema.marks)) expect(markMappings, `mark type "${type}"`).toHaveProperty(type);
  });

  it('has a fixture that uses every node and mark type of the schema', () => {
    const used = typesUsed(canonicalRichText(everyNodeAndMark));
    expect([...used.nodes].sort()).toEqual(Object.keys(richTextSchema.nodes).sort());
    expect([...used.marks].sort()).toEqual(Object.keys(richTextSchema.marks).sort());
  });

  it('refuses a node or mark it cannot print instead of dropping it', () => {
    expect(() => richText({ type: 'doc', content: [{ type: 'codeBlock', content: [{ type: 'text', text: 'x' }] }] }, body)).toThrow(UnmappedRichTextError);
    expect(() => richText(doc(p({ type: 'text', text: 'x', marks: [{ type: 'highlight' } as never] })), body)).toThrow(/Auszeichnung "highlight"/);
  });

  it('prints a link target that is no web or e-mail address as plain text', () => {
    const [paragraph] = richText(
      doc(p({ type: 'text', text: 'Klick', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }, link('Rathaus', 'https://www.musterstadt.de'))),
      body,
    ) as ContentText[];
    expect(JSON.stringify(paragraph)).not.toContain('javascript');
    expect(paragraph!.text).toEqual(expect.arrayContaining([expect.objectContaining({ text: 'Rathaus', link: 'https://www.musterstadt.de' })]));
  });

  it('maps spans, list numbering and header rows to pdfmake structure', () => {
    const content = richText(canonicalRichText(everyNodeAndMark), body);
    const table = content.find((block): block is ContentTable => typeof block === 'object' && 'table' in block && block.table.body.length === 3)!;
    expect(table.table.headerRows).toBe(1);
    expect(table.table.body[0]).toMatchObject([{ colSpan: 2 }, {}, { style: 'tableHeader' }]);
    expect(table.table.body[1]![0]).toMatchObject({ rowSpan: 2 });
    // the position covered by the row span is pdfmake's empty placeholder
    expect(table.table.body[2]![0]).toEqual({});
    const letters = content.find((block): block is ContentOl => typeof block === 'object' && 'ol' in block && block.start === 3)!;
    expect(letters.type).toBe('lower-alpha');
    const paragraph = content.find((block): block is ContentText => typeof block === 'object' && 'text' in block && block.alignment === 'justify')!;
    expect(paragraph.text).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: 'fettem Wort', bold: true }), expect.objectContaining({ link: 'https://example.org/satzung' })]),
    );
  });

  it('prints every piece of the fixture into the PDF, with link targets spelled out', async () => {
    const { pdf } = await renderDossier({ ausgangslage: everyNodeAndMark });
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    for (const piece of [
      'Überschrift zwei',
      'Überschrift drei',
      'Überschrift vier',
      'fettem Wort',
      'kursivem Wort',
      'unterstrichenem Wort',
      'durchgestrichenem Wort',
      'Verweis (https://example.org/satzung)',
      'Erste Zeile zweite Zeile nach hartem Umbruch',
      'Punkt außen',
      'Nummer innen eins',
      'Buchstabe c',
      'Zitat einer Bürgerin',
      'Kopf über zwei Spalten',
      'Zelle über zwei Zeilen',
      'Zelle C3',
    ]) {
      expect(text).toContain(piece);
    }
    expect(text).toMatch(/c\.\s*Buchstabe c\s*d\.\s*Buchstabe d/);
  });
});
