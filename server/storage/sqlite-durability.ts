/**
 * How long a SQLite commit waits for the disk. The connection runs at
 * `synchronous = FULL`: a commit returns once the WAL is on disk (fsync), so a
 * signature, a release or a password survives a power loss. That wait blocks
 * the event loop — 2 ms typically on this kind of disk, 20–80 ms at times —
 * and every collaborator's keystrokes queue behind it.
 *
 * Writes whose loss in a power cut costs nothing that cannot come back commit
 * at `synchronous = NORMAL`: written into the WAL without waiting for the
 * disk. They survive a crash or kill of the server process (the operating
 * system holds the written pages); after a power loss the database stays
 * consistent and lacks at most the writes since the last full commit or
 * checkpoint. Those are the debounced copies of section documents (each
 * editor's browser holds the document and sends what the server lacks on
 * reconnecting), the drafting history's snapshots, the search index (rebuilt
 * from the sections) and the last-seen time of sessions.
 */
import type Database from 'better-sqlite3';

export function withoutWaitingForDisk<T>(db: Database.Database, write: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
