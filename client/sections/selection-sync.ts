/**
 * The editor acts on the selection the user sees. ProseMirror learns of a
 * selection made by the browser (Ctrl+End, Shift+Home, a click) from the
 * `selectionchange` event, which the browser queues as a task of its own and
 * which ProseMirror ignores once focus has left the editor. On a busy page a
 * key pressed right after such a move arrives first: Enter split the
 * paragraph where the caret had been before Ctrl+End, and Alt+F10 carried a
 * selection made with Shift+Home to the toolbar as an empty one, so "Fett"
 * formatted nothing. Before a key is handled (RichTextEditor's handleKeyDown,
 * which runs before every plugin's), the editor therefore takes over the
 * browser's selection when it differs from its own; so it does before a
 * colleague's change is applied, which would otherwise map and put back the
 * old caret (seen in CI: End, then typing, wrote at the paragraph's start).
 */
import { TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

/** Makes the editor's selection the one the browser shows, if that lies in this editor and differs. */
export function takeSelectionFromScreen(view: EditorView): void {
  // while composing (dead keys, IME) the browser owns the text and the selection; ProseMirror reads both afterwards
  if (view.composing || !view.hasFocus() || !(view.state.selection instanceof TextSelection)) return;
  const shown = view.dom.ownerDocument.getSelection();
  if (!shown?.anchorNode || !shown.focusNode || !view.dom.contains(shown.anchorNode) || !view.dom.contains(shown.focusNode)) return;
  let anchor: number;
  let head: number;
  try {
    anchor = view.posAtDOM(shown.anchorNode, shown.anchorOffset);
    head = view.posAtDOM(shown.focusNode, shown.focusOffset);
  } catch {
    return; // a node ProseMirror does not describe (a caret of another user, a widget): leave its selection alone
  }
  const { selection, doc } = view.state;
  if (anchor === selection.anchor && head === selection.head) return;
  const next = TextSelection.between(doc.resolve(anchor), doc.resolve(head));
  if (!next.eq(selection)) view.dispatch(view.state.tr.setSelection(next));
}
