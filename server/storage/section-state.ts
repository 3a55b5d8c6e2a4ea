/**
 * What a section store writes when a state is already stored: the stored and the incoming Yjs
 * updates merged, so that a store from one process never drops what another process stored.
 * Both storages call this with the section row locked.
 */
import * as Y from 'yjs';
import type { SectionWrite } from './storage';

export function mergeSectionState(stored: Uint8Array, write: SectionWrite): { state: Uint8Array; content: unknown } {
  const state = Y.mergeUpdates([stored, write.state]);
  // Items the incoming state lacks: another process stored them, so the JSON must come from the merge.
  const missing = Y.parseUpdateMeta(Y.diffUpdate(stored, Y.encodeStateVectorFromUpdate(write.state)));
  const content = missing.to.size > 0 && write.contentOf ? write.contentOf(state) : write.content;
  return { state, content };
}
