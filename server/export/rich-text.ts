/**
 * Rich text (ProseMirror JSON in the editor schema of dossier/schema.ts) to
 * pdfmake content. Every node and mark type of the schema has an entry in
 * `nodeMappings` / `markMappings`; a type without one makes the export fail
 * with an error naming it rather than silently leaving text out of a council
 * document. tests/export/rich-text.test.ts enumerates the schema against these
 * tables, so a new editor extension cannot ship without a mapping.
 */
import { isSafeLink } from '../../dossier/links';
import type { Alignment, Content, ContentTable, Decoration, Inline, InlineText, TableCell } from './pdfmake-types';
import { gridLayout, LINK_COLOR, MUTED_COLOR } from './styles';

export interface RichNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: RichNode[];
  text?: string;
  marks?: RichMark[];
}
export interface RichMark {
  type: string;
  attrs?: Record<string, unknown>;
}

/** Where a block is placed: body text is justified, table cells are not. */
export interface BlockContext {
  alignment: Alignment;
  /** Bookmark of the section; headings inside the text become its children. */
  outlineParentId?: string;
}

export class UnmappedRichTextError extends Error {
  constructor(kind: 'node' | 'mark', type: string, where: string) {
    super(`PDF-Export: ${kind === 'node' ? 'Knotentyp' : 'Auszeichnung'} "${type}" (${where}) hat keine Darstellung im PDF`);
    this.name = 'UnmappedRichTextError';
  }
}

type NodeMapping =
  | { block: (node: RichNode, context: BlockContext) => Content[] }
  | { inline: (node: RichNode, style: Omit<InlineText, 'text'>) => InlineText[] }
  /** Rendered by the parent's mapping (a list item by its list, a cell by its table). */
  | { partOf: string };

export const markMappings: Record<string, (style: Omit<InlineText, 'text'>, mark: RichMark) => Omit<InlineText, 'text'>> = {
  bold: (style) => ({ ...style, bold: true }),
  italic: (style) => ({ ...style, italics: true }),
  underline: (style) => ({ ...style, decoration: addDecoration(style.decoration, 'underline') }),
  strike: (style) => ({ ...style, decoration: addDecoration(style.decoration, 'lineThrough') }),
  link: (style, mark) => {
    // a target that is no web or e-mail address (javascript:, …) prints as plain text
    const href = isSafeLink(mark.attrs?.href) ? mark.attrs.href : '';
    return href ? { ...style, link: href, color: LINK_COLOR, decoration: addDecoration(style.decoration, 'underline') } : style;
  },
};

export const nodeMappings: Record<string, NodeMapping> = {
  doc: { block: (node, context) => blocks(node.content, context) },
  paragraph: {
    // Empty paragraphs are the editor's spacing; the PDF spaces blocks by its own layout.
    block: (node, context) => (hasText(node) ? [{ text: inlines(node.content), alignment: context.alignment, style: 'paragraph' }] : []),
  },
  heading: {
    block: (node, context) => {
      const level = typeof node.attrs?.level === 'number' ? node.attrs.level : 2;
      if (!hasText(node)) return [];
      return [
        {
          text: inlines(node.content),
          style: level <= 2 ? 'richHeading1' : level === 3 ? 'richHeading2' : 'richHeading3',
          headlineLevel: level,
          ...(context.outlineParentId ? { outline: true, outlineText: plainText(node), outlineParentId: context.outlineParentId } : {}),
        },
      ];
    },
  },
  blockquote: {
    block: (node, context) => [
      {
        table: { widths: ['*'], body: [[{ stack: blocks(node.content, { ...context, outlineParentId: undefined }) }]] },
        layout: {
          hLineWidth: () => 0,
          vLineWidth: (column) => (column === 0 ? 2 : 0),
          vLineColor: () => '#9a9a9a',
          paddingLeft: () => 10,
          paddingRight: () => 0,
          paddingTop: () => 2,
          paddingBottom: () => 0,
        },
        color: '#333333',
        style: 'block',
      },
    ],
  },
  bulletList: {
    block: (node, context) => [{ ul: listItems(node, context), style: 'list' }],
  },
  orderedList: {
    block: (node, context) => {
      const start = typeof node.attrs?.start === 'number' ? node.attrs.start : 1;
      const type = orderedListTypes[String(node.attrs?.type ?? '1')];
      return [{ ol: listItems(node, context), start, ...(type ? { type } : {}), style: 'list' }];
    },
  },
  listItem: { partOf: 'bulletList/orderedList' },
  horizontalRule: {
    block: () => [
      {
        table: { widths: ['*'], body: [['']] },
        layout: { hLineWidth: (row) => (row === 0 ? 0.75 : 0), vLineWidth: () => 0, hLineColor: () => '#9a9a9a' },
        style: 'block',
      },
    ],
  },
  table: { block: (node) => [table(node)] },
  tableRow: { partOf: 'table' },
  tableHeader: { partOf: 'table' },
  tableCell: { partOf: 'table' },
  text: {
    inline: (node, style) => {
      const marked = (node.marks ?? []).reduce((current, mark) => {
        const apply = markMappings[mark.type];
        if (!apply) throw new UnmappedRichTextError('mark', mark.type, 'in einem Text');
        return apply(current, mark);
      }, style);
      return [{ ...marked, text: node.text ?? '' }];
    },
  },
  hardBreak: { inline: () => [{ text: '\n' }] },
};

const orderedListTypes: Record<string, 'lower-alpha' | 'upper-alpha' | 'lower-roman' | 'upper-roman' | undefined> = {
  '1': undefined,
  a: 'lower-alpha',
  A: 'upper-alpha',
  i: 'lower-roman',
  I: 'upper-roman',
};

function addDecoration(current: Decoration | Decoration[] | undefined, decoration: Decoration): Decoration[] {
  const list = current === undefined ? [] : Array.isArray(current) ? current : [current];
  return list.includes(decoration) ? list : [...list, decoration];
}

function mappingOf(node: RichNode): NodeMapping {
  const mapping = nodeMappings[node.type];
  if (!mapping) throw new UnmappedRichTextError('node', node.type, 'im Text');
  return mapping;
}

/** Block nodes in order; `content` of a doc, blockquote, list item or cell. */
export function blocks(content: RichNode[] | undefined, context: BlockContext): Content[] {
  const result: Content[] = [];
  for (const node of content ?? []) {
    const mapping = mappingOf(node);
    if (!('block' in mapping)) throw new UnmappedRichTextError('node', node.type, 'als eigener Absatz');
    result.push(...mapping.block(node, context));
  }
  return result;
}

/**
 * Inline nodes of a paragraph or heading. On paper a link cannot be clicked,
 * so its target is printed after the linked words unless they already show it.
 */
export function inlines(content: RichNode[] | undefined): Inline[] {
  const result: Inline[] = [];
  let openLink: { href: string; text: string } | undefined;
  const closeLink = () => {
    if (openLink && !sameTarget(openLink.text, openLink.href)) {
      result.push({ text: ` (${openLink.href.replace(/^mailto:/, '')})`, color: MUTED_COLOR, fontSize: 8.5 });
    }
    openLink = undefined;
  };
  for (const node of content ?? []) {
    const mapping = mappingOf(node);
    if (!('inline' in mapping)) throw new UnmappedRichTextError('node', node.type, 'innerhalb eines Absatzes');
    const href = node.marks?.find((mark) => mark.type === 'link')?.attrs?.href;
    const linkTarget = isSafeLink(href) ? href : undefined;
    if (openLink && openLink.href !== linkTarget) closeLink();
    if (linkTarget) {
      openLink ??= { href: linkTarget, text: '' };
      openLink.text += node.text ?? '';
    }
    result.push(...mapping.inline(node, {}));
  }
  closeLink();
  return result;
}

function sameTarget(text: string, href: string): boolean {
  const bare = (value: string) =>
    value
      .trim()
      .replace(/^(https?:\/\/|mailto:)/, '')
      .replace(/\/$/, '');
  return bare(text) === bare(href);
}

function listItems(list: RichNode, context: BlockContext): Content[] {
  return (list.content ?? []).map((item) => {
    if (item.type !== 'listItem') throw new UnmappedRichTextError('node', item.type, `in ${list.type}`);
    const content = blocks(item.content, context);
    // An empty item still takes its number: the numbering of a Beschlussvorschlag must not shift.
    return content.length === 0 ? { text: '' } : content.length === 1 ? content[0]! : { stack: content };
  });
}

const cellTypes = new Set(['tableCell', 'tableHeader']);

/**
 * Tables keep their header rows (leading rows of header cells) on every page
 * they continue on. Spanned cells become pdfmake's colSpan/rowSpan with the
 * empty placeholder objects pdfmake expects at covered positions.
 */
function table(node: RichNode): ContentTable {
  const rows = node.content ?? [];
  const grid: (TableCell | undefined)[][] = rows.map(() => []);
  rows.forEach((row, r) => {
    if (row.type !== 'tableRow') throw new UnmappedRichTextError('node', row.type, 'in einer Tabelle');
    let c = 0;
    for (const cell of row.content ?? []) {
      if (!cellTypes.has(cell.type)) throw new UnmappedRichTextError('node', cell.type, 'in einer Tabellenzeile');
      while (grid[r]![c] !== undefined) c += 1;
      const colSpan = positiveInt(cell.attrs?.colspan);
      const rowSpan = Math.min(positiveInt(cell.attrs?.rowspan), rows.length - r);
      const align = cell.attrs?.align;
      const alignment: Alignment = align === 'center' || align === 'right' ? align : 'left';
      const header = cell.type === 'tableHeader';
      grid[r]![c] = {
        stack: blocks(cell.content, { alignment }),
        ...(header ? { style: 'tableHeader', fillColor: '#e8e8e8' } : {}),
        ...(colSpan > 1 ? { colSpan } : {}),
        ...(rowSpan > 1 ? { rowSpan } : {}),
      };
      for (let dr = 0; dr < rowSpan; dr += 1) {
        for (let dc = 0; dc < colSpan; dc += 1) if (dr || dc) grid[r + dr]![c + dc] = {};
      }
      c += colSpan;
    }
  });
  const columns = Math.max(1, ...grid.map((row) => row.length));
  const body: TableCell[][] = grid.map((row) => Array.from({ length: columns }, (_, c) => row[c] ?? ''));
  const headerRows = rows.findIndex((row) => !(row.content ?? []).every((cell) => cell.type === 'tableHeader'));
  return {
    table: { widths: Array.from({ length: columns }, () => '*'), body, headerRows: headerRows === -1 ? rows.length : headerRows, dontBreakRows: true },
    layout: gridLayout,
    style: 'richTable',
  };
}

function positiveInt(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 1;
}

function hasText(node: RichNode): boolean {
  // any inline node but text (a hard break, a type without mapping) counts, so an unmapped one still fails the export
  return (node.content ?? []).some((child) => child.type !== 'text' || (child.text ?? '').trim() !== '');
}

export function plainText(node: RichNode): string {
  if (node.text !== undefined) return node.text;
  return (node.content ?? [])
    .map(plainText)
    .join(node.type === 'doc' ? ' ' : '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A whole rich-text document as blocks; an empty document gives none. */
export function richText(doc: unknown, context: BlockContext): Content[] {
  const root = doc as RichNode | null;
  if (!root || typeof root !== 'object' || root.type !== 'doc') return [];
  return blocks(root.content, context);
}
