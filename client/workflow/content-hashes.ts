/**
 * The content hashes a signatory's client sends: SHA-256 of each covered
 * section's canonical JSON (keys sorted), computed from the live documents
 * this page shows — so a signature is bound to what the signer saw, and the
 * server refuses it when its own content differs.
 */
import { readSection } from '../../dossier/layout';
import type { Template } from '../../dossier/template';
import type { CollabSession } from '../collab/session';

/** JSON with every object's keys sorted: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.keys(inner).sort().map((key) => [key, (inner as Record<string, unknown>)[key]]))
      : inner,
  );
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Each given section's content as the page's live documents hold it now, and its hash. */
export async function liveContents(
  session: CollabSession,
  template: Template,
  sectionIds: readonly string[],
): Promise<{ contents: Record<string, unknown>; hashes: Record<string, string> }> {
  const contents: Record<string, unknown> = {};
  for (const sectionId of sectionIds) {
    const section = template.sections.find((s) => s.id === sectionId);
    if (!section) throw new Error(`section ${sectionId} is not in the template`);
    contents[sectionId] = readSection(session.section(sectionId).doc, section);
  }
  const hashes = await Promise.all(Object.entries(contents).map(async ([sectionId, content]) => [sectionId, await sha256Hex(canonicalJson(content))] as const));
  return { contents, hashes: Object.fromEntries(hashes) };
}
