/**
 * Stateless messages the collaboration server sends to the clients of a
 * section document, beside the Yjs sync protocol.
 */

/** After each store: what is stored, as a Yjs state vector (base64); a client is saved when its own clock is covered. */
export interface StoredMessage {
  type: 'stored';
  stateVector: string;
  at: string;
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
  if (m.type === 'stored' && typeof m.stateVector === 'string' && typeof m.at === 'string') return { type: 'stored', stateVector: m.stateVector, at: m.at };
  if (m.type === 'access' && typeof m.readOnly === 'boolean') return { type: 'access', readOnly: m.readOnly };
  return undefined;
}
