/**
 * The workflow's REST contract (issue 11): status transitions, co-signatures,
 * the completeness checklist, the release and the released versions.
 *
 * - `POST|DELETE /api/dossiers/:id/cosigning` (lead): draft ↔ cosigning
 * - `GET /api/dossiers/:id/signatures`, `POST … {contentHashes, decision, remark?}` (a signatory of a department that must co-sign)
 * - `GET /api/dossiers/:id/completeness`
 * - `POST /api/dossiers/:id/release {referenceNumber?}` (clerk) → 201 `{version, referenceNumber, sha256}`
 * - `POST /api/dossiers/:id/revision` (lead, released) → draft again, the next release is the next version
 * - `GET /api/dossiers/:id/versions`, `GET /api/dossiers/:id/versions/:n`
 *
 * A wrong person gets 403, a wrong moment 409; a 409 of a stale signature
 * names `changedSections`, of a release that is not ready its `reasons`.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { contentHash } from '../../dossier/content-hash';
import { safeString, signatureDecisions } from '../../dossier/content';
import { canRelease, canSign, canStartCosigning, canStartRevision, canStopCosigning, isLead, type Actor } from '../../dossier/policy';
import type { DossierRecord, Storage } from '../storage/storage';
import { ReferenceNumberTakenError } from '../storage/storage';
import { WorkflowConflict, type Workflow } from '../workflow/workflow';
import { signedIn, visibleDossier } from './guards';
import { HttpError, parseBody } from './errors';

const signBody = z
  .object({
    contentHashes: z.record(z.string().max(64), z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 als Hex-Zeichenkette')),
    decision: z.enum(signatureDecisions),
    remark: safeString().max(4000, 'Höchstens 4000 Zeichen.').optional(),
  })
  .refine((body) => body.decision === 'agree' || (body.remark ?? '').trim() !== '', {
    path: ['remark'],
    message: 'Anmerkungen oder ein Einwand brauchen eine Begründung.',
  });

const releaseBody = z.object({ referenceNumber: safeString().trim().min(1).max(64).optional() }).optional();

export function workflowRouter(storage: Storage, workflow: Workflow): Router {
  const router = Router();

  const run = async <T>(res: Response, action: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await action();
    } catch (error) {
      if (error instanceof WorkflowConflict) {
        res.status(error.status).json({ error: error.message, ...error.body });
        return undefined;
      }
      if (error instanceof ReferenceNumberTakenError) {
        res.status(409).json({ error: `${error.message} Bitte eine andere wählen.`, reasons: [error.message] });
        return undefined;
      }
      throw error;
    }
  };

  const leadOnly = (actor: Actor, dossier: DossierRecord, allowed: boolean, what: string) => {
    if (!isLead(actor, dossier)) throw new HttpError(403, `${what} kann nur die federführende Dienststelle.`);
    if (!allowed) throw new HttpError(409, `${what} ist im Status „${statusLabel[dossier.status]}“ nicht möglich.`);
  };

  router.post('/:id/cosigning', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    leadOnly(actor, dossier, canStartCosigning(actor, dossier), 'Die Mitzeichnung starten');
    const changed = await run(res, () => workflow.transition(actor.id, dossier, 'draft', 'cosigning'));
    if (changed) res.json({ status: changed.status });
  });

  router.delete('/:id/cosigning', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    leadOnly(actor, dossier, canStopCosigning(actor, dossier), 'Die Mitzeichnung zurücknehmen');
    const changed = await run(res, () => workflow.transition(actor.id, dossier, 'cosigning', 'draft'));
    if (changed) res.json({ status: changed.status });
  });

  router.post('/:id/revision', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    leadOnly(actor, dossier, canStartRevision(actor, dossier), 'Eine Neufassung beginnen');
    const changed = await run(res, () => workflow.transition(actor.id, dossier, 'released', 'draft'));
    if (changed) res.json({ status: changed.status, revision: changed.revision });
  });

  router.get('/:id/signatures', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const statuses = await run(res, () => workflow.signatureStatus(dossier));
    if (statuses) res.json(statuses);
  });

  // what changed since a department signed: the word diff its signatory is shown after a change voided the signature
  router.get('/:id/signatures/:departmentId/changes', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const changes = await run(res, () => workflow.changesSinceSigned(dossier, req.params.departmentId));
    if (changes === undefined) {
      if (!res.headersSent) throw new HttpError(404, 'Diese Dienststelle hat die Vorlage in dieser Fassung nicht mitgezeichnet.');
      return;
    }
    res.json(changes);
  });

  router.post('/:id/signatures', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const body = parseBody(signBody, req.body);
    await run(res, async () => {
      const template = workflow.templateOf(dossier);
      const required = (await workflow.requiredDepartments(dossier, template, await workflow.currentContents(dossier, template))).map((d) => d.id);
      if (!actor.roles.includes('signatory') || !required.includes(actor.departmentId)) {
        throw new HttpError(403, 'Mitzeichnen kann nur, wer für eine um Mitzeichnung gebetene Dienststelle zeichnungsbefugt ist.');
      }
      if (!canSign(actor, dossier, required))
        throw new WorkflowConflict(`Mitzeichnen geht nur in der Mitzeichnung; die Vorlage ist „${statusLabel[dossier.status]}“.`);
      res.status(201).json(await workflow.sign(actor, dossier, body));
    });
  });

  router.get('/:id/completeness', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const readiness = await run(res, () => workflow.readiness(dossier));
    if (readiness) res.json(readiness);
  });

  router.post('/:id/release', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const body = parseBody(releaseBody, req.body ?? {});
    if (!actor.roles.includes('clerk')) throw new HttpError(403, 'Freigeben kann nur der Sitzungsdienst.');
    if (!canRelease(actor, dossier)) {
      res.status(409).json({
        error: `Freigeben geht nur in der Mitzeichnung; die Vorlage ist „${statusLabel[dossier.status]}“.`,
        reasons: ['Die Vorlage ist nicht in der Mitzeichnung.'],
      });
      return;
    }
    const released = await run(res, () => workflow.release(actor.id, dossier, body?.referenceNumber));
    if (released) res.status(201).json(released);
  });

  router.get('/:id/versions', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const versions = await storage.workflow.listVersions(dossier.id);
    const names = new Map<string, string>();
    for (const version of versions) {
      if (!names.has(version.releasedBy))
        names.set(version.releasedBy, (await storage.accounts.getUser(version.releasedBy))?.displayName ?? version.releasedBy);
    }
    res.json(
      versions.map(({ version, releasedAt, releasedBy, referenceNumber, sha256 }) => ({
        version,
        releasedAt,
        releasedBy: names.get(releasedBy),
        referenceNumber,
        sha256,
      })),
    );
  });

  router.get('/:id/versions/:n', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const number = versionNumber(req.params.n);
    const version = await storage.workflow.getVersion(dossier.id, number);
    if (!version) throw new HttpError(404, `Version ${number} dieser Vorlage gibt es nicht.`);
    const template = workflow.templateOf(dossier);
    const byId = new Map(version.sections.map((section) => [section.sectionId, section.content]));
    res.json({
      version: version.version,
      releasedAt: version.releasedAt,
      releasedBy: (await storage.accounts.getUser(version.releasedBy))?.displayName ?? version.releasedBy,
      referenceNumber: version.referenceNumber,
      sha256: version.sha256,
      signatures: version.signatures,
      sections: await Promise.all(
        template.sections
          .filter((section) => byId.has(section.id))
          .map(async (section) => ({
            id: section.id,
            title: section.title,
            group: section.group ?? null,
            kind: section.kind,
            content: byId.get(section.id),
            contentHash: await contentHash(byId.get(section.id)),
          })),
      ),
    });
  });

  return router;
}

/** A version number from the path or query: a positive integer, else 400. */
export function versionNumber(value: unknown): number {
  const number = typeof value === 'string' && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) throw new HttpError(400, 'Die Versionsnummer muss eine positive ganze Zahl sein.');
  return number;
}

const statusLabel: Record<DossierRecord['status'], string> = { draft: 'Entwurf', cosigning: 'In Mitzeichnung', released: 'Freigegeben' };
