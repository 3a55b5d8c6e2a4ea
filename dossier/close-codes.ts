/**
 * Why the collaboration server closed a WebSocket or one document on it.
 * Client and server import these; our own numbers are in the 4000–4999 range
 * applications may use, with the HTTP status they resemble in the last digits.
 */
export const CloseCode = {
  /** RFC 6455: a normal closure (also what a close without a code counts as). */
  normal: 1000,
  /** RFC 6455: the server is shutting down. */
  goingAway: 1001,
  /** The message could not be read (or holds text XML cannot carry): the client is broken or hostile. */
  invalidMessage: 4400,
  /** No valid session (any more): signed out, expired, idle, password changed. */
  unauthorized: 4401,
  /** The user may no longer see this dossier. */
  forbidden: 4403,
  /** An awareness state or message larger than the server takes. */
  tooLarge: 4413,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
