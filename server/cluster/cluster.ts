/**
 * What a server process shares with the other processes of one installation:
 * nothing to share when it runs alone.
 */
import type { Extension } from '@hocuspocus/server';
import { inProcessEvents, type ClusterEvents } from './events';

export interface Cluster {
  events: ClusterEvents;
  /** Hocuspocus extensions that keep the documents in step with the other processes. */
  extensions: Extension[];
  close(): Promise<void>;
}

export function openCluster(): Promise<Cluster> {
  const events = inProcessEvents();
  return Promise.resolve({ events, extensions: [], close: () => events.close() });
}
