/**
 * The workflow of a dossier on the server: Entwurf → In Mitzeichnung →
 * Freigegeben, content-bound co-signatures, and the release into an immutable
 * version. The policy (dossier/policy.ts) says who may; this module makes it
 * happen consistently:
 *
 * - every status change is a compare-and-set in storage, audited, re-decided
 *   on every open connection of every process (a `dossier-status` cluster event) and written
 *   into the Mitzeichnung section's Yjs document, so every open client sees
 *   it live and the stored state, the canonical JSON and the live document agree;
 * - a signature's state is computed from the *current* content (the live
 *   document when loaded, else storage) on every read, and pushed into the
 *   Mitzeichnung document shortly after any signed section changes.
 */
import type { Hocuspocus } from '@hocuspocus/server';
import type * as Y from 'yjs';
import { compareSections, type SectionComparison } from '../../dossier/compare';
import { checkReadiness, type ReadinessItem } from '../../dossier/completeness';
import { contentHash } from '../../dossier/content-hash';
import type { BudgetContent, Signature, SignatureDecision } from '../../dossier/content';
import { documentName, readMitzeichnung, readSection, writeMitzeichnung, type WorkflowState } from '../../dossier/layout';
import type { Actor } from '../../dossier/policy';
import { coveredSections, requiredDepartmentIds, signatureValidity } from '../../dossier/signatures';
import type { DossierStatus } from '../../dossier/status';
import type { Template } from '../../dossier/template';
import type { Persistence } from '../collab/persistence';
import type { Letterhead } from '../export/pdf';
import type { ExportPool } from '../export/pool';
import { dossierSnapshot } from '../export/source';
import type { DepartmentRecord, DossierRecord, SignatureRecord, Storage } from '../storage/storage';
import type { TemplateRegistry } from '../templates/loader';
import type { SectionChanges } from './section-changes';
import { ClusterRequestFailed, type ClusterEvents } from '../cluster/events';
import type { SignatureStatus } from '../../dossier/rest';
import { logFor } from '../log';

const log = logFor('workflow');

export type { SignatureStatus };

/** A refusal that carries more than a message (409 with `changedSections` or `reasons`). */
export class WorkflowConflict extends Error {
  constructor(
    message: string,
    readonly body: Record<string, unknown> = {},
    readonly status = 409,
  ) {
    super(message);
    this.name = 'WorkflowConflict';
  }
}

export interface WorkflowDeps {
  storage: Storage;
  templates: TemplateRegistry;
  collaboration: { hocuspocus: Hocuspocus; persistence: Persistence; sectionChanges: SectionChanges };
  /** Status changes re-decide access on every process (this one's connections before `publish` resolves). */
  events: ClusterEvents;
  exportPool: ExportPool;
  letterhead: Letterhead;
  /** Wait after a change to a signed section before the signatures' state is pushed (changes in between are taken together). */
  invalidationDelayMs?: number;
}

/** What the server writes as, in a direct connection: no user, so no audit row for a section change. */
const WORKFLOW_CONTEXT = { workflow: true } as const;

export class Workflow {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Writes into a dossier's Mitzeichnung document run one after another. */
  private readonly queues = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly deps: WorkflowDeps) {
    deps.collaboration.sectionChanges.onSectionChange((dossierId) => this.scheduleRefresh(dossierId));
    // Whichever process releases or co-signs asks every process (this one too) to store what it holds of the
    // dossier. Heard until the cluster events close, after `close()`: a process shutting down still stores when asked.
    deps.events.subscribe(async (event) => {
      if (event.type === 'store-dossier') await this.storeHere(event.dossierId);
    });
  }

  templateOf(dossier: DossierRecord): Template {
    const template = this.deps.templates.get(dossier.templateId);
    if (!template) throw new WorkflowConflict(`Das Vorlagenmuster "${dossier.templateId}" dieser Vorlage ist nicht mehr installiert.`);
    return template;
  }

  /** Every section's canonical JSON now: from the live document where one is loaded, else as stored. */
  async currentContents(dossier: DossierRecord, template = this.templateOf(dossier)): Promise<Map<string, { content: unknown; updatedAt: string }>> {
    const contents = await this.deps.storage.dossiers.getSectionContents(dossier.id);
    for (const section of template.sections) {
      const document = this.deps.collaboration.hocuspocus.documents.get(documentName(dossier.id, section.id));
      const stored = contents.get(section.id);
      if (document && !document.isLoading)
        contents.set(section.id, { content: readSection(document, section), updatedAt: stored?.updatedAt ?? dossier.updatedAt });
    }
    return contents;
  }

  /** The content hash of each section, or of the given sections only (hashing every section costs time on each keystroke's refresh). */
  async hashes(contents: ReadonlyMap<string, { content: unknown }>, only?: ReadonlySet<string>): Promise<Map<string, string>> {
    const wanted = only ? [...contents].filter(([id]) => only.has(id)) : [...contents];
    const entries = await Promise.all(wanted.map(async ([id, { content }]) => [id, await contentHash(content)] as const));
    return new Map(entries);
  }

  /** The departments that must co-sign, in order, as records (an unknown id keeps its id as name). */
  async requiredDepartments(dossier: DossierRecord, template: Template, contents: ReadonlyMap<string, { content: unknown }>): Promise<DepartmentRecord[]> {
    const departments = await this.deps.storage.accounts.listDepartments();
    const budgetSection = template.sections.find((section) => section.kind === 'budget');
    const budget = budgetSection ? (contents.get(budgetSection.id)?.content as BudgetContent | undefined) : undefined;
    return requiredDepartmentIds(dossier, budget && Array.isArray(budget.lines) ? budget : undefined, departments).map(
      (id) => departments.find((department) => department.id === id) ?? { id, name: id, shortName: id, function: '' },
    );
  }

  /** Each requested department's signature of the current revision and whether it still holds. */
  async signatureStatus(
    dossier: DossierRecord,
    known?: { template: Template; contents: ReadonlyMap<string, { content: unknown }> },
  ): Promise<SignatureStatus[]> {
    const template = known?.template ?? this.templateOf(dossier);
    const contents = known?.contents ?? (await this.currentContents(dossier, template));
    const [required, records] = await Promise.all([
      this.requiredDepartments(dossier, template, contents),
      this.deps.storage.workflow.listSignatures(dossier.id, dossier.revision),
    ]);
    // Only what some signature covers is hashed: while a draft has none, typing hashes nothing.
    const hashes = await this.hashes(contents, new Set(records.flatMap((record) => Object.keys(record.sections))));
    const names = new Map<string, string>();
    for (const record of records) names.set(record.userId, (await this.deps.storage.accounts.getUser(record.userId))?.displayName ?? record.userId);
    return required.map((department) => {
      const record = records.find((r) => r.departmentId === department.id);
      if (!record) {
        return {
          departmentId: department.id,
          departmentName: department.name,
          state: 'pending',
          decision: null,
          signedBy: null,
          signedAt: null,
          remark: null,
          sections: {},
          changedSections: [],
        };
      }
      const { state, changedSections } = signatureValidity(record.sections, hashes);
      return {
        departmentId: department.id,
        departmentName: department.name,
        state,
        decision: record.decision,
        signedBy: names.get(record.userId) ?? record.userId,
        signedAt: record.signedAt,
        remark: record.remark,
        sections: record.sections,
        changedSections,
      };
    });
  }

  /** The readiness checklist of the dossier now; `referenceNumber` is the one a release would give. */
  async readiness(dossier: DossierRecord, referenceNumber = dossier.referenceNumber): Promise<{ ready: boolean; items: ReadinessItem[] }> {
    const template = this.templateOf(dossier);
    const contents = await this.currentContents(dossier, template);
    const signatures = await this.signatureStatus(dossier, { template, contents });
    return checkReadiness(template, new Map([...contents].map(([id, { content }]) => [id, content])), signatures, { referenceNumber });
  }

  // ---- signing --------------------------------------------------------------------------------------

  /**
   * Records the signer's department's signature over the sections it covers,
   * with the hashes the signer's client saw; refused (409, the changed
   * sections) when the content is no longer what they saw.
   */
  /**
   * Word by word what changed in the sections a department signed since it signed them, for
   * each covered section that changed; undefined when the department has not signed this revision.
   */
  async changesSinceSigned(dossier: DossierRecord, departmentId: string): Promise<SectionComparison[] | undefined> {
    const template = this.templateOf(dossier);
    const record = (await this.deps.storage.workflow.listSignatures(dossier.id, dossier.revision)).find((r) => r.departmentId === departmentId);
    if (!record) return undefined;
    const contents = await this.currentContents(dossier, template);
    const hashes = await this.hashes(contents);
    const { changedSections } = signatureValidity(record.sections, hashes);
    const now = Object.fromEntries(changedSections.map((id) => [id, contents.get(id)?.content ?? null]));
    const signed = Object.fromEntries(changedSections.map((id) => [id, record.contents?.[id] ?? null]));
    return compareSections(template, signed, now).filter((section) => changedSections.includes(section.sectionId));
  }

  async sign(
    actor: Actor,
    dossier: DossierRecord,
    input: { contentHashes: Record<string, string>; decision: SignatureDecision; remark?: string | undefined },
  ): Promise<SignatureStatus> {
    const template = this.templateOf(dossier);
    // what editors on other processes typed and those have not stored yet counts as changed content
    await this.flush(dossier.id);
    const contents = await this.currentContents(dossier, template);
    const hashes = await this.hashes(contents);
    const covered = coveredSections(template, actor.departmentFunction);
    const changedSections = covered.filter((id) => input.contentHashes[id] !== hashes.get(id));
    if (changedSections.length > 0) {
      throw new WorkflowConflict(
        'Die Vorlage hat sich geändert, seit Sie sie geöffnet haben. Bitte die geänderten Abschnitte ansehen und erneut mitzeichnen.',
        { changedSections },
      );
    }
    const record: SignatureRecord = {
      dossierId: dossier.id,
      revision: dossier.revision,
      departmentId: actor.departmentId,
      userId: actor.id,
      signedAt: new Date().toISOString(),
      decision: input.decision,
      remark: input.decision === 'agree' ? null : (input.remark ?? '').trim(),
      sections: Object.fromEntries(covered.map((id) => [id, hashes.get(id)!])),
      contents: Object.fromEntries(covered.map((id) => [id, contents.get(id)?.content ?? null])),
    };
    await this.deps.storage.workflow.saveSignature(record);
    await this.audit(actor.id, 'signature.given', dossier.id, input.decision);
    await this.refresh(dossier.id);
    const status = await this.signatureStatus(dossier, { template, contents });
    return status.find((entry) => entry.departmentId === actor.departmentId)!;
  }

  // ---- status transitions ---------------------------------------------------------------------------

  /** Compare-and-set of the status, then audited and pushed to every open client; 409 when the status was not `from`. */
  async transition(actorId: string, dossier: DossierRecord, from: DossierStatus, to: DossierStatus): Promise<DossierRecord> {
    const at = new Date().toISOString();
    if (!(await this.deps.storage.dossiers.transition(dossier.id, from, to, at))) {
      throw new WorkflowConflict(`Die Vorlage ist nicht (mehr) ${statusWords[from]}.`);
    }
    await this.audit(actorId, 'dossier.status', dossier.id, `${from}→${to}`, at);
    return this.afterStatusChange(dossier.id);
  }

  /** Re-decides access on every open connection and writes the status into the Mitzeichnung document. */
  private async afterStatusChange(dossierId: string, state: Partial<WorkflowState> = {}): Promise<DossierRecord> {
    await this.deps.events.publish({ type: 'dossier-status', dossierId });
    const changed = (await this.deps.storage.dossiers.get(dossierId))!;
    await this.refresh(dossierId, state);
    return changed;
  }

  // ---- release ----------------------------------------------------------------------------------------

  /**
   * Releases a dossier in co-signing: gives or confirms its Vorlagen-Nr.,
   * freezes it (compare-and-set to released, every connection read-only at
   * once), has every process store its unstored changes (503 when one does not
   * answer: nothing stale is released), checks readiness again on the frozen
   * content and, after the last store, on exactly the stored content the
   * version holds, renders the final PDF and stores the version in one
   * transaction. Anything failing after the freeze takes the dossier back to
   * co-signing.
   */
  async release(actorId: string, dossier: DossierRecord, givenReferenceNumber?: string): Promise<{ version: number; referenceNumber: string; sha256: string }> {
    const { storage } = this.deps;
    if (dossier.status !== 'cosigning')
      throw new WorkflowConflict(`Die Vorlage ist nicht in der Mitzeichnung.`, { reasons: ['Freigeben lässt sich nur eine Vorlage in der Mitzeichnung.'] });
    const template = this.templateOf(dossier);
    if (givenReferenceNumber !== undefined && !new RegExp(template.referenceNumber.pattern, 'u').test(givenReferenceNumber)) {
      throw new WorkflowConflict(`Die Vorlagen-Nr. „${givenReferenceNumber}“ hat nicht die Form ${template.referenceNumber.example}.`, {}, 400);
    }
    // the Vorlagen-Nr. is not a reason to refuse here: the release gives one when none is set
    const before = await this.readiness(dossier, givenReferenceNumber ?? dossier.referenceNumber ?? 'wird bei der Freigabe vergeben');
    if (!before.ready) throw notReady(before.items);

    if (givenReferenceNumber) await storage.dossiers.setReferenceNumber(dossier.id, givenReferenceNumber);
    const referenceNumber = givenReferenceNumber
      ? givenReferenceNumber
      : await storage.dossiers.assignReferenceNumber(
          dossier.id,
          `VO/${new Date().toISOString().slice(2, 4)}/`,
          `/${(await storage.accounts.getDepartment(dossier.leadDepartmentId))?.shortName ?? 'XX'}`,
        );

    const at = new Date().toISOString();
    if (!(await storage.dossiers.transition(dossier.id, 'cosigning', 'released', at))) {
      throw new WorkflowConflict('Die Vorlage wurde gerade freigegeben oder ist nicht mehr in der Mitzeichnung.', {
        reasons: ['Die Vorlage ist nicht mehr in der Mitzeichnung.'],
      });
    }
    try {
      await this.deps.events.publish({ type: 'dossier-status', dossierId: dossier.id });
      await this.flush(dossier.id);
      const frozen = (await storage.dossiers.get(dossier.id))!;
      const contents = await this.currentContents(frozen, template);
      const signatures = await this.signatureStatus(frozen, { template, contents });
      const check = checkReadiness(template, new Map([...contents].map(([id, { content }]) => [id, content])), signatures, { referenceNumber });
      if (!check.ready) throw notReady(check.items);

      const version = frozen.revision;
      await this.refresh(dossier.id, { status: 'released', version, referenceNumber });
      await this.flush(dossier.id);
      const stored = await storage.dossiers.getSectionContents(dossier.id);
      // The version holds what is stored now (every process's edits): the signatures must hold for exactly that.
      const releasedSignatures = await this.signatureStatus(frozen, { template, contents: stored });
      const final = checkReadiness(template, new Map([...stored].map(([id, { content }]) => [id, content])), releasedSignatures, { referenceNumber });
      if (!final.ready) throw notReady(final.items);
      const sections = await Promise.all(
        template.sections.map(async (section) => ({
          sectionId: section.id,
          state: (await storage.dossiers.loadSectionState(dossier.id, section.id))!,
          content: stored.get(section.id)?.content ?? null,
        })),
      );
      const released = (await storage.dossiers.get(dossier.id))!;
      const releasedBy = (await storage.accounts.getUser(actorId))?.displayName ?? actorId;
      const snapshot = { ...(await dossierSnapshot(storage, released, template)), version: { number: version, releasedAt: at, releasedBy } };
      const rendered = await this.deps.exportPool.render({ snapshot, template, mode: 'final', letterhead: this.deps.letterhead });
      await storage.workflow.createVersion({
        dossierId: dossier.id,
        version,
        releasedAt: at,
        releasedBy: actorId,
        referenceNumber,
        sha256: rendered.sha256,
        pdf: rendered.pdf,
        signatures: releasedSignatures,
        sections,
      });
      await this.audit(actorId, 'dossier.status', dossier.id, 'cosigning→released', at);
      return { version, referenceNumber, sha256: rendered.sha256 };
    } catch (error) {
      if (await storage.dossiers.transition(dossier.id, 'released', 'cosigning', new Date().toISOString())) {
        await this.afterStatusChange(dossier.id, { status: 'cosigning' }).catch((e: Error) =>
          log.error({ dossierId: dossier.id, err: e }, 'undoing the release failed'),
        );
      }
      throw error;
    }
  }

  /**
   * Has every process store what it holds of the dossier and not stored yet (its debounced stores):
   * then storage holds every edit made so far. One process alone stores its own.
   */
  private async flush(dossierId: string): Promise<void> {
    try {
      await this.deps.events.request({ type: 'store-dossier', dossierId });
    } catch (error) {
      if (!(error instanceof ClusterRequestFailed)) throw error;
      log.error({ dossierId, err: error }, 'not every process stored the dossier');
      throw new WorkflowConflict(
        'Nicht alle Server haben die letzten Änderungen an dieser Vorlage gespeichert. Bitte versuchen Sie es in einer Minute erneut.',
        { reasons: ['Die letzten Änderungen konnten nicht von allen Servern gespeichert werden.'] },
        503,
      );
    }
  }

  /** Stores every section of the dossier this process has loaded with unstored changes. */
  private async storeHere(dossierId: string): Promise<void> {
    const { hocuspocus, persistence } = this.deps.collaboration;
    const documents = new Map([...hocuspocus.documents].filter(([name]) => name.startsWith(`${dossierId}/`)));
    await persistence.flushAll(documents);
  }

  // ---- the Mitzeichnung document ------------------------------------------------------------------------

  /** Recomputes the signatures' state soon after a signed section changed (changes in between are taken together). */
  scheduleRefresh(dossierId: string): void {
    if (this.closed || this.timers.has(dossierId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(dossierId);
      this.refresh(dossierId).catch((error: Error) => log.error({ dossierId, err: error }, 'updating the Mitzeichnung failed'));
    }, this.deps.invalidationDelayMs ?? 150);
    timer.unref();
    this.timers.set(dossierId, timer);
  }

  /**
   * Writes the dossier's status and the signatures' current state into its
   * Mitzeichnung document (nothing when nothing changed), and audits each
   * signature that turned invalid.
   */
  refresh(dossierId: string, state: Partial<WorkflowState> = {}): Promise<void> {
    const previous = this.queues.get(dossierId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.refreshNow(dossierId, state));
    this.queues.set(dossierId, next);
    const forget = () => {
      if (this.queues.get(dossierId) === next) this.queues.delete(dossierId);
    };
    next.then(forget, forget);
    return next;
  }

  private async refreshNow(dossierId: string, state: Partial<WorkflowState>): Promise<void> {
    const dossier = await this.deps.storage.dossiers.get(dossierId);
    const template = dossier && this.deps.templates.get(dossier.templateId);
    const section = template?.sections.find((s) => s.kind === 'signatures');
    if (!dossier || !template || !section) return;
    const statuses = await this.signatureStatus(dossier, { template, contents: await this.currentContents(dossier, template) });
    const items: Signature[] = statuses.flatMap((status) =>
      status.state === 'pending'
        ? []
        : [
            {
              department: status.departmentName,
              departmentId: status.departmentId,
              name: status.signedBy ?? '',
              signedAt: status.signedAt ?? '',
              decision: status.decision ?? 'agree',
              remark: status.remark ?? '',
              sections: status.sections,
              state: status.state,
              changedSections: status.changedSections,
            },
          ],
    );
    const versions = await this.deps.storage.workflow.listVersions(dossierId);
    const content = {
      status: dossier.status,
      version: versions.at(-1)?.version ?? null,
      referenceNumber: dossier.referenceNumber,
      requested: statuses.map((s) => ({ departmentId: s.departmentId, department: s.departmentName })),
      ...state,
      items,
    };
    const invalidated: Signature[] = [];
    const connection = await this.deps.collaboration.hocuspocus.openDirectConnection(documentName(dossierId, section.id), WORKFLOW_CONTEXT);
    try {
      await connection.transact((doc: Y.Doc) => {
        const before = readMitzeichnung(doc).items;
        for (const item of items) {
          const was = before.find((b) => b.departmentId === item.departmentId && b.signedAt === item.signedAt);
          if (item.state === 'invalid' && was?.state === 'valid') invalidated.push(item);
        }
        writeMitzeichnung(doc, content);
      });
    } finally {
      await connection.disconnect();
    }
    for (const item of invalidated) await this.audit(null, 'signature.invalidated', dossierId, `${item.departmentId}: ${item.changedSections.join(', ')}`);
  }

  private audit(userId: string | null, action: string, dossierId: string, detail: string | null, at = new Date().toISOString()): Promise<void> {
    return this.deps.storage.audit.append({ at, userId, action, dossierId, sectionId: null, detail });
  }

  /**
   * Resolves once no refresh of the dossier's Mitzeichnung is waiting or running: what the server
   * derives from a change (signature states, the departments asked) is then written.
   */
  async settled(dossierId: string): Promise<void> {
    for (;;) {
      const running = this.queues.get(dossierId);
      if (running) await running.catch(() => undefined);
      else if (this.timers.has(dossierId)) await new Promise((resolve) => setTimeout(resolve, this.deps.invalidationDelayMs ?? 150));
      else return;
    }
  }

  /** Stops pending refreshes and waits for running ones (on shutdown, before the last store). */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.queues.values()]);
  }
}

const statusWords: Record<DossierStatus, string> = {
  draft: 'im Entwurf',
  cosigning: 'in der Mitzeichnung',
  released: 'freigegeben',
};

function notReady(items: readonly ReadinessItem[]): WorkflowConflict {
  const reasons = items.filter((item) => !item.ok && item.severity === 'error').map((item) => item.message);
  return new WorkflowConflict('Die Vorlage ist noch nicht freigabereif.', { reasons });
}
