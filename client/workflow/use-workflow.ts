/**
 * The dossier's workflow state as the page shows it: status, Vorlagen-Nr.,
 * each department's co-signature and the released versions. The server
 * writes status and signatures (also their invalidation by a later change)
 * into the Mitzeichnung section's document, which every open client receives;
 * a change there makes the page ask the REST API again, so the REST contract
 * stays the one source of the workflow's meaning.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DossierStatus } from '../../dossier/status';
import type { Template } from '../../dossier/template';
import type { DossierView } from '../../dossier/rest';
import { api } from '../api';
import type { CollabSession } from '../collab/session';
import { workflowApi, type SignatureState, type VersionEntry } from './workflow-api';

export interface Workflow {
  status: DossierStatus;
  referenceNumber: string | null;
  /** Null until loaded (or when the user may not read them). */
  signatures: SignatureState[] | null;
  versions: VersionEntry[] | null;
  /** Bumped on every refresh: open dialogs reload what they show (the checklist). */
  revision: number;
  refresh(): void;
}

const REFRESH_DELAY_MS = 150;

/** Null until the page has loaded the dossier and opened its documents. */
export function useWorkflow(dossier: DossierView | null, session: CollabSession | null, template: Template | null): Workflow | null {
  const [state, setState] = useState<Omit<Workflow, 'refresh'> | null>(null);
  const dossierId = dossier?.id;
  // answers can overtake each other: only the latest request's counts
  const latest = useRef(0);

  const refresh = useCallback(() => {
    if (!dossierId) return;
    const request = ++latest.current;
    void Promise.all([
      api.dossier(dossierId).catch(() => null),
      workflowApi.signatures(dossierId).catch(() => null),
      workflowApi.versions(dossierId).catch(() => null),
    ]).then(([view, signatures, versions]) => {
      if (request !== latest.current) return;
      setState((previous) => ({
        status: view?.status ?? previous?.status ?? 'draft',
        referenceNumber: view ? view.referenceNumber : (previous?.referenceNumber ?? null),
        signatures: signatures ?? previous?.signatures ?? null,
        versions: versions ?? previous?.versions ?? null,
        revision: (previous?.revision ?? 0) + 1,
      }));
    });
  }, [dossierId]);

  useEffect(() => {
    if (!session || !template) return;
    refresh();
    const signaturesSection = template.sections.find((section) => section.kind === 'signatures');
    if (!signaturesSection) return;
    // one refresh for a burst of updates (the first sync, a release writing several fields)
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        refresh();
      }, REFRESH_DELAY_MS);
    };
    const { doc } = session.section(signaturesSection.id);
    doc.on('update', onUpdate);
    return () => {
      clearTimeout(timer);
      doc.off('update', onUpdate);
    };
  }, [refresh, session, template]);

  if (!dossier) return null;
  // before the first answer: as the page loaded it
  return { ...(state ?? { status: dossier.status, referenceNumber: dossier.referenceNumber, signatures: null, versions: null, revision: 0 }), refresh };
}
