import { Router } from 'express';
import type { TemplateList } from '../../dossier/rest';
import type { TemplateRegistry } from '../templates/loader';
import { HttpError } from './errors';

export function templatesRouter(templates: TemplateRegistry): Router {
  const router = Router();
  // Stryker disable next-line StringLiteral: Express mounts a route at '' exactly as at '/', the router's own path
  router.get('/', (_req, res) => {
    res.json(templates.list() satisfies TemplateList);
  });
  router.get('/:id', (req, res) => {
    const template = templates.get(req.params.id);
    if (!template) throw new HttpError(404, `Vorlagenmuster "${req.params.id}" gibt es nicht.`);
    res.json(template);
  });
  return router;
}
