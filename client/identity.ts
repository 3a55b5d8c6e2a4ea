/** How a signed-in user appears to the others: name and a colour for carets and avatars. */
import type { SignedInUser } from './api';

export interface Identity {
  id: string;
  name: string;
  color: string;
}

/** Dark enough that white caret labels and avatar initials keep a 4.5:1 contrast. */
export const userColors = ['#1d4f91', '#8c2f39', '#2f6b3a', '#6b3fa0', '#9a4a00', '#00667a', '#5b4a3a', '#a0185d'] as const;

/** The same colour for the same user on every device. */
export function identityOf(user: SignedInUser): Identity {
  let hash = 0;
  for (const char of user.id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return { id: user.id, name: user.displayName, color: userColors[hash % userColors.length]! };
}

export function initials(name: string): string {
  const parts = name.replace(/,.*$/, '').replace(/^(Dr\.|Prof\.|Stadträtin|Stadtrat)\s+/g, '').trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts.slice(0, 1);
  return letters.map((part) => part[0]!.toUpperCase()).join('') || '?';
}
