/**
 * Who may open which section document, and how: the signed-in user's session
 * cookie decides, through the shared policy. A section the user does not own
 * is opened read-only (Hocuspocus answers such a connection's updates with
 * SyncStatus(false) and applies nothing); a dossier the user may not see, or a
 * name that is no dossier section, is refused alike.
 *
 * Permissions follow changes at once: `refresh` re-evaluates every open
 * connection of the given users (or all), downgrading, upgrading or closing it.
 */
import type { Connection, Extension, Hocuspocus, onAuthenticatePayload, onDisconnectPayload } from '@hocuspocus/server';
import type { AccessMessage } from '../../dossier/collab-messages';
import { canSeeDossier, canWriteSection, type Actor } from '../../dossier/policy';
import { cookieValue, SESSION_COOKIE, type Sessions } from '../accounts/sessions';
import type { ResolvedSection, SectionResolver } from '../dossiers/sections';
import type { Storage } from '../storage/storage';
import { actorOf } from '../accounts/sessions';

/** What a connection's context holds once authenticated. */
export interface CollabContext {
  user: { id: string; username: string; displayName: string };
  actor: Actor;
}

const refusal = (reason: 'unauthorized' | 'unknown-document', message: string) => Object.assign(new Error(message), { reason });

export class Access implements Extension {
  extensionName = 'Access';
  priority = 1000;
  private readonly announced = new Set<string>();

  constructor(
    private readonly sessions: Sessions,
    private readonly resolve: SectionResolver,
    private readonly storage: Storage,
  ) {}

  async onAuthenticate({ documentName, requestHeaders, connectionConfig, socketId }: onAuthenticatePayload): Promise<CollabContext> {
    const signedIn = await this.sessions.resolve(cookieValue(requestHeaders.get('cookie'), SESSION_COOKIE));
    if (!signedIn) throw refusal('unauthorized', 'no valid session');
    const resolved = await this.resolve(documentName);
    // a dossier the user may not see is indistinguishable from one that does not exist
    if (!resolved || !canSeeDossier(signedIn.actor, resolved.dossier)) {
      throw refusal('unknown-document', `unknown document "${documentName.slice(0, 200)}"`);
    }
    connectionConfig.readOnly = !canWriteSection(signedIn.actor, resolved.dossier, resolved.section.owner);
    const announce = `${socketId}:${resolved.dossier.id}`;
    if (!this.announced.has(announce)) {
      this.announced.add(announce);
      await this.storage.appendAudit({
        at: new Date().toISOString(),
        userId: signedIn.user.id,
        action: 'dossier.connected',
        dossierId: resolved.dossier.id,
        sectionId: null,
        detail: null,
      });
    }
    const { id, username, displayName } = signedIn.user;
    return { user: { id, username, displayName }, actor: signedIn.actor };
  }

  async onDisconnect({ socketId }: onDisconnectPayload): Promise<void> {
    for (const key of this.announced) if (key.startsWith(`${socketId}:`)) this.announced.delete(key);
  }

  /** Re-evaluates open connections, of the given users or of everyone (e.g. after a dossier was released). */
  async refresh(hocuspocus: Hocuspocus, userIds?: ReadonlySet<string>): Promise<void> {
    const actors = new Map<string, Actor | null>();
    const actorFor = async (userId: string) => {
      if (!actors.has(userId)) {
        const user = await this.storage.getUser(userId);
        const department = user && (await this.storage.getDepartment(user.departmentId));
        actors.set(userId, user && department && !user.disabled ? actorOf(user, department) : null);
      }
      return actors.get(userId)!;
    };
    for (const [name, document] of hocuspocus.documents) {
      const connections = document.getConnections().filter((c) => !userIds || userIds.has((c.context as CollabContext).user.id));
      if (connections.length === 0) continue;
      const resolved = await this.resolve(name);
      for (const connection of connections) await this.apply(connection, resolved, await actorFor((connection.context as CollabContext).user.id));
    }
  }

  private async apply(connection: Connection, resolved: ResolvedSection | undefined, actor: Actor | null): Promise<void> {
    if (!actor || !resolved || !canSeeDossier(actor, resolved.dossier)) {
      connection.close({ code: 4401, reason: 'unauthorized' });
      return;
    }
    (connection.context as CollabContext).actor = actor;
    const readOnly = !canWriteSection(actor, resolved.dossier, resolved.section.owner);
    if (connection.readOnly !== readOnly) {
      connection.readOnly = readOnly;
      const message: AccessMessage = { type: 'access', readOnly };
      connection.sendStateless(JSON.stringify(message));
    }
  }
}
