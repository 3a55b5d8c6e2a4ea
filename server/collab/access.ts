/**
 * Who may open which section document, and how: the signed-in user's session
 * cookie decides, through the shared policy. A section the user does not own
 * is opened read-only (Hocuspocus answers such a connection's updates with
 * SyncStatus(false) and applies nothing); a dossier the user may not see, or a
 * name that is no dossier section, is refused alike.
 *
 * Permission is re-decided for every open connection whenever anything the
 * policy reads changes — one mechanism for all causes:
 * - the dossier (`dossierChanged`, and at once when the live header changes
 *   öffentlich/nichtöffentlich or the involved departments: before the next
 *   message of the editor is read, not at the next debounced store),
 * - users (`refresh`: roles, department, disabled, sessions deleted).
 * Both arrive as cluster events (cluster/events.ts), from this process or another.
 * A connection that may no longer read is closed; one that may no longer
 * write turns read-only (and is told so).
 */
import type {
  afterLoadDocumentPayload,
  afterUnloadDocumentPayload,
  Connection,
  connectedPayload,
  Document,
  Extension,
  Hocuspocus,
  onAuthenticatePayload,
  onConfigurePayload,
  onLoadDocumentPayload,
} from '@hocuspocus/server';
import { shouldSkipStoreHooks } from '@hocuspocus/server';
import type { AccessMessage } from '../../dossier/collab-messages';
import { CloseCode } from '../../dossier/close-codes';
import { parseDocumentName, readSection } from '../../dossier/layout';
import { canSeeDossier, canWriteSection, type Actor, type DossierAccess } from '../../dossier/policy';
import { involvedIds, type DepartmentName } from '../../dossier/departments';
import { decidesAccess, involvedFrom, visibilityFrom } from '../../dossier/template';
import { cookieValue, type Sessions } from '../accounts/sessions';
import type { SectionResolver } from '../dossiers/sections';
import type { DossierRecord, Storage } from '../storage/storage';
import type { ClusterEvents } from '../cluster/events';
import { Refusal } from './refusal';
import { logFor } from '../log';

const log = logFor('access');

/** What a connection's context holds once authenticated. */
export interface CollabContext {
  user: { id: string; username: string; displayName: string };
  actor: Actor;
  /** The session the connection was opened with (its stored hash). */
  sessionHash: string;
}

/** Audit rows "opened the dossier" remembered per session, at most this many (a restart forgets them anyway). */
const MAX_ANNOUNCED = 10_000;

export class Access implements Extension {
  // Stryker disable next-line StringLiteral: Hocuspocus shows extension names only on the start screen of its own Server, which this project does not use
  extensionName = 'Access';
  priority = 1000;
  private instance!: Hocuspocus;
  /** `<session hash> <dossier id>` of sessions whose opening of a dossier is in the audit log. */
  private readonly announced = new Set<string>();
  /** Section owners of loaded documents (templates do not change while the server runs). */
  private readonly owners = new WeakMap<Document, string>();
  /**
   * Each dossier with loaded (or loading) sections: the names of those section documents (a change to one dossier
   * looks at its own few documents, not at every document the process holds: thousands), and the latest known
   * record of the dossier, which the policy reads. A dossier leaves when the last of its sections unloads.
   */
  private readonly open = new Map<string, { names: Set<string>; record?: DossierRecord }>();
  /** The city's departments, read when a section that lists involved departments loads: the watcher must decide synchronously. */
  private departments!: DepartmentName[];

  // Stryker disable all: memory only, an ended session's hash never comes back
  constructor(
    private readonly sessions: Sessions,
    private readonly resolve: SectionResolver,
    private readonly storage: Storage,
    private readonly sessionCookie: string,
    private readonly events: ClusterEvents,
  ) {
    sessions.onEnded(({ tokenHash }) => {
      for (const key of this.announced) if (key.startsWith(`${tokenHash} `)) this.announced.delete(key);
    });
  }
  // Stryker restore all

  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
  }

  async onAuthenticate({ documentName, requestHeaders, connectionConfig }: onAuthenticatePayload): Promise<CollabContext> {
    const signedIn = await this.sessions.resolve(cookieValue(requestHeaders.get('cookie'), this.sessionCookie));
    if (!signedIn) throw new Refusal('unauthorized', 'no valid session');
    const resolved = await this.resolve(documentName);
    // a dossier the user may not see is indistinguishable from one that does not exist
    if (!resolved || !canSeeDossier(signedIn.actor, resolved.dossier)) {
      // the frame check bounds names to 300 characters (frames.ts)
      throw new Refusal('unknown-document', documentName);
    }
    connectionConfig.readOnly = !canWriteSection(signedIn.actor, resolved.dossier, resolved.section.owner);
    const announce = `${signedIn.session.tokenHash} ${resolved.dossier.id}`;
    if (!this.announced.has(announce)) {
      // Stryker disable next-line all: memory only; to be seen it needs 10,000 sessions opening dossiers
      if (this.announced.size >= MAX_ANNOUNCED) this.announced.clear();
      this.announced.add(announce);
      await this.storage.audit.append({
        at: new Date().toISOString(),
        userId: signedIn.user.id,
        action: 'dossier.connected',
        dossierId: resolved.dossier.id,
        sectionId: null,
        detail: null,
      });
    }
    const { id, username, displayName } = signedIn.user;
    return { user: { id, username, displayName }, actor: signedIn.actor, sessionHash: signedIn.session.tokenHash };
  }

  /**
   * Remembers each loaded section's owner, and watches the section that
   * decides öffentlich/nichtöffentlich and the involved departments: its
   * changes re-decide access at once.
   */
  async onLoadDocument({ documentName }: onLoadDocumentPayload): Promise<void> {
    const dossierId = dossierOf(documentName);
    const open = this.open.get(dossierId) ?? { names: new Set<string>() };
    open.names.add(documentName);
    this.open.set(dossierId, open);
  }

  async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload): Promise<void> {
    const resolved = await this.resolve(documentName);
    // Stryker disable next-line ConditionalExpression: Hocuspocus loads only documents whose name onAuthenticate resolved
    if (!resolved) return;
    const { template, section } = resolved;
    const dossierId = resolved.dossier.id;
    this.owners.set(document, section.owner);
    // a record already known is at least as new: another section of the dossier is loaded, or a change arrived while this one loaded
    if (!this.open.get(dossierId)?.record) this.remember(resolved.dossier);
    // Stryker disable next-line ConditionalExpression: watching every section finds no change of access in the others; it only costs work
    if (!decidesAccess(template, section.id)) return;
    this.departments = await this.storage.accounts.listDepartments();
    document.on('update', (_update: Uint8Array, origin: unknown) => {
      // Stryker disable next-line OptionalChaining: the dossier stays open while this section is loaded
      const dossier = this.open.get(dossierId)?.record;
      // Stryker disable next-line ConditionalExpression: as above
      if (!dossier) return;
      const live = readSection(document, section);
      const changes = this.accessChanges(dossier, visibilityFrom(template, section.id, live), involvedFrom(template, section.id, live));
      if (!changes) return;
      const changed = { ...dossier, ...changes };
      this.remember(changed);
      // Synchronously, before the next message is read: text typed after the change never reaches someone who lost access.
      this.apply(dossierId, (connection) => connection.context as CollabContext, changed);
      // a change made on another process (it came through Redis) is recorded and announced there
      if (shouldSkipStoreHooks(origin)) return;
      this.record(dossierId, changes)
        // processes without this section loaded learn of it from the record
        .then(() => this.events.publish({ type: 'dossier-access', dossierId }))
        .catch((error: Error) => log.error({ dossierId, err: error }, 'recording who may read the dossier failed'));
    });
  }

  /**
   * What the live header says differently from the dossier's record: öffentlich,
   * and the involved departments (names of older dossiers read as their ids,
   * unknown ones and the lead left out, as storage records them).
   */
  private accessChanges(
    dossier: DossierRecord,
    isPublic: boolean | undefined,
    listed: string[] | undefined,
  ): Partial<Pick<DossierRecord, 'public' | 'involvedDepartmentIds'>> | undefined {
    const changes: Partial<Pick<DossierRecord, 'public' | 'involvedDepartmentIds'>> = {};
    if (isPublic !== undefined && isPublic !== dossier.public) changes.public = isPublic;
    if (listed !== undefined) {
      const involved = involvedIds(listed, this.departments, dossier.leadDepartmentId);
      const same = involved.length === dossier.involvedDepartmentIds.length && involved.every((id, i) => id === dossier.involvedDepartmentIds[i]);
      if (!same) changes.involvedDepartmentIds = involved;
    }
    return Object.keys(changes).length > 0 ? changes : undefined;
  }

  private async record(dossierId: string, changes: Partial<Pick<DossierRecord, 'public' | 'involvedDepartmentIds'>>): Promise<void> {
    if (changes.public !== undefined) await this.storage.dossiers.setPublic(dossierId, changes.public);
    if (changes.involvedDepartmentIds !== undefined) await this.storage.dossiers.setInvolvedDepartments(dossierId, changes.involvedDepartmentIds);
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    const dossierId = dossierOf(documentName);
    const open = this.open.get(dossierId);
    // Stryker disable next-line ConditionalExpression: every unloaded document was loaded, and so registered, first
    if (!open) return;
    open.names.delete(documentName);
    if (open.names.size === 0) this.open.delete(dossierId);
  }

  /** The dossiers with sections loaded here (for tests and operations). */
  openDossiers(): string[] {
    return [...this.open.keys()];
  }

  /**
   * Hocuspocus answers "authenticated" before the section has loaded and the connection has joined it. A change of
   * access in between (a header edit, a status change, another process's announcement) re-decides the connections it
   * finds, and not this one: once joined, it is decided again with the newest known record.
   */
  async connected({ documentName, connection }: connectedPayload): Promise<void> {
    const dossier = this.open.get(dossierOf(documentName))?.record;
    // Stryker disable next-line ConditionalExpression: a joined connection's section has loaded, and loading remembered the record
    if (!dossier) return;
    this.decide(connection, this.owners.get(connection.document), connection.context as CollabContext, dossier);
  }

  /** Re-decides every open connection of a dossier after a change to it (visibility, departments, lead, status). */
  async dossierChanged(dossierId: string): Promise<void> {
    const dossier = await this.storage.dossiers.get(dossierId);
    this.remember(dossier);
    this.apply(dossierId, (connection) => connection.context as CollabContext, dossier);
  }

  /** Keeps the newest record of a dossier that has sections loaded here. */
  private remember(dossier: DossierRecord | undefined): void {
    const open = dossier && this.open.get(dossier.id);
    if (open) open.record = dossier;
  }

  /** Re-decides the open connections of the given users (or of everyone) after changes to them. */
  async refresh(userIds?: ReadonlySet<string>): Promise<void> {
    const contexts = new Map<string, CollabContext | null>();
    for (const document of this.documents()) {
      for (const connection of document.getConnections()) {
        const context = connection.context as CollabContext;
        // Stryker disable next-line ConditionalExpression: an optimisation, asking again about everybody's session finds their same rights
        if (userIds && !userIds.has(context.user.id)) continue;
        // Stryker disable next-line ConditionalExpression: as above, once per session instead of once per connection
        if (!contexts.has(context.sessionHash)) {
          const signedIn = await this.sessions.resolveHash(context.sessionHash);
          contexts.set(context.sessionHash, signedIn ? { ...context, actor: signedIn.actor } : null);
        }
      }
    }
    for (const dossierId of this.openDossiers()) {
      const dossier = await this.storage.dossiers.get(dossierId);
      this.apply(
        dossierId,
        (connection) => {
          const context = connection.context as CollabContext;
          return contexts.has(context.sessionHash) ? contexts.get(context.sessionHash)! : context;
        },
        dossier,
      );
    }
  }

  private documents(): Document[] {
    return [...this.instance.documents.values()];
  }

  /** The dossier's loaded section documents. */
  private documentsOf(dossierId: string): Document[] {
    // Stryker disable next-line ArrayDeclaration: a made-up name finds no document either
    return [...(this.open.get(dossierId)?.names ?? [])].flatMap((name) => this.instance.documents.get(name) ?? []);
  }

  /**
   * Applies the policy to every connection of the dossier's sections, with
   * each connection's actor as `contextOf` gives it (null: no longer signed in).
   * Synchronous: nothing can arrive in between.
   */
  private apply(dossierId: string, contextOf: (connection: Connection) => CollabContext | null, dossier: DossierAccess | undefined): void {
    for (const document of this.documentsOf(dossierId)) {
      const owner = this.owners.get(document);
      for (const connection of document.getConnections()) this.decide(connection, owner, contextOf(connection), dossier);
    }
  }

  /** Closes a connection whose user may no longer see the dossier, else gives it the rights its user has now on its section. */
  private decide(connection: Connection, owner: string | undefined, context: CollabContext | null, dossier: DossierAccess | undefined): void {
    if (!context || !dossier || !canSeeDossier(context.actor, dossier)) {
      connection.close(context ? { code: CloseCode.forbidden, reason: 'forbidden' } : { code: CloseCode.unauthorized, reason: 'unauthorized' });
      return;
    }
    (connection.context as CollabContext).actor = context.actor;
    const readOnly = owner === undefined || !canWriteSection(context.actor, dossier, owner);
    if (connection.readOnly !== readOnly) {
      connection.readOnly = readOnly;
      const message: AccessMessage = { type: 'access', readOnly };
      connection.sendStateless(JSON.stringify(message));
    }
  }
}

/** The dossier of a section document's name. Hocuspocus loads a document only once onAuthenticate resolved its name. */
const dossierOf = (documentName: string): string => parseDocumentName(documentName)!.dossierId;
