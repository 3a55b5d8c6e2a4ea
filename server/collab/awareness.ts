/**
 * The server decides who a connection is in presence, not the client. Each
 * document connection owns one awareness client id (the first it publishes that
 * no other connection holds); entries it sends for any other id are dropped,
 * and the `user` of its own state is replaced by its signed-in user. A state
 * larger than any the client publishes is refused and closes that document
 * connection. The hook edits the decoded update before Hocuspocus applies and
 * forwards it, so nobody ever sees what was dropped or replaced.
 */
import type { Connection, Document, Extension, beforeHandleAwarenessPayload } from '@hocuspocus/server';
import { CloseCode } from '../../dossier/close-codes';
import { presenceUser } from '../../dossier/presence';
import type { CollabContext } from './access';
import { Refusal } from './refusal';

/** `user`, `editing`, the caret's relative positions, a budget cell: well under a kilobyte. */
export const MAX_AWARENESS_STATE_BYTES = 8 * 1024;

export class AwarenessGuard implements Extension {
  // Stryker disable next-line StringLiteral: Hocuspocus shows extension names only on the start screen of its own Server, which this project does not use
  extensionName = 'AwarenessGuard';

  async beforeHandleAwareness({ states, connection, context, document }: beforeHandleAwarenessPayload): Promise<void> {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: only the server's own direct connections have neither, and they publish no awareness
    if (!connection || !context) return;
    for (const state of states.values()) {
      if (Buffer.byteLength(JSON.stringify(state)) > MAX_AWARENESS_STATE_BYTES) {
        throw new Refusal('awareness-too-large', `awareness state over ${MAX_AWARENESS_STATE_BYTES} bytes for ${document.name}`, CloseCode.tooLarge);
      }
    }
    const own = ownClientId(document, connection, states);
    for (const clientId of [...states.keys()]) if (clientId !== own) states.delete(clientId);
    // what is left is the connection's own state, if any; null withdraws it
    for (const state of states.values()) if (state) state.user = presenceUser((context as CollabContext).user);
  }
}

/**
 * The client id this connection owns, claiming one if it has none yet.
 * Hocuspocus records only ids that are new to the document (a reconnecting
 * client keeps its id, which the document already knows) in the live set
 * `getClients` returns, and removes those states when the connection closes;
 * the claim is added to that set so it is always recorded and removed.
 */
function ownClientId(document: Document, connection: Connection, states: Map<number, Record<string, unknown>>): number | undefined {
  const owned = document.getClients(connection) as Set<number>;
  const [current] = owned;
  if (current !== undefined) return current;
  // Stryker disable next-line ConditionalExpression: this connection holds no id yet when it claims one
  const heldByOthers = (clientId: number) => document.getConnections().some((other) => other !== connection && document.getClients(other).has(clientId));
  // an empty state claims nothing: Hocuspocus's scratch copy of the update carries one of its own
  const claim = [...states].find(([clientId, state]) => Object.keys(state).length > 0 && !heldByOthers(clientId))?.[0];
  if (claim !== undefined) owned.add(claim);
  return claim;
}
