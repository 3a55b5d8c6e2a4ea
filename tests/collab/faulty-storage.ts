/**
 * The real storage (`real`), wrapped for the persistence tests: `storeSection` fails while `failing`
 * is set and waits while a gate is closed; every attempt to store and every read of a
 * section's state is counted.
 */
import type { SectionWrite, Storage } from '../../server/storage/storage';

export function faulty(real: Storage) {
  const control = {
    failing: false,
    attempts: [] as SectionWrite[],
    failures: 0,
    gate: undefined as Promise<void> | undefined,
    entered: 0,
    /** The sections whose stored Yjs state was read, in order (loading a document, checking the database for changes). */
    stateReads: [] as string[],
  };
  const storage: Storage = {
    ...real,
    dossiers: {
      ...real.dossiers,
      async storeSection(store) {
        control.attempts.push(store);
        if (control.gate) {
          control.entered += 1;
          await control.gate;
        }
        if (control.failing) {
          control.failures += 1;
          throw new Error('injected: storage unavailable');
        }
        return real.dossiers.storeSection(store);
      },
      async loadSectionState(dossierId, sectionId) {
        control.stateReads.push(sectionId);
        return real.dossiers.loadSectionState(dossierId, sectionId);
      },
    },
  };
  return { storage, control, real };
}
