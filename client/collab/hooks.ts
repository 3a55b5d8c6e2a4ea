/** React bindings for the collaboration session and for live Yjs data. */
import { useEffect, useReducer, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { readSection } from '../../dossier/layout';
import type { SectionContent } from '../../dossier/content';
import type { Template } from '../../dossier/template';
import { collabUrl } from '../api';
import type { Identity } from '../identity';
import { CollabSession, type SessionSnapshot } from './session';

/** Opens the dossier's section documents for as long as the page is mounted. */
export function useCollabSession(dossierId: string, template: Template | null, identity: Identity): CollabSession | null {
  const [session, setSession] = useState<CollabSession | null>(null);
  useEffect(() => {
    if (!template) return;
    const created = new CollabSession(
      dossierId,
      template.sections.map((s) => s.id),
      identity,
      collabUrl(),
    );
    setSession(created);
    return () => {
      created.destroy();
      setSession(null);
    };
  }, [dossierId, template, identity]);
  return session;
}

const emptySnapshot: SessionSnapshot = {
  connection: 'connecting',
  save: 'saved',
  savedAt: null,
  keptLocally: true,
  synced: new Set(),
  refused: new Set(),
  readOnly: new Set(),
  unsavable: new Set(),
  invalidInputs: new Map(),
  present: [],
};
const noSubscribe = () => () => undefined;

export function useSessionSnapshot(session: CollabSession | null): SessionSnapshot {
  return useSyncExternalStore(session?.subscribe ?? noSubscribe, session?.getSnapshot ?? (() => emptySnapshot));
}

/** Re-renders whenever the Yjs type or anything inside it changes. */
// biome-ignore lint/suspicious/noExplicitAny: Yjs types are invariant in their event type, and this serves all of them.
export function useYObserve(type: Y.AbstractType<any>): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const observer = () => bump();
    type.observeDeep(observer);
    return () => type.unobserveDeep(observer);
  }, [type]);
}

/**
 * The canonical content of every section, kept current while people type
 * (recomputed at most every `delayMs`): for the table of contents, the live
 * title and the read-only budget view.
 */
export function useSectionContents(session: CollabSession | null, template: Template | null, delayMs = 250): Map<string, SectionContent> {
  const [contents, setContents] = useState(() => new Map<string, SectionContent>());
  useEffect(() => {
    if (!session || !template) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const dirty = new Set(template.sections.map((s) => s.id));
    const flush = () => {
      timer = undefined;
      const updated = [...dirty].map((sectionId) => {
        const section = template.sections.find((s) => s.id === sectionId)!;
        return [sectionId, readSection(session.section(sectionId).doc, section)] as const;
      });
      dirty.clear();
      setContents((previous) => new Map([...previous, ...updated]));
    };
    const offs = template.sections.map((section) => {
      const { doc } = session.section(section.id);
      const onUpdate = () => {
        dirty.add(section.id);
        timer ??= setTimeout(flush, delayMs);
      };
      doc.on('update', onUpdate);
      return () => doc.off('update', onUpdate);
    });
    flush();
    return () => {
      if (timer) clearTimeout(timer);
      for (const off of offs) off();
    };
  }, [session, template, delayMs]);
  return contents;
}
