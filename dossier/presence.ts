/**
 * How a user appears to the others in presence (avatars, carets): the same
 * colour for the same user on every device. The browser shows it, and the
 * server writes it into each connection's awareness, so both use this one
 * function.
 */

/** Dark enough that white caret labels and avatar initials keep a 4.5:1 contrast. */
export const userColors = ['#1d4f91', '#8c2f39', '#2f6b3a', '#6b3fa0', '#9a4a00', '#00667a', '#5b4a3a', '#a0185d'] as const;

export function userColor(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return userColors[hash % userColors.length]!;
}

/** The `user` part of an awareness state. */
export interface PresenceUser {
  id: string;
  name: string;
  color: string;
}

export function presenceUser(user: { id: string; displayName: string }): PresenceUser {
  return { id: user.id, name: user.displayName, color: userColor(user.id) };
}
