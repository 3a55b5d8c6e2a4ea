/**
 * GET /api/search?q=… — full-text search across the text of every Vorlage the
 * signed-in user may see (server/search/search.ts), answering `SearchAnswer`
 * (dossier/rest.ts). A query of fewer than three characters finds nothing;
 * a missing or over-long one is a 400.
 */
import { Router } from 'express';
import type { SearchAnswer } from '../../dossier/rest';
import { MAX_QUERY_LENGTH, MIN_QUERY_LENGTH } from '../../dossier/search';
import type { Search } from '../search/search';
import { HttpError } from './errors';
import { signedIn } from './guards';

export function searchRouter(search: Search): Router {
  const router = Router();
  // Stryker disable next-line StringLiteral: Express mounts a route at '' exactly as at '/', the router's own path
  router.get('/', async (req, res) => {
    const { actor } = signedIn(res);
    const query = req.query.q;
    if (typeof query !== 'string') throw new HttpError(400, 'Bitte einen Suchbegriff angeben (?q=…).');
    if (query.length > MAX_QUERY_LENGTH) throw new HttpError(400, `Der Suchbegriff ist zu lang (höchstens ${MAX_QUERY_LENGTH} Zeichen).`);
    const answer: SearchAnswer = query.trim().length < MIN_QUERY_LENGTH ? { terms: [], results: [] } : await search.find(actor, query);
    res.json(answer);
  });
  return router;
}
