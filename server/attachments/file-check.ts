/**
 * What an uploaded file must be before anything is stored: not empty, not larger than the limit, one of the
 * accepted kinds by its content (file-type reads the bytes; DOCX and XLSX are told apart by their parts, not
 * only as ZIPs), and named with an extension of that same kind — a PNG called "bericht.pdf" is refused.
 */
import { fileTypeFromBuffer } from 'file-type';
import { attachmentFileKindList, cleanFileName, kindByDetectedExt, kindByFileName, type AttachmentFileKind } from '../../dossier/attachment-files';

/** A refused file: the HTTP status (400, 413, 415) and a German message for the user. */
export class AttachmentFileRefused extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentFileRefused';
  }
}

export const tooLargeMessage = (maxBytes: number) => `Die Datei ist zu groß: höchstens ${Math.floor(maxBytes / (1024 * 1024))} MB.`;

export async function checkAttachmentFile(bytes: Uint8Array, rawFileName: string, maxBytes: number): Promise<{ fileName: string; kind: AttachmentFileKind }> {
  const fileName = cleanFileName(rawFileName);
  if (fileName === '') throw new AttachmentFileRefused(400, 'Die Datei braucht einen Namen (Kopfzeile X-File-Name).');
  if (bytes.byteLength === 0) throw new AttachmentFileRefused(400, `Die Datei „${fileName}“ ist leer.`);
  if (bytes.byteLength > maxBytes) throw new AttachmentFileRefused(413, tooLargeMessage(maxBytes));
  const claimed = kindByFileName(fileName);
  if (!claimed) throw new AttachmentFileRefused(415, `„${fileName}“ kann keine Anlage werden: Als Anlage gehen nur ${attachmentFileKindList}.`);
  const detected = kindByDetectedExt((await fileTypeFromBuffer(bytes))?.ext);
  if (!detected) {
    throw new AttachmentFileRefused(
      415,
      `„${fileName}“ ist dem Inhalt nach nicht ${claimed.noun}, wie die Endung sagt, und auch keine andere zulässige Datei (${attachmentFileKindList}).`,
    );
  }
  if (detected !== claimed) {
    throw new AttachmentFileRefused(
      415,
      `„${fileName}“ ist dem Inhalt nach ${detected.noun}, nicht ${claimed.noun}, wie die Endung sagt. Bitte mit der passenden Endung hochladen.`,
    );
  }
  return { fileName, kind: detected };
}
