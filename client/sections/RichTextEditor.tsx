/**
 * A rich-text field bound to one XML fragment of a section document: the
 * shared extension list (`richTextExtensions`) plus Collaboration (Yjs undo)
 * and CollaborationCaret (names and colours of the others).
 */
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import { cleanText } from '../../dossier/text';
import { useEffect } from 'react';
import { richTextExtensions } from '../../dossier/schema';
import type { SectionConnection } from '../collab/session';
import type { Identity } from '../identity';
import { SentenceUndo } from './sentence-undo';
import { Toolbar } from './Toolbar';
import './prosemirror-base.css';

export function RichTextEditor({
  connection,
  field,
  label,
  identity,
  editable,
}: {
  connection: SectionConnection;
  /** Name of the Y.XmlFragment in the section document. */
  field: string;
  /** Accessible name of the editing area. */
  label: string;
  identity: Identity;
  editable: boolean;
}) {
  const editor = useEditor(
    {
      extensions: [
        ...richTextExtensions,
        Collaboration.configure({ document: connection.doc, field }),
        SentenceUndo,
        ...(editable
          ? [CollaborationCaret.configure({ provider: connection.provider, user: { id: identity.id, name: identity.name, color: identity.color } })]
          : []),
      ],
      editable,
      // Tiptap would add its base CSS as an inline <style>, which the Content-Security-Policy refuses: prosemirror-base.css
      injectCSS: false,
      editorProps: {
        // Word and PDFs bring control characters the server refuses (see dossier/text.ts)
        transformPastedText: cleanText,
        transformPastedHTML: cleanText,
        attributes: {
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': label,
          ...(editable ? {} : { 'aria-readonly': 'true' }),
        },
      },
    },
    [connection, field, editable],
  );

  useEffect(() => {
    editor?.setEditable(editable);
  }, [editor, editable]);

  return (
    <div className={`rich-text${editable ? '' : ' rich-text--readonly'}`}>
      {editable && editor && <Toolbar editor={editor} label={label} />}
      <EditorContent editor={editor} className="rich-text__content" />
    </div>
  );
}
