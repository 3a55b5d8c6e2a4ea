/**
 * A dossier as one fixed, self-contained record: what the PDF export renders
 * and what a released version stores. Plain JSON (no Maps, no Dates), so it
 * crosses worker threads, goes into the database and reaches the web client
 * unchanged; the same snapshot always gives the same PDF.
 */
import type { DossierStatus } from './status';

/** A department as printed: named in the snapshot, so a later renaming does not change a released Vorlage. */
export interface SnapshotDepartment {
  id: string;
  name: string;
  /** Kürzel, e.g. "SC" (the last part of a Vorlagen-Nr.). */
  shortName: string;
}

/** Who released the version, and when; absent for the current (draft) state. */
export interface SnapshotVersion {
  /** 1 for the first release, 2 after a Neufassung … */
  number: number;
  releasedAt: string;
  /** The clerk's display name. */
  releasedBy: string;
}

/** A file of an Anlage as printed in the list of Anlagen (the bytes stay in storage). */
export interface SnapshotAttachmentFile {
  fileName: string;
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
}

export interface DossierSnapshot {
  id: string;
  templateId: string;
  title: string;
  status: DossierStatus;
  referenceNumber: string | null;
  leadDepartment: SnapshotDepartment;
  involvedDepartments: SnapshotDepartment[];
  /** öffentlich or nichtöffentlich. */
  public: boolean;
  /** When the stored content last changed: the PDF's "Stand" and its creation date, never the clock. */
  updatedAt: string;
  /** Every template section's canonical JSON by section id; null for a section nothing was written to. */
  sections: Record<string, unknown>;
  /** The files the Anlagen hold, by file id (an Anlage's `fileId`); absent in snapshots made before files existed. */
  attachmentFiles?: Record<string, SnapshotAttachmentFile>;
  version?: SnapshotVersion;
}
