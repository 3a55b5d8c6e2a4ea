/**
 * Who is in which dossier right now, read from the awareness states of the
 * loaded section documents. Clients publish `user: { id, name, color }` in
 * every section's awareness and `editing: true` in the one that has focus.
 */
import type { Hocuspocus } from '@hocuspocus/server';
import { parseDocumentName } from '../../dossier/layout';

export interface Editor {
  id: string;
  name: string;
  color: string;
  /** Sections this user is editing (has focus in) now. */
  sections: string[];
}

export function dossierEditors(hocuspocus: Hocuspocus): Map<string, Editor[]> {
  const byDossier = new Map<string, Map<string, Editor>>();
  for (const [name, document] of hocuspocus.documents) {
    const parsed = parseDocumentName(name);
    if (!parsed) continue;
    for (const state of document.awareness.getStates().values()) {
      const user = (state as { user?: unknown }).user as { id?: unknown; name?: unknown; color?: unknown } | undefined;
      if (!user || typeof user.id !== 'string' || typeof user.name !== 'string') continue;
      const editors = byDossier.get(parsed.dossierId) ?? new Map<string, Editor>();
      byDossier.set(parsed.dossierId, editors);
      const editor = editors.get(user.id) ?? {
        id: user.id.slice(0, 64),
        name: user.name.slice(0, 100),
        color: typeof user.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(user.color) ? user.color : '#666666',
        sections: [],
      };
      editors.set(user.id, editor);
      if ((state as { editing?: unknown }).editing === true && !editor.sections.includes(parsed.sectionId)) editor.sections.push(parsed.sectionId);
    }
  }
  return new Map([...byDossier].map(([id, editors]) => [id, [...editors.values()]]));
}
