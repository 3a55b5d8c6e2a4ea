/**
 * GET /api/dossiers/:id/compare?from=N&to=M — the change report
 * (Änderungsnachweis) between two states of a dossier: version numbers, or
 * `current` for the draft as stored now. Answers per section in template
 * order `{ sectionId, title, changed, diff: [{ op, text }] }`
 * (dossier/compare.ts). Whoever may see the dossier may compare it.
 */
import { Router } from 'express';
import { compareSections, type SectionContents } from '../../dossier/compare';
import type { Storage } from '../storage/storage';
import type { TemplateRegistry } from '../templates/loader';
import { installedTemplate, signedIn, visibleDossier } from './guards';
import { HttpError } from './errors';

/** Which state of a dossier: a released version's number, or the current draft. */
export type DossierState = number | 'current';

/** The section contents of a state of a dossier (section id → canonical JSON), undefined when that state does not exist. */
export type ContentsOf = (dossierId: string, which: DossierState) => Promise<SectionContents | undefined>;

/** The current draft as stored, or a released version's sections as the version holds them. */
export function storedContents(storage: Storage): ContentsOf {
  return async (dossierId, which) => {
    if (which === 'current')
      return Object.fromEntries([...(await storage.dossiers.getSectionContents(dossierId))].map(([sectionId, stored]) => [sectionId, stored.content]));
    const version = await storage.workflow.getVersion(dossierId, which);
    return version && Object.fromEntries(version.sections.map((section) => [section.sectionId, section.content]));
  };
}

export function compareRouter(storage: Storage, templates: TemplateRegistry, contentsOf: ContentsOf): Router {
  const router = Router();

  router.get('/:id/compare', async (req, res) => {
    const { actor } = signedIn(res);
    const from = dossierState(req.query.from, 'from');
    const to = dossierState(req.query.to, 'to');
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const template = installedTemplate(templates, dossier);
    const contents = async (which: DossierState) => {
      const found = await contentsOf(dossier.id, which);
      if (!found) throw new HttpError(404, which === 'current' ? 'Der aktuelle Stand dieser Vorlage ist nicht lesbar.' : `Version ${which} gibt es nicht.`);
      return found;
    };
    res.json(compareSections(template, await contents(from), await contents(to)));
  });

  return router;
}

/** A version number (1, 2, …) or `current`; anything else, a missing or a repeated parameter included, is a 400. */
function dossierState(value: unknown, name: 'from' | 'to'): DossierState {
  if (value === 'current') return 'current';
  if (typeof value === 'string' && /^[1-9]\d{0,8}$/.test(value)) return Number(value);
  throw new HttpError(400, `Der Parameter "${name}" muss eine Versionsnummer (1, 2, …) oder "current" (aktueller Entwurf) sein.`);
}
