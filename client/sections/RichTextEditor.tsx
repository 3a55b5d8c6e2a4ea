/**
 * A rich-text field bound to one XML fragment of a section document: the
 * shared extension list (`richTextExtensions`) plus Collaboration (Yjs undo)
 * and CollaborationCaret (names and colours of the others). It has no toolbar
 * of its own: it tells the page's one toolbar (./formatting) when it gets
 * focus, and asks for it on Alt+F10 and for the link input on Ctrl+K.
 */
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { Editor } from '@tiptap/core';
import { EditorContent, useEditor } from '@tiptap/react';
import { cleanText } from '../../dossier/text';
import { useEffect, useRef } from 'react';
import { richTextExtensions } from '../../dossier/schema';
import type { SectionConnection } from '../collab/session';
import type { Identity } from '../identity';
import { type FormattingTarget, useFormatting } from './formatting';
import { takeSelectionFromScreen } from './selection-sync';
import { SentenceUndo } from './sentence-undo';
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
  const formatting = useFormatting();
  // the editor's key handler is made once per editor: it reads the current target from here
  const target = useRef<Omit<FormattingTarget, 'editor'>>({ label, editable });
  target.current = { label, editable };
  const current = useRef<Editor | null>(null);
  const select = () => {
    if (current.current && formatting) formatting.select({ editor: current.current, ...target.current });
    return false;
  };
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
        // a read-only field cannot take focus: a click shows in the toolbar why it does nothing
        handleDOMEvents: { focus: select, mousedown: select },
        handleKeyDown: (view, event) => {
          // these props run before the plugins' keymaps: Enter, shortcuts and the toolbar act on the selection the user sees
          takeSelectionFromScreen(view);
          if (!formatting || !target.current.editable) return false;
          const kind =
            event.key === 'F10' && event.altKey
              ? 'toolbar'
              : event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey
                ? 'link'
                : null;
          if (!kind || !current.current) return false;
          formatting.ask({ editor: current.current, ...target.current }, kind);
          return true;
        },
        attributes: {
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': label,
          ...(editable && formatting ? { 'aria-keyshortcuts': 'Alt+F10 Control+K' } : {}),
          ...(editable ? {} : { 'aria-readonly': 'true' }),
        },
      },
    },
    [connection, field, editable],
  );

  useEffect(() => {
    editor?.setEditable(editable);
  }, [editor, editable]);

  useEffect(() => {
    if (!editor) return;
    // a colleague's change arriving between a caret move (End, a click) and its selectionchange would put the caret
    // back where ProseMirror last saw it: the editor takes the browser's selection before the change is applied
    const beforeRemoteChange = () => {
      if (!editor.isDestroyed) takeSelectionFromScreen(editor.view);
    };
    connection.provider.on('message', beforeRemoteChange);
    return () => void connection.provider.off('message', beforeRemoteChange);
  }, [editor, connection]);

  current.current = editor;
  const release = formatting?.release;
  useEffect(() => {
    if (!editor || !release) return;
    return () => release(editor);
  }, [editor, release]);

  return (
    <div className={`rich-text${editable ? '' : ' rich-text--readonly'}`}>
      <EditorContent editor={editor} className="rich-text__content" />
    </div>
  );
}
