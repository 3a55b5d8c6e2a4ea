/**
 * The drafting history as the REST API answers it (server/api/history.ts) and
 * the web client reads it (client/history/): snapshots taken while a dossier
 * is drafted, each with when and by whom.
 */
import type { SectionKind } from './template';

export interface HistoryAuthor {
  id: string;
  /** Display name; a user removed from the database keeps their id as name. */
  name: string;
}

/** `GET /api/dossiers/:id/history`, newest first. */
export interface HistoryEntry {
  id: number;
  takenAt: string;
  /** Who changed the dossier since the snapshot before. */
  authors: HistoryAuthor[];
}

export interface HistorySection {
  sectionId: string;
  title: string;
  kind: SectionKind;
  group: string | null;
  /** The section's canonical JSON when the snapshot was taken; null if the snapshot has none. */
  content: unknown;
  /** Whether the signed-in user may restore this section into the live dossier. */
  canRestore: boolean;
}

/** `GET /api/dossiers/:id/history/:snapshotId`: the snapshot's sections in template order. */
export interface HistorySnapshotView extends HistoryEntry {
  sections: HistorySection[];
}

/** `POST /api/dossiers/:id/history/:snapshotId/restore` `{ sectionId }`. */
export interface RestoreAnswer {
  sectionId: string;
  restoredFrom: number;
}
