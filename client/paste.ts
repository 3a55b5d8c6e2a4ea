/**
 * Pasted text is cleaned before it reaches a Vorlage: Word and PDFs bring
 * control characters (Word's soft line break U+000B, page breaks) that the
 * server refuses. Form fields are cleaned here, for the whole page; the
 * rich-text editors clean in their own paste handling (RichTextEditor).
 */
import { cleanText } from '../dossier/text';

export function cleanPastesIntoFields(): void {
  addEventListener(
    'paste',
    (event) => {
      const target = event.target;
      if (!(target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      const cleaned = cleanText(text);
      if (cleaned === text) return;
      event.preventDefault();
      // inserts like typing: the field's input event fires, undo keeps working
      document.execCommand('insertText', false, target instanceof HTMLInputElement ? cleaned.replace(/\n/g, ' ') : cleaned);
    },
    true,
  );
}
