/**
 * Presence is what the server says it is. Each connection owns one awareness
 * client id per document (the first it sends); entries it sends for any other
 * id are dropped, so nobody overwrites another's caret or name. The `user`
 * field of its state is replaced by the connection's signed-in user, so a
 * councillor cannot appear as "Petra Schmid (Sitzungsdienst)" in carets or in
 * the list's "who is editing". A state larger than any the client sends is
 * refused and closes that document connection.
 */
import type { beforeHandleAwarenessPayload, Extension } from '@hocuspocus/server';
import { CloseCode } from '../../dossier/close-codes';
import { MAX_AWARENESS_STATE, userColor, type PresenceUser } from '../../dossier/presence';
import type { CollabContext } from './access';
import { Refusal } from './refusal';

export class TrustedAwareness implements Extension {
  extensionName = 'TrustedAwareness';

  async beforeHandleAwareness({ states, connection, context, document }: beforeHandleAwarenessPayload): Promise<void> {
    // updates not from a client connection are the server's own
    if (!connection) return;
    const { user } = context as CollabContext;
    const othersOwn = new Set(document.getConnections().flatMap((c) => (c === connection ? [] : [...(document.getClients(c) as Set<number>)])));
    let own = (document.getClients(connection) as Set<number>).values().next().value as number | undefined;
    for (const [clientId, state] of [...states]) {
      if (othersOwn.has(clientId)) {
        states.delete(clientId);
        continue;
      }
      // An empty state says nothing and is nobody's yet; Hocuspocus' own decoding adds one, too.
      if (Object.keys(state).length === 0 && clientId !== own) continue;
      own ??= clientId;
      if (clientId !== own) {
        states.delete(clientId);
        continue;
      }
      const size = JSON.stringify(state).length;
      if (size > MAX_AWARENESS_STATE) throw new Refusal('awareness-too-large', `awareness state of ${size} characters from user ${user.id}`, CloseCode.tooLarge);
      const presence: PresenceUser = { id: user.id, name: user.displayName, color: userColor(user.id) };
      state.user = presence;
    }
  }
}
