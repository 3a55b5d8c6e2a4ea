/**
 * The live connection of one open dossier: one WebSocket shared by one
 * Hocuspocus provider per section document. It derives the states the page
 * shows — connection, "gespeichert", presence — from the providers, and
 * notifies React through `subscribe`/`getSnapshot` (useSyncExternalStore).
 *
 * Offline edits stay in the section Y.Docs and, until the server has stored
 * them, in a local copy in this browser (local-copy.ts); on reconnect, or
 * when the dossier is opened again after the tab was closed, the providers'
 * sync step sends whatever the server is missing.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { parseServerMessage } from '../../dossier/collab-messages';
import { CloseCode } from '../../dossier/close-codes';
import { confirmSession } from '../api';
import { documentName } from '../../dossier/layout';
import type { Identity } from '../identity';
import { deleteLocalCopy, deleteLocalCopyIfStored, readLocalCopy, writeLocalCopy, type LocalCopyKey } from './local-copy';

/**
 * Reconnect timing. The provider's retry library refuses a `delay` below
 * `minDelay` (and then never connects), so both move together. Jitter stays
 * on: after a server restart the clients do not all come back at once.
 */
export const RECONNECT = { delay: 500, minDelay: 250, factor: 2, maxDelay: 8_000, jitter: true } as const;

export type ConnectionState = 'connecting' | 'connected' | 'offline' | 'disconnected';
/**
 * saved: the server has stored every edit this page holds; saving: connected,
 * the server has not stored them yet; local: not connected, but kept in this
 * browser's local copy; pending: only in this page.
 */
export type SaveState = 'saved' | 'saving' | 'local' | 'pending';

export interface PresentUser {
  id: string;
  name: string;
  color: string;
  self: boolean;
  /** Sections the user has focus in. */
  sections: string[];
}

export interface SessionSnapshot {
  connection: ConnectionState;
  save: SaveState;
  /** When the server last reported a store covering all of this page's edits. */
  savedAt: string | null;
  /** Whether every edit the server has not stored yet is in this browser's local copy (closing the page loses nothing). */
  keptLocally: boolean;
  /** Sections whose first sync with the server is done (they stay in it while offline). */
  synced: ReadonlySet<string>;
  /** Sections the server refused or opened read-only. */
  refused: ReadonlySet<string>;
  readOnly: ReadonlySet<string>;
  /** Read-only sections holding edits of this page (or its local copy) that the server will not take: the user lost write access meanwhile. */
  unsavable: ReadonlySet<string>;
  /** Inputs refused at their cell (e.g. an amount that does not parse) per section: never written, lost when the page closes. */
  invalidInputs: ReadonlyMap<string, number>;
  present: PresentUser[];
}

/** All inputs of the page refused at their cell, over every section. */
export const invalidInputCount = (snapshot: Pick<SessionSnapshot, 'invalidInputs'>): number =>
  [...snapshot.invalidInputs.values()].reduce((sum, count) => sum + count, 0);

export interface SectionConnection {
  sectionId: string;
  doc: Y.Doc;
  provider: HocuspocusProvider;
  /** The server's stored state vector for this document, from its last `stored` message. */
  stored: Map<number, number>;
  /** Write access as the server last changed it while the connection was open (undefined: as authenticated). */
  readOnly?: boolean;
  /** Yjs clients whose edits this page must see stored: its own, and those brought back from a local copy. */
  ours: Set<number>;
  local: LocalCopyState;
}

interface LocalCopyState {
  key: LocalCopyKey;
  /** Counts changes while edits are unstored; `written` is the count the local copy holds. */
  version: number;
  written: number;
  /** Whether a copy may exist in the browser (to delete it once stored). */
  exists: boolean;
  timer?: ReturnType<typeof setTimeout>;
  /** False when the browser keeps no copies. */
  available: boolean;
  /** The copy's reads, writes and deletes, one after the other: a delete never overtakes a write. */
  queue: Promise<unknown>;
}

/** At most this long between a change and its local copy. */
const LOCAL_COPY_DELAY_MS = 150;

/** Origin of the transaction that merges a local copy back in. */
const FROM_LOCAL_COPY = Symbol('local copy');

function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export class CollabSession {
  readonly socket: HocuspocusProviderWebsocket;
  readonly sections = new Map<string, SectionConnection>();
  private readonly listeners = new Set<() => void>();
  private snapshot: SessionSnapshot;
  private everConnected = false;
  private readonly refused = new Set<string>();
  /** The provider forgets it was synced when the connection drops; the page must not. */
  private readonly everSynced = new Set<string>();
  private savedAt: string | null = null;
  private readonly invalidInputs = new Map<string, number>();
  private notifyScheduled = false;
  private readonly cleanups: (() => void)[] = [];
  private destroyed = false;

  constructor(
    readonly dossierId: string,
    sectionIds: string[],
    readonly identity: Identity,
    url: string,
  ) {
    this.socket = new HocuspocusProviderWebsocket({ url, ...RECONNECT });
    this.snapshot = this.computeSnapshot();
    const statusChanged = ({ status }: { status: WebSocketStatus }) => {
      if (status === WebSocketStatus.Connected) this.everConnected = true;
      this.changed();
    };
    this.socket.on('status', statusChanged);
    this.cleanups.push(() => this.socket.off('status', statusChanged));

    for (const sectionId of sectionIds) this.open(sectionId);

    // The browser knows before the retry timer does that the network is back.
    const online = () => this.reconnect();
    addEventListener('online', online);
    this.cleanups.push(() => removeEventListener('online', online));
    const leaving = () => this.flushLocalCopies();
    addEventListener('pagehide', leaving);
    this.cleanups.push(() => removeEventListener('pagehide', leaving));
  }

  private open(sectionId: string): void {
    const doc = new Y.Doc();
    const provider = new HocuspocusProvider({
      websocketProvider: this.socket,
      name: documentName(this.dossierId, sectionId),
      document: doc,
      onStateless: ({ payload }) => this.onServerMessage(connection, payload),
      onSynced: () => this.changed(),
      onAuthenticated: () => {
        connection.readOnly = undefined;
        this.changed();
      },
      onAuthenticationFailed: ({ reason }) => {
        this.refused.add(sectionId);
        this.changed();
        // signed out elsewhere, expired or idle: the login page, once the server confirms it
        if (reason === 'unauthorized') void confirmSession();
      },
      // The server closes one document when its user may no longer see the dossier, or the session ended.
      onClose: ({ event }) => {
        if (event.reason === 'forbidden') {
          this.refused.add(sectionId);
          this.changed();
        }
        if (event.reason === 'unauthorized' || event.code === CloseCode.unauthorized) void confirmSession();
      },
      onUnsyncedChanges: () => this.changed(),
      onAwarenessChange: () => this.changed(),
    });
    const connection: SectionConnection = {
      sectionId,
      doc,
      provider,
      stored: new Map(),
      ours: new Set([doc.clientID]),
      local: {
        key: { userId: this.identity.id, documentName: provider.configuration.name },
        version: 0,
        written: 0,
        exists: false,
        available: true,
        queue: Promise.resolve(),
      },
    };
    provider.attach();
    provider.setAwarenessField('user', { id: this.identity.id, name: this.identity.name, color: this.identity.color });
    const update = (bytes: Uint8Array, origin: unknown) => {
      if (origin === FROM_LOCAL_COPY) for (const client of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(bytes)).keys()) connection.ours.add(client);
      this.keepLocally(connection);
      this.changed();
    };
    doc.on('update', update);
    this.cleanups.push(() => doc.off('update', update));
    this.sections.set(sectionId, connection);
    connection.local.queue = this.restoreLocalCopy(connection);
  }

  /** Merges what an earlier page left in the local copy; the provider sends it to the server. */
  private async restoreLocalCopy(connection: SectionConnection): Promise<void> {
    try {
      const copy = await readLocalCopy(connection.local.key);
      if (!copy || this.destroyed) return;
      connection.local.exists = true;
      Y.applyUpdate(connection.doc, copy, FROM_LOCAL_COPY);
      // nothing in it that the server lacks: the copy is not needed any more
      this.keepLocally(connection, true);
    } catch (error) {
      console.warn(`[local copy] ${connection.local.key.documentName} could not be read:`, error);
    }
  }

  /**
   * Writes the local copy soon while the server has not stored everything,
   * deletes it once it has. Only a store or a restored copy can make the
   * server cover what the page holds, so only they (`mayDelete`) try the
   * delete; a copy that still holds more than the server stored (others'
   * edits not stored yet, or another tab's) is tried again after the next store.
   */
  private keepLocally(connection: SectionConnection, mayDelete = false): void {
    const { local } = connection;
    if (this.covered(connection)) {
      clearTimeout(local.timer);
      local.timer = undefined;
      local.written = local.version;
      if (mayDelete && local.exists) {
        const stored = connection.stored;
        const version = local.version;
        local.queue = local.queue
          .then(() => deleteLocalCopyIfStored(local.key, stored))
          .then(
            // a write issued meanwhile (the version moved on) has put a copy back
            (deleted) => (local.exists = !deleted || local.version !== version),
            (error: unknown) => console.warn(`[local copy] ${local.key.documentName} could not be deleted:`, error),
          );
      }
      return;
    }
    local.version += 1;
    local.timer ??= setTimeout(() => this.writeLocalCopy(connection), LOCAL_COPY_DELAY_MS);
  }

  /** Leaving the page with unstored edits: their copies are written now, not after the delay. */
  private flushLocalCopies(): void {
    for (const connection of this.sections.values()) {
      if (connection.local.timer === undefined) continue;
      clearTimeout(connection.local.timer);
      this.writeLocalCopy(connection);
    }
  }

  private writeLocalCopy(connection: SectionConnection): void {
    const { local, doc } = connection;
    local.timer = undefined;
    if (!local.available || this.covered(connection)) return;
    const version = local.version;
    local.exists = true;
    const update = Y.encodeStateAsUpdate(doc);
    local.queue = local.queue
      .then(() => writeLocalCopy(local.key, update))
      .then(
        (kept) => {
          local.available = kept;
          if (kept) local.written = Math.max(local.written, version);
          this.changed();
        },
        (error: unknown) => {
          local.available = false;
          console.warn(`[local copy] ${local.key.documentName} could not be written:`, error);
          this.changed();
        },
      );
  }

  /** The server's stateless messages: what it has stored of this document, or a change of write access. */
  private onServerMessage(connection: SectionConnection, payload: string): void {
    const message = parseServerMessage(payload);
    if (message?.type === 'stored') {
      connection.stored = Y.decodeStateVector(decodeBase64(message.stateVector));
      if (this.covered(connection) && message.at) this.savedAt = message.at;
      this.keepLocally(connection, true);
    } else if (message?.type === 'access') {
      connection.readOnly = message.readOnly;
    }
    this.changed();
  }

  section(sectionId: string): SectionConnection {
    const connection = this.sections.get(sectionId);
    if (!connection) throw new Error(`section ${sectionId} is not open`);
    return connection;
  }

  /** Marks the section the user has focus in (awareness `editing`), or none. */
  setEditing(sectionId: string | null): void {
    for (const [id, { provider }] of this.sections) {
      const editing = id === sectionId;
      if ((provider.awareness?.getLocalState()?.editing === true) !== editing) provider.setAwarenessField('editing', editing);
    }
  }

  /** How many inputs of a section wait, refused, at their cell (they are not in the document, so no store covers them). */
  setInvalidInputs(sectionId: string, count: number): void {
    if ((this.invalidInputs.get(sectionId) ?? 0) === count) return;
    if (count > 0) this.invalidInputs.set(sectionId, count);
    else this.invalidInputs.delete(sectionId);
    this.changed();
  }

  /**
   * Drops this page's edits to a section the server will no longer take:
   * deletes the section's local copy and reloads the page, which then shows
   * what the server has.
   */
  async discardUnsaved(sectionId: string): Promise<void> {
    const { local } = this.section(sectionId);
    clearTimeout(local.timer);
    local.timer = undefined;
    local.available = false;
    await local.queue.catch(() => undefined);
    await deleteLocalCopy(local.key);
    location.reload();
  }

  /** Tries to connect at once instead of waiting for the next retry. */
  reconnect(): void {
    if (this.socket.status !== WebSocketStatus.Connected) void this.socket.connect();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  destroy(): void {
    this.destroyed = true;
    for (const cleanup of this.cleanups) cleanup();
    this.flushLocalCopies();
    for (const { provider, doc } of this.sections.values()) {
      provider.destroy();
      doc.destroy();
    }
    this.socket.destroy();
    this.listeners.clear();
  }

  /** Whether the server's last store covers everything this page wrote into the document or brought back from its local copy. */
  private covered(connection: SectionConnection): boolean {
    const clocks = Y.decodeStateVector(Y.encodeStateVector(connection.doc));
    for (const client of connection.ours) {
      if ((connection.stored.get(client) ?? 0) < (clocks.get(client) ?? 0)) return false;
    }
    return true;
  }

  private changed(): void {
    // Many events arrive in one burst (sync of 13 documents); recompute once.
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      this.snapshot = this.computeSnapshot();
      for (const listener of this.listeners) listener();
    });
  }

  private computeSnapshot(): SessionSnapshot {
    const refused = new Set(this.refused);
    const readOnly = new Set<string>();
    const unsavable = new Set<string>();
    let allCovered = true;
    let allKeptLocally = true;
    const present = new Map<string, PresentUser>();
    for (const [sectionId, connection] of this.sections) {
      const { provider } = connection;
      if (provider.isSynced) this.everSynced.add(sectionId);
      const sectionReadOnly = connection.readOnly ?? provider.authorizedScope === 'readonly';
      if (sectionReadOnly) {
        readOnly.add(sectionId);
        // what the server will not take from this user cannot be waited for, but the user must know
        if (!this.covered(connection)) unsavable.add(sectionId);
      } else if (!this.covered(connection)) {
        allCovered = false;
        if (!connection.local.available || connection.local.written < connection.local.version) allKeptLocally = false;
      }
      for (const state of provider.awareness?.getStates().values() ?? []) {
        const user = state.user as { id?: unknown; name?: unknown; color?: unknown } | undefined;
        if (!user || typeof user.id !== 'string' || typeof user.name !== 'string') continue;
        const entry = present.get(user.id) ?? {
          id: user.id,
          name: user.name,
          color: typeof user.color === 'string' ? user.color : '#555555',
          self: user.id === this.identity.id,
          sections: [],
        };
        present.set(user.id, entry);
        if (state.editing === true && !entry.sections.includes(sectionId)) entry.sections.push(sectionId);
      }
    }
    const status = this.socket.status;
    // every section refused (the dossier is no longer visible to this user): as good as disconnected, whatever the socket does
    const allRefused = refused.size > 0 && refused.size === this.sections.size;
    const connection: ConnectionState =
      allRefused || !this.socket.shouldConnect
        ? 'disconnected'
        : status === WebSocketStatus.Connected
          ? 'connected'
          : this.everConnected
            ? 'offline'
            : 'connecting';
    const save: SaveState = allCovered ? 'saved' : connection === 'connected' ? 'saving' : allKeptLocally ? 'local' : 'pending';
    return {
      connection,
      save,
      savedAt: this.savedAt,
      keptLocally: allKeptLocally,
      synced: new Set(this.everSynced),
      refused,
      readOnly,
      unsavable,
      invalidInputs: new Map(this.invalidInputs),
      present: [...present.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name, 'de')),
    };
  }
}
