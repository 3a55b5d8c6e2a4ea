/**
 * Who may type into a short form field (a Kopf field, a Beratungsfolge or
 * Anlagen cell, a budget cell): the one who holds it.
 *
 * Why a field is taken rather than co-edited: these fields are plain strings
 * in their section's Y.Map, which the PDF, the release checklist and the
 * access policy read as such. Binding them as Y.Text with remote carets would
 * change the stored layout of five section kinds and need carets drawn over
 * native inputs, for a name or a file number that one person types anyway.
 * Two people writing whole strings into one key never interleave letters, but
 * the later write would silently replace the earlier; so a field someone is
 * in shows as taken (their name and colour, read-only) to everyone else until
 * they leave it.
 *
 * Each client says in its awareness state which field it is in (`field`:
 * key and the time it entered). The holder is the earliest claim, ties broken
 * by the lower Yjs client id: every client sees the same claims and so picks
 * the same holder, also when two focus the same field at once. A client
 * entering a field it already sees taken dates its claim after the holder's,
 * so a clock that runs behind does not take a field away from someone typing.
 *
 * A claim lapses after FIELD_IDLE_MS without typing: someone who walked away
 * with the focus still in a field would otherwise block it for everyone. The
 * holder's own page lets go (it withdraws the claim, its focus may stay), so
 * every client sees the same awareness state and no clock is compared across
 * machines. Typing there again claims the field anew: at once if it is still
 * free, otherwise it shows taken by whoever entered it meanwhile.
 */

export interface FieldClaim {
  /** The field inside its section document: `fieldKey(column, row)`. */
  key: string;
  /** When the client entered the field (ms since the epoch, its own clock). */
  since: number;
}

/** A client's claim as every client sees it. */
export interface Claimant {
  clientId: number;
  claim: FieldClaim;
}

export const MAX_FIELD_KEY_LENGTH = 200;

/** How long a field stays held without typing (entering it counts as typing). */
export const FIELD_IDLE_MS = 2 * 60_000;

/** How long the holder who last typed at `lastInput` still holds the field at `now` (0: the claim has lapsed). */
export function idleTimeLeft(lastInput: number, now: number, idleMs = FIELD_IDLE_MS): number {
  // a clock set back meanwhile counts as no time passed, not as more time left
  return Math.max(0, Math.min(idleMs, lastInput + idleMs - now));
}

/** The key of a field: a Kopf field's id, or a row's id and the column of a Beratungsfolge, Anlagen or budget row. */
export function fieldKey(column: string, row?: string): string {
  return row === undefined ? column : `${row}/${column}`;
}

/** The row a field key belongs to, if any. */
export function rowOfFieldKey(key: string): string | null {
  const slash = key.indexOf('/');
  return slash < 0 ? null : key.slice(0, slash);
}

/** The `field` of an awareness state, if it is a well-formed claim. */
export function readFieldClaim(value: unknown): FieldClaim | null {
  if (typeof value !== 'object' || value === null) return null;
  const { key, since } = value as Record<string, unknown>;
  if (typeof key !== 'string' || key === '' || key.length > MAX_FIELD_KEY_LENGTH) return null;
  if (typeof since !== 'number' || !Number.isFinite(since) || since < 0) return null;
  return { key, since };
}

const before = (a: Claimant, b: Claimant) => a.claim.since < b.claim.since || (a.claim.since === b.claim.since && a.clientId < b.clientId);

/** Who holds `key` among all claimants (this client included): the earliest claim, then the lower client id. */
export function fieldHolder<C extends Claimant>(claimants: readonly C[], key: string): C | undefined {
  let holder: C | undefined;
  for (const claimant of claimants) if (claimant.claim.key === key && (!holder || before(claimant, holder))) holder = claimant;
  return holder;
}

/** The `since` of a new claim on `key`: now, but never before a claim already seen on it. */
export function claimSince(now: number, claimants: readonly Claimant[], key: string): number {
  return claimants.reduce((since, { claim }) => (claim.key === key ? Math.max(since, claim.since + 1) : since), now);
}
