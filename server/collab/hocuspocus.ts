/** The Hocuspocus instance: our extensions composed, nothing else. */
import { Hocuspocus, type Extension } from '@hocuspocus/server';
import type { Sessions } from '../accounts/sessions';
import type { ResolvedSection, SectionResolver } from '../dossiers/sections';
import type { Storage } from '../storage/storage';
import type { ClusterEvents } from '../cluster/events';
import { Access } from './access';
import { Persistence, type PersistenceTiming } from './persistence';
import { AwarenessGuard } from './awareness';
import { UpdateValidation } from './update-validation';
import { SectionChanges } from '../workflow/section-changes';

export function createCollaboration(options: {
  storage: Storage;
  sessions: Sessions;
  resolve: SectionResolver;
  sessionCookie: string;
  storeDebounceMs: number;
  storeMaxDebounceMs: number;
  /** Where access changes seen in a live header are announced to every process. */
  events: ClusterEvents;
  /** After each section store (the drafting history). */
  afterStore?: (stored: ResolvedSection) => Promise<unknown>;
  /** Further extensions, after ours (the drafting history's hooks). */
  extensions?: Extension[];
  /** Store retries and the check of received changes; by default as the persistence sets them, the check after the debounce. */
  persistenceTiming?: PersistenceTiming;
}) {
  const maxDebounce = Math.max(options.storeMaxDebounceMs, options.storeDebounceMs);
  // changes from another process are checked for once that process has had its maximum debounce and five seconds more to store them
  const persistence = new Persistence(options.storage, options.resolve, options.afterStore, {
    receivedCheckMs: maxDebounce + 5000,
    ...options.persistenceTiming,
  });
  const access = new Access(options.sessions, options.resolve, options.storage, options.sessionCookie, options.events);
  const sectionChanges = new SectionChanges(options.resolve);
  const hocuspocus = new Hocuspocus({
    // Stryker disable next-line StringLiteral: name and quiet only concern the start screen of Hocuspocus' own Server, which this project does not use
    name: 'ratsdossier',
    // Stryker disable next-line BooleanLiteral: as above
    quiet: true,
    debounce: options.storeDebounceMs,
    maxDebounce,
    extensions: [access, new UpdateValidation(), new AwarenessGuard(), persistence, sectionChanges, ...(options.extensions ?? [])],
  });
  return { hocuspocus, persistence, access, sectionChanges };
}
