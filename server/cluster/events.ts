/**
 * What every server process must hear about, whichever process it happened
 * in: the things that decide live access on open connections, and who is
 * editing where. One process delivers them to itself (`inProcessEvents`, the
 * default); several processes share them over Redis pub/sub (`REDIS_URL`,
 * cluster/redis.ts).
 *
 * `publish` runs this process's handlers first and awaits them, so a change
 * made here applies here before the call returns (a release makes every local
 * connection read-only before it stores the last changes); other processes
 * hear it a moment later.
 *
 * `request` is a publish that waits for every process: each answers once its
 * handlers have run. The release and a co-signature use it to have every
 * process store its unstored changes of a dossier first (`store-dossier`),
 * so that what they bind is what every editor has typed.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Editor } from '../../dossier/rest';

const editor = z.object({ id: z.string(), name: z.string(), color: z.string(), sections: z.array(z.string()) }) satisfies z.ZodType<Editor>;

export const clusterEvent = z.discriminatedUnion('type', [
  /** Who may read or write the dossier changed (öffentlich, involved departments): re-decide its connections. */
  z.object({ type: z.literal('dossier-access'), dossierId: z.string() }),
  /** The dossier's status changed (co-signing, release, back): re-decide its connections. */
  z.object({ type: z.literal('dossier-status'), dossierId: z.string() }),
  /** Users changed (roles, department, disabled, sessions deleted): re-decide their sockets and connections. */
  z.object({ type: z.literal('users-changed'), userIds: z.array(z.string()) }),
  /** Who edits where, as one process sees it now; replaces that process's previous snapshot until `expiresInMs` has passed. */
  z.object({ type: z.literal('editors'), processId: z.string(), expiresInMs: z.number(), dossiers: z.record(z.string(), z.array(editor)) }),
  /** A session ended (logout, expiry): close its sockets. `sessionId` is `sessionIdOf` its token hash, never the token or the key it is stored under. */
  z.object({ type: z.literal('session-ended'), sessionId: z.string() }),
  /** Store every unstored change of the dossier's sections now (sent as a `request`: the sender waits until each process has). */
  z.object({ type: z.literal('store-dossier'), dossierId: z.string() }),
]);

export type ClusterEvent = z.infer<typeof clusterEvent>;

/** `local`: published by this process. */
export type ClusterEventHandler = (event: ClusterEvent, local: boolean) => void | Promise<void>;

export interface ClusterEvents {
  /** This process, as it signs what it publishes. */
  readonly processId: string;
  /** Delivers the event to this process's handlers (awaited) and to every other process's. */
  publish(event: ClusterEvent): Promise<void>;
  /** Hears every event, this process's own included; returns the unsubscribe. */
  subscribe(handler: ClusterEventHandler): () => void;
  /**
   * Like `publish`, and resolves only once every process has run its handlers for the event; rejects
   * (`ClusterRequestFailed`) when one failed or not all answered within `timeoutMs`.
   */
  request(event: ClusterEvent, options?: { timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

/** How long a `request` waits for the other processes by default. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Some process did not (in time) do what a `request` asked of every process. */
export class ClusterRequestFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterRequestFailed';
  }
}

/** The handlers of one process, which both implementations deliver to. */
export class LocalHandlers {
  private readonly handlers = new Set<ClusterEventHandler>();

  add(handler: ClusterEventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /**
   * One after another, as the calls they replace ran. A failing handler does not keep the event from
   * the others; the first failure is thrown at the end, to the publisher in this process.
   */
  async deliver(event: ClusterEvent, local: boolean): Promise<void> {
    const failures: unknown[] = [];
    for (const handler of [...this.handlers]) {
      try {
        await handler(event, local);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}

/** One process alone: events go to its own handlers. */
export function inProcessEvents(): ClusterEvents {
  const handlers = new LocalHandlers();
  return {
    processId: randomUUID(),
    publish: (event) => handlers.deliver(event, true),
    // the only process: its handlers are every process's
    request: (event) => handlers.deliver(event, true),
    subscribe: (handler) => handlers.add(handler),
    close: async () => undefined,
  };
}
