/**
 * Undo steps in rich text end at sentences and clauses (collab/undo-steps.ts):
 * before a typed letter starts a new one, at Enter, and where typing turns
 * into deleting, pasting or a shortcut command; a pause of UNDO_PAUSE_MS ends
 * one too. The Collaboration extension's Y.UndoManager tracks only this
 * editor's own changes (origin ySyncPluginKey), so an undo never takes back
 * another user's text.
 */
import { Extension } from '@tiptap/core';
import { Plugin, type EditorState } from '@tiptap/pm/state';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { UNDO_PAUSE_MS, startsUndoStep, type EditKind } from '../collab/undo-steps';

const undoManagerOf = (state: EditorState) => yUndoPluginKey.getState(state)?.undoManager;
const stopCapturing = (undoManager: Y.UndoManager | undefined) => undoManager && Y.UndoManager.prototype.stopCapturing.call(undoManager);

export const SentenceUndo = Extension.create({
  name: 'sentenceUndo',
  addProseMirrorPlugins() {
    let last: EditKind | null = null;
    /** Ends the current step unless this edit continues one of the same kind. */
    const edit = (state: EditorState, kind: EditKind, boundary = false) => {
      if (boundary || last !== kind) stopCapturing(undoManagerOf(state));
      last = kind;
    };
    return [
      new Plugin({
        view(view) {
          const undoManager = undoManagerOf(view.state);
          if (undoManager) {
            undoManager.captureTimeout = UNDO_PAUSE_MS;
            // y-tiptap (3.0.9) stops capturing at every transaction after a remote change (its addToHistory flag stays false
            // until the next local one), so the others' typing would cut this user's steps into pieces: steps end only here
            undoManager.stopCapturing = () => undefined;
          }
          return {};
        },
        props: {
          handleTextInput(view, from, _to, text) {
            const $from = view.state.doc.resolve(from);
            edit(view.state, 'type', startsUndoStep($from.parent.textBetween(0, $from.parentOffset, undefined, '\ufffc'), text));
            return false;
          },
          handleKeyDown(view, event) {
            const command = event.ctrlKey || event.metaKey || event.altKey;
            if (event.key === 'Enter' && !command) {
              // the new paragraph begins a step, and what is typed into it joins that step
              edit(view.state, 'type', true);
            } else if ((event.key === 'Backspace' || event.key === 'Delete') && !command) {
              edit(view.state, 'delete');
            } else if (command && event.key.length === 1 && !['z', 'y'].includes(event.key.toLowerCase())) {
              // a shortcut command (Ctrl+B, Ctrl+V, …); moving the caret (Ctrl+End, Ctrl+←) is no edit
              edit(view.state, 'other', true);
            } else if (command) {
              last = null;
            }
            return false;
          },
          handlePaste(view) {
            edit(view.state, 'other', true);
            return false;
          },
          handleDrop(view) {
            edit(view.state, 'other', true);
            return false;
          },
        },
      }),
    ];
  },
});
