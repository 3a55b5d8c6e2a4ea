/**
 * Drafting history: snapshots of a dossier while it is drafted, so an author
 * can look at an earlier state and take a section back from it.
 *
 * A snapshot is considered after each section store (persistence calls
 * `sectionStored`) and taken when the dossier's last snapshot is at least the
 * interval old — so the first store after a quiet time takes one, and while
 * people keep working one is taken at most every interval — and when the last
 * section document of the dossier is unloaded after something was stored (the
 * last editor left), so that the end of a working session is kept even when it
 * was shorter than the interval; a reader who only looked takes none — and
 * before a restore, so that what it replaces stays in the history. It
 * holds the stored canonical JSON of every section (the Yjs state is not
 * kept: a restore writes the JSON as a new change, it does not rewind
 * history). A state equal to the last snapshot (same content hash) is not
 * taken again. Who wrote since the previous snapshot comes from the audit log
 * (storage decides it in the snapshot's transaction), so it survives restarts.
 */
import { contentHash as hashOf } from '../../dossier/content-hash';
import type { afterUnloadDocumentPayload, Extension, Hocuspocus } from '@hocuspocus/server';
import type { SectionContentByKind } from '../../dossier/content';
import { documentName, parseDocumentName, replaceSection } from '../../dossier/layout';
import type { SectionKind, Template, TemplateSection } from '../../dossier/template';
import type { CollabContext } from '../collab/access';
import type { SectionResolver } from '../dossiers/sections';
import type { DossierRecord, DraftingSnapshotSummary, Storage } from '../storage/storage';
import { logFor } from '../log';

const log = logFor('history');

/** What asks for a snapshot: a section store, the last editor leaving, a restore about to replace a section. */
type Reason = 'stored' | 'left' | 'restoring';

export class DraftingHistory implements Extension {
  extensionName = 'DraftingHistory';
  private hocuspocus?: Hocuspocus;
  /** Dossiers with a stored change since their last snapshot (in memory: a restart forgets a session's end). */
  private readonly changed = new Set<string>();
  private stopped = false;
  /** Per dossier: the last snapshot's time (ms) and hash, once known. */
  private readonly last = new Map<string, { takenAt: number; contentHash: string } | null>();
  /** Decisions run one at a time per dossier, whichever section's store started them. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly storage: Storage,
    private readonly resolve: SectionResolver,
    private readonly options: { intervalMs: number },
  ) {}

  /** The collaboration server: who is still connected, and where restores are written. */
  attach(hocuspocus: Hocuspocus): void {
    this.hocuspocus = hocuspocus;
  }

  /** After a section of the dossier was stored: takes a snapshot if one is due. Resolves once decided. */
  sectionStored(dossier: DossierRecord, template: Template): Promise<DraftingSnapshotSummary | undefined> {
    this.changed.add(dossier.id);
    return this.enqueue(dossier, template, 'stored');
  }

  /** Before a restore replaces a section: keeps the stored state first, so the restore can itself be undone. */
  snapshotNow(dossier: DossierRecord, template: Template): Promise<DraftingSnapshotSummary | undefined> {
    return this.enqueue(dossier, template, 'restoring');
  }

  /** The last loaded section of a dossier went away (everyone left): keeps what was stored since the last snapshot. */
  async afterUnloadDocument({ documentName: name }: afterUnloadDocumentPayload): Promise<void> {
    const dossierId = parseDocumentName(name)?.dossierId;
    if (this.stopped || !dossierId || !this.changed.has(dossierId) || this.anyLoaded(dossierId)) return;
    try {
      const resolved = await this.resolve(name);
      if (resolved) await this.enqueue(resolved.dossier, resolved.template, 'left');
    } catch (error) {
      // the history must never break an unload; at shutdown the storage may already be closed
      if (!this.stopped) log.error({ documentName: name, err: error }, 'snapshot after the last editor left failed');
    }
  }

  /** At shutdown, before the storage closes: documents unloaded from now on take no snapshot. */
  stop(): void {
    this.stopped = true;
  }

  private enqueue(dossier: DossierRecord, template: Template, reason: Reason): Promise<DraftingSnapshotSummary | undefined> {
    const previous = this.queues.get(dossier.id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.consider(dossier, template, reason));
    this.queues.set(dossier.id, next);
    const forget = () => {
      if (this.queues.get(dossier.id) === next) this.queues.delete(dossier.id);
    };
    next.then(forget, forget);
    return next;
  }

  private async consider(dossier: DossierRecord, template: Template, reason: Reason): Promise<DraftingSnapshotSummary | undefined> {
    const last = await this.lastOf(dossier.id);
    const now = Date.now();
    const due = reason === 'restoring' || (reason === 'left' ? this.changed.has(dossier.id) : !last || now - last.takenAt >= this.options.intervalMs);
    if (!due) return undefined;
    this.changed.delete(dossier.id);
    const stored = await this.storage.dossiers.getSectionContents(dossier.id);
    const sections = Object.fromEntries(template.sections.map((section) => [section.id, stored.get(section.id)?.content ?? null]));
    const contentHash = await hashOf(sections);
    if (last?.contentHash === contentHash) return undefined;
    const snapshot = await this.storage.history.addSnapshot({ dossierId: dossier.id, takenAt: new Date(now).toISOString(), contentHash, sections });
    this.last.set(dossier.id, { takenAt: now, contentHash });
    return snapshot;
  }

  private async lastOf(dossierId: string) {
    if (!this.last.has(dossierId)) {
      const [latest] = await this.storage.history.listSnapshots(dossierId);
      this.last.set(dossierId, latest ? { takenAt: Date.parse(latest.takenAt), contentHash: latest.contentHash } : null);
    }
    return this.last.get(dossierId)!;
  }

  /** Whether a section document of the dossier is still loaded (someone connected, or its unload still running). */
  private anyLoaded(dossierId: string): boolean {
    for (const name of this.hocuspocus?.documents.keys() ?? []) if (name.startsWith(`${dossierId}/`)) return true;
    return false;
  }

  /**
   * Writes `content` into the live section document as the user's change, through a direct connection:
   * every open editor sees it at once, and it is stored (and audited as `section.changed`) like any edit.
   */
  async restoreSection<K extends SectionKind>(
    dossierId: string,
    section: TemplateSection & { kind: K },
    content: SectionContentByKind[K],
    context: CollabContext,
  ): Promise<void> {
    if (!this.hocuspocus) throw new Error('drafting history is not attached to the collaboration server');
    const connection = await this.hocuspocus.openDirectConnection(documentName(dossierId, section.id), context);
    try {
      await connection.transact((document) => replaceSection(document, section, content));
    } finally {
      await connection.disconnect();
    }
  }
}
