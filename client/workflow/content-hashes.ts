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

/** The hash of each given section as the page's live documents hold it now. */
export async function liveContentHashes(session: CollabSession, template: Template, sectionIds: readonly string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(
    sectionIds.map(async (sectionId) => {
      const section = template.sections.find((s) => s.id === sectionId);
      if (!section) throw new Error(`section ${sectionId} is not in the template`);
      return [sectionId, await sha256Hex(canonicalJson(readSection(session.section(sectionId).doc, section)))] as const;
    }),
  );
  return Object.fromEntries(entries);
}
