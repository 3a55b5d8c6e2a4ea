/**
 * What this page signed, kept in memory for as long as the page lives, so that
 * when a later change voids the signature the signatory sees word by word what
 * changed since (the server keeps only the hashes). Deliberately not stored in
 * the browser: the text of a nichtöffentlich Vorlage does not stay on a shared PC.
 */
const signed = new Map<string, { hashes: Record<string, string>; contents: Record<string, unknown> }>();

const key = (dossierId: string, departmentId: string) => `${dossierId}/${departmentId}`;

export function rememberSigned(dossierId: string, departmentId: string, hashes: Record<string, string>, contents: Record<string, unknown>): void {
  signed.set(key(dossierId, departmentId), { hashes, contents });
}

/** The contents this page signed for the department, if the server's signature is that very one (same hashes). */
export function signedContents(dossierId: string, departmentId: string, hashes: Readonly<Record<string, string>>): Record<string, unknown> | undefined {
  const kept = signed.get(key(dossierId, departmentId));
  if (!kept) return undefined;
  const ids = Object.keys(hashes);
  const same = ids.length === Object.keys(kept.hashes).length && ids.every((id) => kept.hashes[id] === hashes[id]);
  return same ? kept.contents : undefined;
}
