/**
 * Who is in which dossier right now, read from the awareness states of the
 * loaded section documents. The `user` of every state is the connection's
 * signed-in user, written by the server (awareness.ts); clients publish
 * `editing: true` in the section that has focus.
 */
import type { Hocuspocus } from '@hocuspocus/server';
import { parseDocumentName } from '../../dossier/layout';
import type { PresenceUser } from '../../dossier/presence';
import type { Editor } from '../../dossier/rest';

export type { Editor };

export function dossierEditors(hocuspocus: Hocuspocus): Map<string, Editor[]> {
  const byDossier = new Map<string, Map<string, Editor>>();
  for (const [name, document] of hocuspocus.documents) {
    const parsed = parseDocumentName(name);
    if (!parsed) continue;
    for (const state of document.awareness.getStates().values()) {
      const user = (state as { user?: PresenceUser }).user;
      if (!user) continue;
      const editors = byDossier.get(parsed.dossierId) ?? new Map<string, Editor>();
      byDossier.set(parsed.dossierId, editors);
      const editor = editors.get(user.id) ?? { id: user.id, name: user.name, color: user.color, sections: [] };
      editors.set(user.id, editor);
      if ((state as { editing?: unknown }).editing === true && !editor.sections.includes(parsed.sectionId)) editor.sections.push(parsed.sectionId);
    }
  }
  return new Map([...byDossier].map(([id, editors]) => [id, [...editors.values()]]));
}
