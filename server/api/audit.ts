/**
 * The audit log: who logged in, connected to a dossier, changed a section.
 * Admins and clerks read it; each entry carries the user's display name and
 * the section's title, so the page can say it in words.
 */
import { Router } from 'express';
import { z } from 'zod';
import { canReadAudit } from '../../dossier/policy';
import type { AuditLogEntry } from '../../dossier/rest';
import type { Storage } from '../storage/storage';
import type { TemplateRegistry } from '../templates/loader';
import { HttpError } from './errors';
import { signedIn } from './guards';

const query = z.object({
  dossierId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export function auditRouter(storage: Storage, templates: TemplateRegistry): Router {
  const router = Router();
  // Stryker disable next-line StringLiteral: Express mounts a route at '' exactly as at '/', the router's own path
  router.get('/', async (req, res) => {
    if (!canReadAudit(signedIn(res).actor)) throw new HttpError(403, 'Das Protokoll sehen nur Administration und Sitzungsdienst.');
    const filter = query.safeParse(req.query);
    if (!filter.success) throw new HttpError(400, 'Ungültige Abfrage: dossierId (Text) und limit (1–1000) sind erlaubt.');
    const users = new Map((await storage.accounts.listUsers()).map((u) => [u.id, u]));
    const departments = new Map((await storage.accounts.listDepartments()).map((d) => [d.id, d.name]));
    const entries = await storage.audit.list(filter.data);
    const dossiers = new Map<string, { title: string; sectionTitle: (sectionId: string) => string | null }>();
    // Stryker disable next-line MethodExpression,ConditionalExpression: without the filter the null id is looked up and, found nowhere, skipped below
    for (const id of new Set(entries.map((e) => e.dossierId).filter((id): id is string => id !== null))) {
      const dossier = await storage.dossiers.get(id);
      if (!dossier) continue;
      const template = templates.get(dossier.templateId);
      dossiers.set(id, { title: dossier.title, sectionTitle: (sectionId) => template?.sections.find((s) => s.id === sectionId)?.title ?? null });
    }
    res.json(
      entries.map((entry) => {
        const user = entry.userId ? users.get(entry.userId) : undefined;
        const dossier = entry.dossierId ? dossiers.get(entry.dossierId) : undefined;
        // an invalidated signature names its department and the changed sections by id: `<departmentId>: <sectionId>, …`
        // Stryker disable next-line Regex: the detail is one line starting with a department id, anchored or not the first match is the same
        const invalidated = entry.action === 'signature.invalidated' ? /^([^:]+): (.*)$/.exec(entry.detail ?? '') : null;
        const departmentId = invalidated ? invalidated[1]! : user?.departmentId;
        return {
          ...entry,
          username: user?.username ?? null,
          userDisplayName: user?.displayName ?? null,
          departmentName: departmentId ? (departments.get(departmentId) ?? null) : null,
          dossierTitle: dossier?.title ?? null,
          sectionTitle: dossier && entry.sectionId ? dossier.sectionTitle(entry.sectionId) : null,
          sectionTitles: invalidated ? invalidated[2]!.split(', ').map((id) => dossier?.sectionTitle(id) ?? id) : null,
        };
      }) satisfies AuditLogEntry[],
    );
  });
  return router;
}
