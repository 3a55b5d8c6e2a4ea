/**
 * Files no Anlage holds any more. A co-editor who removes an Anlage row (or
 * replaces its file in the row's own cell history) leaves its file in storage:
 * the row lives in the Yjs document, the file does not. Deleting the file at
 * once would break the ways the row comes back with its `fileId`: the
 * remover's undo (Ctrl+Z in their page, any time while it is open), another
 * user's undo of their own edits around it, and a restore of the Anlagen
 * section from the drafting history. Keeping it forever fills the database
 * with files nobody can reach.
 *
 * So, whenever the Anlagen section is stored, the files its stored state holds
 * are compared with the dossier's files: a file no Anlage holds is marked with
 * the time it was first seen so, a file held again loses its mark, and a file
 * marked for longer than ATTACHMENT_KEEP_DAYS (30 days by default) is deleted.
 * A file a released version holds is never marked nor deleted (storage keeps
 * it; the version's PDF lists it). Thirty days cover any undo of a page left
 * open and the drafting history of a usual drafting period; a restore of an
 * older snapshot brings back the Anlage, titled, without its file (the
 * Anlagen section offers the upload again). The comparison uses the state as
 * stored, merged with what other server processes stored, not one process's
 * live document. A file uploaded but not yet written into its Anlage is new,
 * so at worst marked and unmarked again at the next store.
 */
import type { AttachmentFileRecord } from '../storage/attachments';
import type { DossierRecord, Storage } from '../storage/storage';
import type { TemplateSection } from '../../dossier/template';

/** The file ids the stored Anlagen of `content` hold. */
function heldFileIds(content: unknown): string[] {
  const items = (content as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => {
    const fileId = (item as { fileId?: unknown } | null)?.fileId;
    return typeof fileId === 'string' ? [fileId] : [];
  });
}

/** After the Anlagen section `section` of `dossier` was stored: marks, unmarks and deletes its files as above; returns the deleted ones. */
export async function sweepUnreferencedFiles(
  storage: Storage,
  dossier: DossierRecord,
  section: TemplateSection,
  keepMs: number,
  now = new Date(),
): Promise<AttachmentFileRecord[]> {
  if (section.kind !== 'attachments') return [];
  const stored = (await storage.dossiers.getSectionContents(dossier.id)).get(section.id);
  if (!stored) return [];
  const deleted = await storage.attachments.sweepUnreferenced(
    dossier.id,
    heldFileIds(stored.content),
    now.toISOString(),
    new Date(now.getTime() - keepMs).toISOString(),
  );
  const at = now.toISOString();
  for (const file of deleted) {
    await storage.audit.append({
      at,
      userId: null,
      action: 'attachment.deleted',
      dossierId: dossier.id,
      sectionId: section.id,
      detail: `${file.fileName} (SHA-256 ${file.sha256}), von keiner Anlage mehr verwendet`,
    });
  }
  return deleted;
}
