/**
 * Small builders for rich-text JSON in the editor schema, for content written
 * in code: demo data and test fixtures.
 */
import type { RichTextDoc } from './content';

type Mark = { type: 'bold' | 'italic' | 'underline' | 'strike' } | { type: 'link'; attrs: { href: string } };
export type Inline = { type: 'text'; text: string; marks?: Mark[] } | { type: 'hardBreak' };
export type Block = Record<string, unknown>;

const inline = (parts: (string | Inline)[]): Inline[] => parts.map((part) => (typeof part === 'string' ? { type: 'text', text: part } : part));

export const doc = (...content: Block[]): RichTextDoc => ({ type: 'doc', content });
export const p = (...parts: (string | Inline)[]): Block => (parts.length ? { type: 'paragraph', content: inline(parts) } : { type: 'paragraph' });
export const h = (level: 2 | 3 | 4, text: string): Block => ({ type: 'heading', attrs: { level }, content: [{ type: 'text', text }] });
export const bold = (text: string): Inline => ({ type: 'text', text, marks: [{ type: 'bold' }] });
export const italic = (text: string): Inline => ({ type: 'text', text, marks: [{ type: 'italic' }] });
export const underline = (text: string): Inline => ({ type: 'text', text, marks: [{ type: 'underline' }] });
export const strike = (text: string): Inline => ({ type: 'text', text, marks: [{ type: 'strike' }] });
export const link = (text: string, href: string): Inline => ({ type: 'text', text, marks: [{ type: 'link', attrs: { href } }] });
export const br = (): Inline => ({ type: 'hardBreak' });

/** A list item: a paragraph, optionally followed by a nested list. */
export const li = (text: string | (string | Inline)[], nested?: Block): Block => ({
  type: 'listItem',
  content: [p(...(typeof text === 'string' ? [text] : text)), ...(nested ? [nested] : [])],
});
export const ul = (...items: (string | Block)[]): Block => ({ type: 'bulletList', content: items.map((i) => (typeof i === 'string' ? li(i) : i)) });
export const ol = (...items: (string | Block)[]): Block => ({
  type: 'orderedList',
  attrs: { start: 1 },
  content: items.map((i) => (typeof i === 'string' ? li(i) : i)),
});
export const quote = (...content: Block[]): Block => ({ type: 'blockquote', content });

/** A table whose first row is a header row. */
export const table = (header: string[], ...rows: string[][]): Block => ({
  type: 'table',
  content: [
    { type: 'tableRow', content: header.map((text) => ({ type: 'tableHeader', content: [p(text)] })) },
    ...rows.map((row) => ({ type: 'tableRow', content: row.map((text) => ({ type: 'tableCell', content: [p(...(text ? [text] : []))] })) })),
  ],
});
