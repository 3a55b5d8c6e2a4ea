/**
 * The content hashes a signatory's client sends (dossier/content-hash.ts, as
 * the server computes them), from the live documents this page shows — not
 * from what the server last sent over REST: a signature is bound to what the
 * signer saw, and the server refuses it when its own content differs.
 */
import { contentHash } from '../../dossier/content-hash';
import { readSection } from '../../dossier/layout';
import type { Template } from '../../dossier/template';
import type { CollabSession } from '../collab/session';

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
  const hashes = await Promise.all(Object.entries(contents).map(async ([sectionId, content]) => [sectionId, await contentHash(content)] as const));
  return { contents, hashes: Object.fromEntries(hashes) };
}
