/**
 * Stateless messages the collaboration server sends to the clients of a
 * section document, beside the Yjs sync protocol.
 */

/**
 * What the server has stored of a document, as a Yjs state vector (base64):
 * sent after each store (`at`: when) and to each client that connects (`at`:
 * null, stored earlier). A client's edits are saved when their clocks are covered.
 */
export interface StoredMessage {
  type: 'stored';
  stateVector: string;
  at: string | null;
}

/** The user's write access to this section changed while the connection was open. */
export interface AccessMessage {
  type: 'access';
  readOnly: boolean;
}

export type ServerMessage = StoredMessage | AccessMessage;

/** Parses a stateless payload; anything else (or malformed) is undefined. */
export function parseServerMessage(payload: string): ServerMessage | undefined {
  let message: unknown;
  try {
    message = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!message || typeof message !== 'object') return undefined;
  const m = message as Record<string, unknown>;
  if (m.type === 'stored' && typeof m.stateVector === 'string' && (typeof m.at === 'string' || m.at === null))
    return { type: 'stored', stateVector: m.stateVector, at: m.at };
  if (m.type === 'access' && typeof m.readOnly === 'boolean') return { type: 'access', readOnly: m.readOnly };
  return undefined;
}
