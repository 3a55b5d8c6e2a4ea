/** Rich text using every node and mark type of the editor schema, each with a text that tells where it is. */
import type { RichTextDoc } from '../../dossier/content';
import { bold, br, doc, h, italic, li, link, ol, p, quote, strike, ul, underline } from '../../dossier/rich-text';

export const everyNodeAndMark: RichTextDoc = doc(
  h(2, 'Überschrift zwei'),
  h(3, 'Überschrift drei'),
  h(4, 'Überschrift vier'),
  p(
    'Absatz mit ',
    bold('fettem Wort'),
    ', ',
    italic('kursivem Wort'),
    ', ',
    underline('unterstrichenem Wort'),
    ', ',
    strike('durchgestrichenem Wort'),
    ' und ',
    link('Verweis', 'https://example.org/satzung'),
    '.',
  ),
  p('Erste Zeile', br(), 'zweite Zeile nach hartem Umbruch'),
  ul(li('Punkt außen', ol('Nummer innen eins', 'Nummer innen zwei')), 'Punkt außen zwei'),
  { type: 'orderedList', attrs: { start: 3, type: 'a' }, content: [li('Buchstabe c'), li('Buchstabe d')] },
  quote(p('Zitat einer Bürgerin')),
  { type: 'horizontalRule' },
  {
    type: 'table',
    content: [
      {
        type: 'tableRow',
        content: [
          { type: 'tableHeader', attrs: { colspan: 2 }, content: [p('Kopf über zwei Spalten')] },
          { type: 'tableHeader', content: [p('Kopf drei')] },
        ],
      },
      {
        type: 'tableRow',
        content: [
          { type: 'tableCell', attrs: { rowspan: 2 }, content: [p('Zelle über zwei Zeilen')] },
          { type: 'tableCell', content: [p('Zelle B2')] },
          { type: 'tableCell', attrs: { align: 'right' }, content: [p('Zelle C2')] },
        ],
      },
      {
        type: 'tableRow',
        content: [
          { type: 'tableCell', content: [p('Zelle B3')] },
          { type: 'tableCell', content: [p('Zelle C3')] },
        ],
      },
    ],
  },
);

/** Every node and mark type name a document uses. */
export function typesUsed(node: unknown, found = { nodes: new Set<string>(), marks: new Set<string>() }) {
  const { type, content, marks } = node as { type: string; content?: unknown[]; marks?: { type: string }[] };
  found.nodes.add(type);
  for (const mark of marks ?? []) found.marks.add(mark.type);
  for (const child of content ?? []) typesUsed(child, found);
  return found;
}
