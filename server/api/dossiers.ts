import { Router } from 'express';
import { z } from 'zod';
import { safeString } from '../../dossier/content';
import { budgetContentSchema } from '../../dossier/content';
import { contentHash } from '../../dossier/content-hash';
import { canCreateDossier, canSeeDossier } from '../../dossier/policy';
import type { Editor } from '../../dossier/rest';
import { createDossier } from '../dossiers/create';
import { dossierSummary, dossierView } from '../dossiers/view';
import { budgetCsv } from '../export/budget-csv';
import { fileNamePart } from '../export/source';
import type { Storage } from '../storage/storage';
import type { TemplateRegistry } from '../templates/loader';
import type { Workflow } from '../workflow/workflow';
import { HttpError, parseBody } from './errors';
import { installedTemplate, signedIn, visibleDossier } from './guards';

const createDossierBody = z.object({
  templateId: z.string().min(1, 'Bitte ein Vorlagenmuster wählen.'),
  title: safeString().trim().min(3, 'Der Betreff braucht mindestens 3 Zeichen.').max(300, 'Der Betreff darf höchstens 300 Zeichen haben.'),
  /** Beteiligte Dienststellen besides the creator's own, which becomes the lead. */
  involvedDepartmentIds: z.array(z.string().min(1)).max(50).optional(),
});

export function dossiersRouter(
  storage: Storage,
  templates: TemplateRegistry,
  editors: () => Map<string, Editor[]>,
  /** The content now (live documents where loaded), which the content hashes describe. */
  current: Pick<Workflow, 'currentContents'>,
): Router {
  const router = Router();

  // Stryker disable next-line StringLiteral: Express mounts a route at '' exactly as at '/', the router's own path
  router.get('/', async (_req, res) => {
    const { actor } = signedIn(res);
    const dossiers = (await storage.dossiers.list()).filter((dossier) => canSeeDossier(actor, dossier));
    const present = editors();
    res.json(dossiers.map((dossier) => dossierSummary(dossier, templates.get(dossier.templateId), present.get(dossier.id))));
  });

  // Stryker disable next-line StringLiteral: Express mounts a route at '' exactly as at '/', the router's own path
  router.post('/', async (req, res) => {
    const { actor } = signedIn(res);
    if (!canCreateDossier(actor)) throw new HttpError(403, 'Neue Vorlagen legen Autorinnen und Autoren einer Dienststelle an.');
    const body = parseBody(createDossierBody, req.body);
    const template = templates.get(body.templateId);
    if (!template) throw new HttpError(422, `Vorlagenmuster "${body.templateId}" gibt es nicht.`);
    const known = new Set((await storage.accounts.listDepartments()).map((d) => d.id));
    const unknown = (body.involvedDepartmentIds ?? []).filter((id) => !known.has(id));
    if (unknown.length) throw new HttpError(422, `Dienststelle(n) gibt es nicht: ${unknown.join(', ')}`);
    const dossier = await createDossier(storage, template, {
      title: body.title,
      leadDepartmentId: actor.departmentId,
      // once each, never the lead (createDossier sees to both)
      involvedDepartmentIds: body.involvedDepartmentIds ?? [],
    });
    await storage.audit.append({ at: dossier.createdAt, userId: actor.id, action: 'dossier.created', dossierId: dossier.id, sectionId: null, detail: null });
    res.status(201).location(`/api/dossiers/${dossier.id}`).json(dossierSummary(dossier, template));
  });

  router.get('/:id', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const template = installedTemplate(templates, dossier);
    const view = dossierView(dossier, template, await current.currentContents(dossier, template), { actor, editors: editors().get(dossier.id) });
    // what a signer's client compares with the hashes of what it shows (dossier/content-hash.ts)
    const sections = await Promise.all(view.sections.map(async (section) => ({ ...section, contentHash: await contentHash(section.content) })));
    res.json({ ...view, sections });
  });

  router.get('/:id/budget.csv', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const template = installedTemplate(templates, dossier);
    const section = template.sections.find((s) => s.kind === 'budget');
    if (!section) throw new HttpError(404, 'Diese Vorlage hat keinen Finanzabschnitt.');
    const stored = (await storage.dossiers.getSectionContents(dossier.id)).get(section.id);
    if (!stored) throw new HttpError(404, 'Der Finanzabschnitt ist leer.');
    // the type follows from the name: text/csv; charset=utf-8
    res
      .attachment(`Finanzen-${fileNamePart(dossier.referenceNumber ?? dossier.id)}.csv`)
      .send(budgetCsv(budgetContentSchema.parse(stored.content), template.budgetScheme));
  });

  return router;
}
