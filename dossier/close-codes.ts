/**
 * Why the collaboration server closed a WebSocket or one document on it.
 * Client and server import these; the numbers are in the 4000–4999 range
 * applications may use, with the HTTP status they resemble in the last digits.
 */
export const CloseCode = {
  /** The message could not be read (or holds text XML cannot carry): the client is broken or hostile. */
  invalidMessage: 4400,
  /** No valid session (any more): signed out, expired, idle, password changed. */
  unauthorized: 4401,
  /** The user may no longer see this dossier. */
  forbidden: 4403,
  /** An awareness state or message larger than the server takes. */
  tooLarge: 4413,
  /** Too many open connections of this user or from this address. */
  tooManyConnections: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
