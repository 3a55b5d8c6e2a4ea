/**
 * Persistence of section documents: loads the stored Yjs state, and stores
 * the merged state together with the section's canonical JSON.
 *
 * Hocuspocus 4 unloads a document without another store when a store failed
 * and the last client then disconnects. So changed documents are tracked
 * here, stored before unload (throwing there keeps the document in memory),
 * and failed stores are retried. Changes are tracked on the Y.Doc's own
 * `update` event, not in the `onChange` hook: Hocuspocus runs hooks as one
 * chain, and an extension before ours that throws in `onChange` (the Redis
 * extension has priority 1000) would stop it, leaving the change unstored.
 *
 * Each client is told what is stored (`stored` message with the state
 * vector): after every store, and when it connects, so that a page which
 * brings edits from its local copy knows when the server has them.
 *
 * Changes received from another process (through Redis) are stored by that
 * process, which runs the store hooks for them. But it may die first (a
 * SIGKILL, a lost machine): its clients have acknowledged changes that only
 * the other processes' memory holds then — and when they reconnect there,
 * they have nothing to add, so nothing here would store it, and the changes
 * would be gone once this process unloads the document. So a document that
 * received changes is checked against the database once they have been quiet
 * for a while (longer than the other process takes to store) and before it is
 * unloaded, and stored when the database lacks something of it; when the
 * other process did its work, the check is one read.
 */
import type {
  Document,
  Extension,
  afterLoadDocumentPayload,
  afterUnloadDocumentPayload,
  beforeUnloadDocumentPayload,
  connectedPayload,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
} from '@hocuspocus/server';
import { isTransactionOrigin, shouldSkipStoreHooks } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { StoredMessage } from '../../dossier/collab-messages';
import { readSection } from '../../dossier/layout';
import { richTextPlain } from '../../dossier/schema';
import { visibilityFrom } from '../../dossier/template';
import type { ResolvedSection, SectionResolver } from '../dossiers/sections';
import type { CollabContext } from './access';
import type { Storage } from '../storage/storage';
import { logFor } from '../log';

const log = logFor('persistence');

/** How a store is retried and when received changes are checked; tests shorten them. */
export interface PersistenceTiming {
  /** The delays between a failed store and its retry, growing; the last one repeats. */
  retryDelaysMs?: readonly number[];
  /** How long changes received from another process stay quiet before the database is checked for them. */
  receivedCheckMs?: number;
}

export class Persistence implements Extension {
  // Stryker disable next-line StringLiteral: the name appears only in Hocuspocus' own log lines
  extensionName = 'Persistence';

  /** Documents with changes not yet stored: a counter of their changes and who made them. */
  private readonly dirty = new Map<string, { version: number; users: Set<string> }>();
  /** After shutdown no retry is scheduled: the storage is closing. */
  private destroyed = false;
  private readonly retries = new Map<string, { attempt: number; timer: NodeJS.Timeout }>();
  /** Stores run one at a time per document, whichever hook or retry started them. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Per loaded document: the state vector of what is stored (base64). */
  private readonly storedVectors = new Map<string, string>();
  /** Documents with changes from another process not yet checked against the database: a counter of those changes, the pending check. */
  private readonly received = new Map<string, { version: number; document: Document; check: NodeJS.Timeout }>();
  /** Per loaded document: its Y.Doc and the `update` listener that marks it dirty. */
  private readonly listeners = new Map<string, { document: Document; onUpdate: (update: Uint8Array, origin: unknown) => void }>();

  private readonly retryDelaysMs: readonly number[];
  private readonly receivedCheckMs: number;

  constructor(
    private readonly storage: Storage,
    private readonly resolve: SectionResolver,
    /** Runs after each successful store, before clients are told (the drafting history); its failure is only logged. */
    private readonly afterStore?: (stored: ResolvedSection) => Promise<unknown>,
    timing: PersistenceTiming = {},
  ) {
    this.retryDelaysMs = timing.retryDelaysMs ?? [500, 1000, 2000, 5000, 10_000];
    this.receivedCheckMs = timing.receivedCheckMs ?? 10_000;
  }

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload): Promise<void> {
    const resolved = await this.resolve(documentName);
    const state = resolved && (await this.storage.dossiers.loadSectionState(resolved.dossier.id, resolved.section.id));
    if (!state) throw Object.assign(new Error(`no stored state for ${documentName}`), { reason: 'unknown-document' });
    Y.applyUpdate(document, state);
    this.storedVectors.set(documentName, base64(Y.encodeStateVector(document)));
  }

  async connected({ documentName, connection }: connectedPayload): Promise<void> {
    const stateVector = this.storedVectors.get(documentName);
    // Stryker disable next-line ConditionalExpression: a guard no caller reaches, Hocuspocus connects only to a loaded document, whose vector onLoadDocument set
    if (stateVector === undefined) return;
    const message: StoredMessage = { type: 'stored', stateVector, at: null };
    connection.sendStateless(JSON.stringify(message));
  }

  async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload): Promise<void> {
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      // What another process received through Redis is stored there, as Hocuspocus runs no store hooks for it here;
      // it is only checked for here, in case that process died before storing it.
      if (shouldSkipStoreHooks(origin)) this.markReceived(documentName, document);
      else this.markDirty(documentName, changedBy(origin));
    };
    const previous = this.listeners.get(documentName);
    // Stryker disable next-line StringLiteral,OptionalChaining: memory only, the previous document is destroyed and sends no updates
    previous?.document.off('update', previous.onUpdate);
    document.on('update', onUpdate);
    this.listeners.set(documentName, { document, onUpdate });
  }

  // Stryker disable next-line BlockStatement: memory and timers only, as below
  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    // Stryker disable all: memory only, a document loaded again sets its vector and listener anew
    this.storedVectors.delete(documentName);
    const listener = this.listeners.get(documentName);
    // a fast reconnect may have loaded the document again: its new listener stays
    if (listener?.document.isDestroyed) {
      listener.document.off('update', listener.onUpdate);
      this.listeners.delete(documentName);
    }
    // Stryker restore all
    // Stryker disable all: memory and one read, a check left for an unloaded document finds its state stored before the unload
    const received = this.received.get(documentName);
    if (received?.document.isDestroyed) {
      clearTimeout(received.check);
      this.received.delete(documentName);
    }
    // Stryker restore all
  }

  private markReceived(documentName: string, document: Document): void {
    const previous = this.received.get(documentName);
    if (previous) clearTimeout(previous.check);
    const check = setTimeout(() => this.store(documentName, document).catch(() => undefined), this.receivedCheckMs);
    // Stryker disable next-line all: unref only lets the process end while the timer waits; shutdown clears it
    check.unref();
    this.received.set(documentName, { version: (previous?.version ?? 0) + 1, document, check });
  }

  private forgetReceived(documentName: string, version: number | undefined): void {
    const received = this.received.get(documentName);
    if (received === undefined || received.version !== version) return;
    clearTimeout(received.check);
    this.received.delete(documentName);
  }

  /** Whether the database lacks anything of the document: applying it to the stored state changes that. */
  private async lacksChanges(resolved: ResolvedSection, document: Document): Promise<boolean> {
    const stored = await this.storage.dossiers.loadSectionState(resolved.dossier.id, resolved.section.id);
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: a guard no caller reaches, a resolved section has stored state from its dossier's creation on
    if (!stored) return true;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored);
    let changed = false;
    doc.on('update', () => {
      changed = true;
    });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(document));
    return changed;
  }

  private markDirty(documentName: string, userId: string | undefined): void {
    const dirty = this.dirty.get(documentName) ?? { version: 0, users: new Set<string>() };
    // Stryker disable next-line AssignmentOperator: counting down tells the versions apart as well
    dirty.version += 1;
    if (userId) dirty.users.add(userId);
    this.dirty.set(documentName, dirty);
  }

  async onStoreDocument({ documentName, document }: onStoreDocumentPayload): Promise<void> {
    await this.store(documentName, document);
  }

  async beforeUnloadDocument({ documentName, document }: beforeUnloadDocumentPayload): Promise<void> {
    // Throwing here aborts the unload, so unstored changes stay in memory.
    await this.store(documentName, document);
    this.cancelRetry(documentName);
  }

  /** Whether a failed store of the document waits for its retry. */
  retrying(documentName: string): boolean {
    return this.retries.has(documentName);
  }

  /** Stores every loaded document that has unstored changes and waits for running stores (used on shutdown). */
  async flushAll(documents: Map<string, Document>): Promise<void> {
    for (const [name, document] of documents) await this.store(name, document);
    await Promise.allSettled(this.inFlight.values());
  }

  private store(documentName: string, document: Document): Promise<void> {
    const previous = this.inFlight.get(documentName) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.storeNow(documentName, document));
    this.inFlight.set(documentName, next);
    // Stryker disable all: memory only, a finished store left in the map is waited for at once
    const forget = () => {
      if (this.inFlight.get(documentName) === next) this.inFlight.delete(documentName);
    };
    next.then(forget, forget);
    // Stryker restore all
    return next;
  }

  private async storeNow(documentName: string, document: Document): Promise<void> {
    const dirty = this.dirty.get(documentName);
    const received = this.received.get(documentName)?.version;
    if (dirty === undefined && received === undefined) return;
    const version = dirty?.version;
    const changedBy = [...(dirty?.users ?? [])];
    try {
      const resolved = await this.resolve(documentName);
      // Stryker disable next-line ConditionalExpression,StringLiteral: without the guard the next line fails as well, only the logged message differs
      if (!resolved) throw new Error(`document ${documentName} no longer belongs to a dossier`);
      // only changes from another process: stored there, unless that process died first
      if (dirty === undefined && !(await this.lacksChanges(resolved, document))) {
        this.forgetReceived(documentName, received);
        log.debug({ documentName }, 'changes received from another process were stored there');
        return;
      }
      if (dirty === undefined) log.warn({ documentName }, 'changes received from another process were not stored: storing them here');
      const { dossier, template, section } = resolved;
      const content = readSection(document, section);
      const visibility = visibilityFrom(template, section.id, content);
      const at = new Date().toISOString();
      // taken together, before anything can yield: the vector describes exactly the stored state
      const state = Y.encodeStateAsUpdate(document);
      const stateVector = base64(Y.encodeStateVector(document));
      const title = section.id === template.titleSection ? (plainTitle(content) ?? dossier.title) : undefined;
      await this.storage.dossiers.storeSection({
        dossierId: dossier.id,
        sectionId: section.id,
        state,
        content,
        // another process stored updates this document lacks: the JSON is read from the merged state
        contentOf: (merged) => {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, merged);
          return readSection(doc, section);
        },
        updatedAt: at,
        // what is undefined stays as stored
        dossier: { title, public: visibility },
        audit: changedBy.map((userId) => ({ at, userId, action: 'section.changed', dossierId: dossier.id, sectionId: section.id, detail: null })),
      });
      if (this.dirty.get(documentName)?.version === version) this.dirty.delete(documentName);
      this.forgetReceived(documentName, received);
      this.cancelRetry(documentName);
      if (this.storedVectors.has(documentName)) this.storedVectors.set(documentName, stateVector);
      await this.afterStore?.(resolved).catch((error: Error) => log.error({ documentName, err: error }, 'after storing failed'));
      const message: StoredMessage = { type: 'stored', stateVector, at };
      document.broadcastStateless(JSON.stringify(message));
    } catch (error) {
      log.error({ documentName, err: error }, 'storing failed');
      this.scheduleRetry(documentName, document);
      throw error;
    }
  }

  private scheduleRetry(documentName: string, document: Document): void {
    if (this.destroyed) return;
    const attempt = (this.retries.get(documentName)?.attempt ?? -1) + 1;
    this.cancelRetry(documentName);
    const delay = this.retryDelaysMs[Math.min(attempt, this.retryDelaysMs.length - 1)]!;
    const timer = setTimeout(() => {
      this.store(documentName, document).catch(() => undefined);
    }, delay);
    // Stryker disable next-line all: unref only lets the process end while the timer waits; shutdown clears it
    timer.unref();
    this.retries.set(documentName, { attempt, timer });
  }

  private cancelRetry(documentName: string): void {
    const retry = this.retries.get(documentName);
    if (retry) clearTimeout(retry.timer);
    this.retries.delete(documentName);
  }

  destroy(): void {
    this.destroyed = true;
    for (const name of [...this.retries.keys()]) this.cancelRetry(name);
    // Stryker disable next-line all: shutdown, the storage closes next; a check left running would only log that it failed
    for (const { check } of this.received.values()) clearTimeout(check);
    // Stryker disable next-line all: memory only, as above
    this.received.clear();
  }
}

/** The user behind a change: the connection's context, or the context a local change was made with. */
function changedBy(origin: unknown): string | undefined {
  if (!isTransactionOrigin(origin)) return undefined;
  const context = origin.source === 'connection' ? origin.connection.context : origin.source === 'local' ? origin.context : undefined;
  return (context as Partial<CollabContext> | undefined)?.user?.id;
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

function plainTitle(content: unknown): string | undefined {
  try {
    return richTextPlain(content).slice(0, 500);
    // Stryker disable next-line BlockStatement: a guard no template reaches, the title section is a text section (template validation)
  } catch {
    return undefined;
  }
}
