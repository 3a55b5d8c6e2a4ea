/**
 * How a user appears to the others (carets, avatars, the list's "who is
 * editing"): the server writes name and colour into each connection's
 * awareness state, so nobody can appear as someone else; the web client uses
 * the same colour for itself.
 */

/** Dark enough that white caret labels and avatar initials keep a 4.5:1 contrast. */
export const userColors = ['#1d4f91', '#8c2f39', '#2f6b3a', '#6b3fa0', '#9a4a00', '#00667a', '#5b4a3a', '#a0185d'] as const;

/** The same colour for the same user on every device. */
export function userColor(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return userColors[hash % userColors.length]!;
}

/** The `user` field of an awareness state. */
export interface PresenceUser {
  id: string;
  name: string;
  color: string;
}

/** Largest awareness state the server takes (JSON characters); the client's are a few hundred. */
export const MAX_AWARENESS_STATE = 8 * 1024;
