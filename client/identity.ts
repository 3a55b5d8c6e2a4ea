/** How a signed-in user appears to the others: name and a colour for carets and avatars. */
import { presenceUser, type PresenceUser } from '../dossier/presence';
import type { PublicUser } from '../dossier/rest';

export type Identity = PresenceUser;

/** The same colour for the same user on every device. */
export function identityOf(user: PublicUser): Identity {
  return presenceUser(user);
}

export function initials(name: string): string {
  const parts = name
    .replace(/,.*$/, '')
    .replace(/^(Dr\.|Prof\.|Stadträtin|Stadtrat)\s+/g, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts.slice(0, 1);
  return letters.map((part) => part[0]!.toUpperCase()).join('') || '?';
}
