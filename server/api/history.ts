/**
 * The drafting history of a dossier (server/history/drafting-history.ts):
 * - `GET /api/dossiers/:id/history` — snapshots, newest first, with time and authors
 * - `GET /api/dossiers/:id/history/:snapshotId` — one snapshot's sections in template order, read-only
 * - `POST /api/dossiers/:id/history/:snapshotId/restore` `{ sectionId }` — writes that section's content back
 *   into the live dossier as the user's own change; only who may write the section now (not after release)
 * A dossier the user may not see answers 404, as everywhere.
 */
import { Router } from 'express';
import { z } from 'zod';
import { sectionContentSchemas } from '../../dossier/content';
import type { HistoryAuthor, HistoryEntry, HistorySnapshotView, RestoreAnswer } from '../../dossier/drafting-history';
import { canWriteSection } from '../../dossier/policy';
import { findSection } from '../../dossier/template';
import type { DraftingHistory } from '../history/drafting-history';
import type { DossierRecord, DraftingSnapshotSummary, Storage } from '../storage/storage';
import type { TemplateRegistry } from '../templates/loader';
import { HttpError, parseBody } from './errors';
import { installedTemplate, signedIn, visibleDossier } from './guards';

const restoreBody = z.object({ sectionId: z.string().min(1, 'Bitte einen Abschnitt angeben.').max(100) });

export function historyRouter(deps: { storage: Storage; templates: TemplateRegistry; history: DraftingHistory }): Router {
  const { storage, templates, history } = deps;
  const router = Router();

  const snapshotOf = async (dossier: DossierRecord, raw: string) => {
    const id = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : undefined;
    const snapshot = id === undefined ? undefined : await storage.history.getSnapshot(dossier.id, id);
    if (!snapshot) throw new HttpError(404, `Den Stand "${raw.slice(0, 20)}" gibt es in dieser Vorlage nicht.`);
    return snapshot;
  };

  /** Authors with their display names; a user no longer in the database keeps the id. */
  const entries = async (snapshots: DraftingSnapshotSummary[]): Promise<HistoryEntry[]> => {
    const names = new Map((await storage.accounts.listUsers()).map((user) => [user.id, user.displayName]));
    const author = (id: string): HistoryAuthor => ({ id, name: names.get(id) ?? id });
    return snapshots.map((snapshot) => ({ id: snapshot.id, takenAt: snapshot.takenAt, authors: snapshot.authorIds.map(author) }));
  };

  router.get('/:id/history', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    res.json(await entries(await storage.history.listSnapshots(dossier.id)));
  });

  router.get('/:id/history/:snapshotId', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const template = installedTemplate(templates, dossier);
    const snapshot = await snapshotOf(dossier, req.params.snapshotId);
    const [entry] = await entries([snapshot]);
    const view: HistorySnapshotView = {
      ...entry!,
      sections: template.sections.map((section) => ({
        sectionId: section.id,
        title: section.title,
        kind: section.kind,
        group: section.group ?? null,
        content: snapshot.sections[section.id] ?? null,
        canRestore: canWriteSection(actor, dossier, section.owner),
      })),
    };
    res.json(view);
  });

  router.post('/:id/history/:snapshotId/restore', async (req, res) => {
    const { actor, user, session } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const template = installedTemplate(templates, dossier);
    const { sectionId } = parseBody(restoreBody, req.body);
    const section = findSection(template, sectionId);
    if (!section) throw new HttpError(422, `Den Abschnitt "${sectionId.slice(0, 100)}" gibt es in dieser Vorlage nicht.`);
    if (dossier.status === 'released') throw new HttpError(403, 'Die Vorlage ist freigegeben und kann nicht mehr geändert werden.');
    if (!canWriteSection(actor, dossier, section.owner))
      throw new HttpError(403, `Den Abschnitt "${section.title}" dürfen Sie nicht bearbeiten, also auch nicht wiederherstellen.`);
    const snapshot = await snapshotOf(dossier, req.params.snapshotId);
    const parsed = sectionContentSchemas[section.kind].safeParse(snapshot.sections[section.id]);
    if (!parsed.success)
      throw new HttpError(409, `Der Stand ${snapshot.id} enthält den Abschnitt "${section.title}" nicht in einer Form, die sich wiederherstellen lässt.`);
    await history.snapshotNow(dossier, template);
    await history.restoreSection(dossier.id, section, parsed.data as never, {
      user: { id: user.id, username: user.username, displayName: user.displayName },
      actor,
      sessionHash: session.tokenHash,
    });
    await storage.audit.append({
      at: new Date().toISOString(),
      userId: user.id,
      action: 'section.restored',
      dossierId: dossier.id,
      sectionId: section.id,
      detail: `Stand ${snapshot.id} vom ${snapshot.takenAt}`,
    });
    const answer: RestoreAnswer = { sectionId: section.id, restoredFrom: snapshot.id };
    res.json(answer);
  });

  return router;
}
