/**
 * The files of Anlagen (dossier/attachment-files.ts): stored in the database with their SHA-256, immutable once
 * uploaded. A released version records which files it holds (id, SHA-256, öffentlich) in its own table, and a
 * file a version holds is never deleted.
 */

/** A stored file, without its bytes. */
export interface AttachmentFileRecord {
  id: string;
  dossierId: string;
  /** As the uploader's system named it, cleaned (`cleanFileName`). */
  fileName: string;
  /** The media type detected from the content, not the one the browser sent. */
  mediaType: string;
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  /** The uploader's user id. */
  uploadedBy: string;
  uploadedAt: string;
}

/** A file as a released version holds it: recorded in the same transaction as the version. */
export interface VersionAttachmentFileRecord {
  fileId: string;
  /** The Anlage that held it at release. */
  anlageId: string;
  /** The Anlage's öffentlich/nichtöffentlich flag at release. */
  public: boolean;
  /** The SHA-256 of the file at release. */
  sha256: string;
}

export interface AttachmentStore {
  /** Stores a new file; an id is never stored twice. */
  add(file: AttachmentFileRecord, bytes: Uint8Array): Promise<void>;
  /** The dossier's files, without their bytes, in upload order. */
  list(dossierId: string): Promise<AttachmentFileRecord[]>;
  get(dossierId: string, fileId: string): Promise<AttachmentFileRecord | undefined>;
  bytes(dossierId: string, fileId: string): Promise<Uint8Array | undefined>;
  /** Deletes a file unless a released version holds it; returns whether it was deleted. */
  deleteUnlessReleased(dossierId: string, fileId: string): Promise<boolean>;
  /**
   * The files a released version holds. The SQLite storage records them when the version's Anlagen section is
   * stored (a trigger on `version_sections`: the `fileId`s of its items that are files of the dossier), so a
   * version and its files are one transaction; another storage must do the same in `createVersion`.
   */
  ofVersion(dossierId: string, version: number): Promise<VersionAttachmentFileRecord[]>;
  /**
   * After the dossier's Anlagen section was stored, with the files its Anlagen hold now (`referenced`): a file
   * that is held again loses its mark; every other file of the dossier no released version holds is marked as
   * unreferenced since `now` (unless it already is); the marked ones unreferenced since `removeUpTo` or earlier
   * are deleted. Returns the deleted files. Why files are kept for a while: server/attachments/unreferenced-files.ts.
   */
  sweepUnreferenced(dossierId: string, referenced: readonly string[], now: string, removeUpTo: string): Promise<AttachmentFileRecord[]>;
}
