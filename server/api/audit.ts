/** The audit log: who logged in, connected to a dossier, changed a section. Admins and clerks read it. */
import { Router } from 'express';
import { z } from 'zod';
import { canReadAudit } from '../../dossier/policy';
import type { AuditLogEntry } from '../../dossier/rest';
import type { Storage } from '../storage/storage';
import { HttpError } from './errors';
import { signedIn } from './guards';

const query = z.object({
  dossierId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export function auditRouter(storage: Storage): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    if (!canReadAudit(signedIn(res).actor)) throw new HttpError(403, 'Das Protokoll sehen nur Administration und Sitzungsdienst.');
    const filter = query.safeParse(req.query);
    if (!filter.success) throw new HttpError(400, 'Ungültige Abfrage: dossierId (Text) und limit (1–1000) sind erlaubt.');
    const users = new Map((await storage.listUsers()).map((u) => [u.id, u.username]));
    const entries = await storage.listAudit(filter.data);
    const titles = new Map<string, string | null>();
    for (const id of new Set(entries.map((e) => e.dossierId).filter((id): id is string => id !== null))) {
      titles.set(id, (await storage.getDossier(id))?.title ?? null);
    }
    res.json(
      entries.map((entry) => ({
        ...entry,
        username: entry.userId ? (users.get(entry.userId) ?? null) : null,
        dossierTitle: entry.dossierId ? (titles.get(entry.dossierId) ?? null) : null,
      })) satisfies AuditLogEntry[],
    );
  });
  return router;
}
