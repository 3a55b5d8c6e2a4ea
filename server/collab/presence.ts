/**
 * Who is in which dossier right now, read from the awareness states of the
 * loaded section documents. The `user` of every state is the connection's
 * signed-in user, written by the server (awareness.ts); clients publish
 * `editing: true` in the section that has focus.
 *
 * A process sees the documents it has loaded. So that the list page shows
 * everybody whichever process serves it, each process publishes what it sees
 * as a cluster event (soon after it changes, and again every heartbeat) and
 * merges the other processes' latest snapshots into its own; a process that
 * stopped publishing (killed) drops out after three heartbeats.
 */
import type { Extension, Hocuspocus, onConfigurePayload } from '@hocuspocus/server';
import { parseDocumentName } from '../../dossier/layout';
import type { PresenceUser } from '../../dossier/presence';
import type { Editor } from '../../dossier/rest';
import type { ClusterEvent, ClusterEvents } from '../cluster/events';
import { logFor } from '../log';

const log = logFor('presence');

export type { Editor };

type EditorsEvent = Extract<ClusterEvent, { type: 'editors' }>;

/**
 * The editors of this process's own connections. Awareness states that came
 * from other processes (through Redis) are left to their snapshots: the Redis
 * extension does not pass on that a state was removed once the last
 * connection to a document on that process has closed.
 */
export function dossierEditors(hocuspocus: Hocuspocus): Map<string, Editor[]> {
  const byDossier = new Map<string, Map<string, Editor>>();
  for (const [name, document] of hocuspocus.documents) {
    const parsed = parseDocumentName(name);
    // Stryker disable next-line ConditionalExpression: every loaded document is a section (onAuthenticate resolved its name)
    if (!parsed) continue;
    const states = document.awareness.getStates();
    const own = document.getConnections().flatMap((connection) => [...document.getClients(connection)].map((clientId) => states.get(clientId)));
    for (const state of own) {
      const user = (state as { user?: PresenceUser } | undefined)?.user;
      if (!user) continue;
      const editing = (state as { editing?: unknown }).editing === true;
      add(byDossier, parsed.dossierId, { id: user.id, name: user.name, color: user.color, sections: editing ? [parsed.sectionId] : [] });
    }
  }
  return flatten(byDossier);
}

function add(byDossier: Map<string, Map<string, Editor>>, dossierId: string, seen: Editor): void {
  const editors = byDossier.get(dossierId) ?? new Map<string, Editor>();
  byDossier.set(dossierId, editors);
  const editor = editors.get(seen.id) ?? { id: seen.id, name: seen.name, color: seen.color, sections: [] };
  editors.set(seen.id, editor);
  for (const section of seen.sections) if (!editor.sections.includes(section)) editor.sections.push(section);
}

const flatten = (byDossier: Map<string, Map<string, Editor>>) => new Map([...byDossier].map(([id, editors]) => [id, [...editors.values()]]));

export class Presence implements Extension {
  // Stryker disable next-line StringLiteral: Hocuspocus shows extension names only on the start screen of its own Server, which this project does not use
  extensionName = 'Presence';
  private instance!: Hocuspocus;
  /** The latest snapshot of every other process, until it expires. */
  private readonly others = new Map<string, { expiresAt: number; dossiers: EditorsEvent['dossiers'] }>();
  private published = '{}';
  private pending?: NodeJS.Timeout;
  /** Set by close(): documents unloading during shutdown schedule nothing more. */
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly stopListening: () => void;

  constructor(
    private readonly events: ClusterEvents,
    private readonly timing: { heartbeatMs: number; delayMs: number } = { heartbeatMs: 5000, delayMs: 100 },
  ) {
    this.heartbeat = setInterval(() => this.publish(true), timing.heartbeatMs);
    // Stryker disable next-line CallExpression: only lets a process that is done exit
    this.heartbeat.unref();
    this.stopListening = events.subscribe((event, local) => {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: this process's own snapshot adds nobody new (editors are merged per person and section), another event has no expiry
      if (event.type === 'editors' && !local) this.received(event);
    });
  }

  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
  }

  async onAwarenessUpdate(): Promise<void> {
    this.schedule();
  }

  async afterUnloadDocument(): Promise<void> {
    this.schedule();
  }

  /** Everybody in each dossier, as this process and the others see them. */
  editors(): Map<string, Editor[]> {
    const byDossier = new Map<string, Map<string, Editor>>();
    const local = dossierEditors(this.instance);
    const now = Date.now();
    const snapshots = [...this.others].flatMap(([processId, snapshot]) => {
      // Stryker disable next-line EqualityOperator: the very millisecond of expiry
      if (snapshot.expiresAt > now) return [Object.entries(snapshot.dossiers)];
      // Stryker disable next-line all: memory only, an expired snapshot is skipped either way
      this.others.delete(processId);
      return [];
    });
    for (const entries of [[...local], ...snapshots])
      for (const [dossierId, editors] of entries) for (const editor of editors) add(byDossier, dossierId, editor);
    return flatten(byDossier);
  }

  /** A process's newest snapshot replaces its last; a closing process's empty one expires at once. */
  private received(event: EditorsEvent): void {
    this.others.set(event.processId, { expiresAt: Date.now() + event.expiresInMs, dossiers: event.dossiers });
  }

  /** Awareness changes come in bursts (every caret move): one snapshot a little later covers them. */
  private schedule(): void {
    // Stryker disable next-line ConditionalExpression: one timer at a time only saves work, a publication skips an unchanged snapshot
    if (this.pending || this.closed) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.publish(false);
    }, this.timing.delayMs);
    // Stryker disable next-line CallExpression: only lets a process that is done exit
    this.pending.unref();
  }

  /** Publishes this process's snapshot when it changed, or always (the heartbeat). */
  private publish(always: boolean): void {
    const dossiers = Object.fromEntries(dossierEditors(this.instance));
    const json = JSON.stringify(dossiers);
    if (!always && json === this.published) return;
    this.published = json;
    this.send(dossiers, this.timing.heartbeatMs * 3).catch((error: Error) => log.error({ err: error }, 'publishing who edits where failed'));
  }

  private send(dossiers: EditorsEvent['dossiers'], expiresInMs: number): Promise<void> {
    return this.events.publish({ type: 'editors', processId: this.events.processId, expiresInMs, dossiers });
  }

  /** Stops publishing and tells the others that nobody edits here any more. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.pending);
    this.stopListening();
    await this.send({}, 0).catch(() => undefined);
  }
}
