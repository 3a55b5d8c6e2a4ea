/**
 * The real storage (`real`), wrapped for the persistence tests: `storeSection` fails while `failing`
 * is set and waits while a gate is closed, `loadSectionState` waits while its own gate is closed;
 * every attempt to store (with the failed ones' times, and how many ran at once) and every read of
 * a section's state is counted.
 */
import type { SectionWrite, Storage } from '../../server/storage/storage';

export function faulty(real: Storage) {
  const control = {
    failing: false,
    attempts: [] as SectionWrite[],
    failures: 0,
    /** When each failed attempt was made (Date.now()), to check the delays between retries. */
    failedAt: [] as number[],
    /** Stores running at once now, and the most there ever were. */
    running: 0,
    mostRunning: 0,
    gate: undefined as Promise<void> | undefined,
    entered: 0,
    /** The sections whose stored Yjs state was read, in order (loading a document, checking the database for changes). */
    stateReads: [] as string[],
    /** When each of those reads was made (Date.now()). */
    stateReadAt: [] as number[],
    /** While set, reading a section's state (loading its document) waits for it. */
    loadGate: undefined as Promise<void> | undefined,
  };
  const storage: Storage = {
    ...real,
    dossiers: {
      ...real.dossiers,
      async storeSection(store) {
        control.attempts.push(store);
        control.running += 1;
        control.mostRunning = Math.max(control.mostRunning, control.running);
        try {
          if (control.gate) {
            control.entered += 1;
            await control.gate;
          }
          if (control.failing) {
            control.failures += 1;
            control.failedAt.push(Date.now());
            throw new Error('injected: storage unavailable');
          }
          return await real.dossiers.storeSection(store);
        } finally {
          control.running -= 1;
        }
      },
      async loadSectionState(dossierId, sectionId) {
        control.stateReads.push(sectionId);
        control.stateReadAt.push(Date.now());
        if (control.loadGate) await control.loadGate;
        return real.dossiers.loadSectionState(dossierId, sectionId);
      },
    },
  };
  return { storage, control, real };
}
