/**
 * The rich-text schema: one Tiptap extension list used by the browser editor,
 * by the server when it seeds sections and reads them back, and by the PDF
 * export. Server and clients must agree, or y-prosemirror silently drops
 * content it does not know.
 */
import { getSchema, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { RichTextDoc } from './content';

export const richTextExtensions: AnyExtension[] = [
  StarterKit.configure({
    // Collaboration brings its own Yjs-aware undo.
    undoRedo: false,
    // Council drafts carry no source code.
    code: false,
    codeBlock: false,
    // It appends a paragraph in every open editor, read-only ones included: a change nobody made,
    // which the server refuses from readers and which concurrent writers duplicate.
    trailingNode: false,
    link: {
      openOnClick: false,
      autolink: true,
      defaultProtocol: 'https',
      protocols: ['http', 'https', 'mailto'],
    },
  }),
  TableKit.configure({ table: { resizable: false } }),
];

export const richTextSchema = getSchema(richTextExtensions);

/** Parses rich-text JSON with the editor schema; throws a readable error when it does not fit. */
export function parseRichText(doc: unknown): ProseMirrorNode {
  const node = richTextSchema.nodeFromJSON(doc);
  node.check();
  return node;
}

/** The canonical form of a rich-text document (default attributes filled in). */
export function canonicalRichText(doc: unknown): RichTextDoc {
  return parseRichText(doc).toJSON() as RichTextDoc;
}

/** Plain text of a rich-text document, blocks separated by a space. */
export function richTextPlain(doc: unknown): string {
  const node = parseRichText(doc);
  return node.textBetween(0, node.content.size, ' ', ' ').replace(/\s+/g, ' ').trim();
}
