/**
 * The files of Anlagen: which kinds a Vorlage may carry, how a file name is
 * cleaned, and how a file is shown (size, short SHA-256). Shared by the
 * server (upload checks, PDF) and the web client (upload field, list).
 *
 * An Anlage in the Yjs section holds only the id of its file (`fileId`); the
 * bytes never go through Yjs. A file is immutable once uploaded: replacing it
 * gives a new id, so a released version keeps exactly the bytes it was released with.
 */

/** The file kinds accepted, by the extension file-type reports for their content. */
export const attachmentFileKinds = [
  { ext: 'pdf', extensions: ['pdf'], mediaType: 'application/pdf', label: 'PDF', noun: 'ein PDF-Dokument' },
  {
    ext: 'docx',
    extensions: ['docx'],
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'DOCX',
    noun: 'ein Word-Dokument (DOCX)',
  },
  {
    ext: 'xlsx',
    extensions: ['xlsx'],
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    label: 'XLSX',
    noun: 'eine Excel-Tabelle (XLSX)',
  },
  { ext: 'png', extensions: ['png'], mediaType: 'image/png', label: 'PNG', noun: 'ein PNG-Bild' },
  { ext: 'jpg', extensions: ['jpg', 'jpeg'], mediaType: 'image/jpeg', label: 'JPEG', noun: 'ein JPEG-Bild' },
] as const;

export type AttachmentFileKind = (typeof attachmentFileKinds)[number];

/** For an `<input type="file" accept>`: the extensions and media types above. */
export const attachmentFileAccept = attachmentFileKinds.flatMap((kind) => [...kind.extensions.map((ext) => `.${ext}`), kind.mediaType]).join(',');

/** "PDF, DOCX, XLSX, PNG und JPEG" for messages. */
export const attachmentFileKindList = `${attachmentFileKinds
  .slice(0, -1)
  .map((kind) => kind.label)
  .join(', ')} und ${attachmentFileKinds.at(-1)!.label}`;

/** The kind a file name claims by its extension (case-insensitive), if it is one accepted. */
export function kindByFileName(fileName: string): AttachmentFileKind | undefined {
  const ext = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return ext === undefined ? undefined : attachmentFileKinds.find((kind) => (kind.extensions as readonly string[]).includes(ext));
}

/** The kind of a detected content type (file-type's `ext`), if it is one accepted. */
export function kindByDetectedExt(ext: string | undefined): AttachmentFileKind | undefined {
  return attachmentFileKinds.find((kind) => kind.ext === ext);
}

const CONTROL_OR_PATH = /[\p{Cc}"\\/:*?<>|]/gu;

/**
 * A file name as the user's system gave it, without any folder part, control characters or
 * characters other systems cannot store; at most 200 characters. Empty when nothing is left.
 */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(CONTROL_OR_PATH, '_').replace(/\s+/g, ' ').trim();
  if (cleaned.replace(/[._ ]/g, '') === '') return '';
  if (cleaned.length <= 200) return cleaned;
  const ext = /\.[^.]{1,10}$/.exec(cleaned)?.[0] ?? '';
  return `${cleaned.slice(0, 200 - ext.length)}${ext}`;
}

/** The title a new Anlage gets from its file: the name without its extension. */
export function titleFromFileName(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '').trim() || fileName;
}

/** "512 Byte", "48 KB", "1,2 MB" (1 KB = 1024 Byte), as a German reader expects. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} Byte`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.max(1, Math.round(kb)).toLocaleString('de-DE')} KB`;
  return `${(kb / 1024).toLocaleString('de-DE', { maximumFractionDigits: 1 })} MB`;
}

/** The first 16 hex digits of a SHA-256, as printed in the PDF's list of Anlagen. */
export function shortSha256(sha256: string): string {
  return sha256.slice(0, 16);
}

/** A file as the REST API describes it (`GET /api/dossiers/:id/attachments`). */
export interface AttachmentFileView {
  fileId: string;
  /** The Anlage (its id in the Anlagen section) that holds the file now; null when none does. */
  anlageId: string | null;
  fileName: string;
  mediaType: string;
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  uploadedAt: string;
  /** The uploader's display name. */
  uploadedBy: string;
  /** The Anlage's öffentlich/nichtöffentlich flag (a file no Anlage holds counts as nichtöffentlich). */
  public: boolean;
}

/** What `POST /api/dossiers/:id/attachments` answers (201). */
export interface AttachmentUploadAnswer extends AttachmentFileView {
  anlageId: string;
}
