/**
 * GET /api/dossiers/:id/export.pdf — the dossier as a Vorlage PDF, rendered in
 * the export worker pool. `?final=1` gives the final (PDF/A-2b, no watermark,
 * byte-for-byte reproducible) file that a release will store.
 *
 * Response headers the web client shows: `X-PDF-SHA256` (hex) and the
 * standard `Repr-Digest: sha-256=:<base64>:` (RFC 9530), `X-Export-Mode`
 * (draft | final).
 */
import type { Request, Response } from 'express';
import { Router } from 'express';
import { canExportFinal, type Actor } from '../../dossier/policy';
import type { ExportMode, Letterhead } from '../export/pdf';
import { ExportFailedError, ExportQueueFullError, type ExportPool } from '../export/pool';
import { DossierNotExportableError, exportFileName, loadExportSource } from '../export/source';
import type { DossierRecord, Storage } from '../storage/storage';
import type { TemplateRegistry } from '../templates/loader';
import { HttpError } from './errors';
import { assertVisible, signedIn, visibleDossier } from './guards';
import { versionNumber } from './workflow';
import { logFor } from '../log';

const log = logFor('export');

export interface ExportDeps {
  storage: Storage;
  templates: TemplateRegistry;
  pool: ExportPool;
  letterhead: Letterhead;
  /** Exports one user may have running or waiting at once, so one user cannot fill the queue for everyone. */
  exportsPerUser: number;
}

export function exportRouter(deps: ExportDeps): Router {
  const router = Router();
  const inProgress = new Map<string, number>();

  router.get('/:id/export.pdf', async (req, res) => {
    if (req.query.version !== undefined) return storedVersion(req, res);
    const mode = exportMode(req.query.final);
    const { dossier, snapshot, template } = await loadExportSource(deps.storage, deps.templates, req.params.id).catch((error: unknown) => {
      if (error instanceof DossierNotExportableError) throw new HttpError(error.reason === 'not-found' ? 404 : 409, error.message);
      throw error;
    });
    const { actor, user } = signedIn(res);
    assertMayExport(actor, dossier, mode);
    const userId = user.id;
    const running = inProgress.get(userId) ?? 0;
    if (running >= deps.exportsPerUser) {
      res.set('Retry-After', '5');
      throw new HttpError(
        429,
        `Sie haben schon ${deps.exportsPerUser === 1 ? 'einen PDF-Export' : `${deps.exportsPerUser} PDF-Exporte`} in Arbeit. Bitte warten, bis einer fertig ist.`,
      );
    }
    inProgress.set(userId, running + 1);
    const rendered = await deps.pool
      .render({ snapshot, template, mode, letterhead: deps.letterhead })
      .catch((error: unknown) => {
        if (error instanceof ExportQueueFullError) {
          res.set('Retry-After', '5');
          throw new HttpError(503, error.message);
        }
        if (error instanceof ExportFailedError) {
          // the renderer's own words (English internals) go to the log, not to the user
          log.error({ dossierId: dossier.id, err: error }, 'export failed');
          throw new HttpError(500, 'Der PDF-Export ist fehlgeschlagen. Bitte später erneut versuchen; bleibt der Fehler, die Administration benachrichtigen.');
        }
        throw error;
      })
      .finally(() => {
        const left = inProgress.get(userId)! - 1;
        if (left > 0) inProgress.set(userId, left);
        else inProgress.delete(userId);
      });
    res
      .status(200)
      .type('application/pdf')
      .set({
        'Content-Disposition': `inline; filename="${exportFileName(dossier)}"`,
        'X-PDF-SHA256': rendered.sha256,
        'Repr-Digest': `sha-256=:${Buffer.from(rendered.sha256, 'hex').toString('base64')}:`,
        'X-Export-Mode': mode,
      })
      .send(Buffer.from(rendered.pdf.buffer, rendered.pdf.byteOffset, rendered.pdf.byteLength));
  });

  /** `?version=N`: the final PDF stored at release, byte for byte; whoever may read the dossier may download it. */
  async function storedVersion(req: Request, res: Response): Promise<void> {
    const number = versionNumber(req.query.version);
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(deps.storage, String(req.params.id), actor);
    const version = await deps.storage.workflow.getVersion(dossier.id, number);
    if (!version) throw new HttpError(404, `Version ${number} dieser Vorlage gibt es nicht.`);
    res
      .status(200)
      .type('application/pdf')
      .set({
        'Content-Disposition': `inline; filename="${exportFileName({ id: dossier.id, referenceNumber: `${version.referenceNumber}-v${version.version}` })}"`,
        'X-PDF-SHA256': version.sha256,
        'Repr-Digest': `sha-256=:${Buffer.from(version.sha256, 'hex').toString('base64')}:`,
        'X-Export-Mode': 'final',
        'X-Version': String(version.version),
      })
      .send(Buffer.from(version.pdf.buffer, version.pdf.byteOffset, version.pdf.byteLength));
  }

  return router;
}

/** Whoever may read a dossier may export its draft; the final (archival) file is the clerks' business. */
function assertMayExport(actor: Actor, dossier: DossierRecord, mode: ExportMode): void {
  assertVisible(actor, dossier, dossier.id);
  if (mode === 'final' && !canExportFinal(actor)) throw new HttpError(403, 'Die endgültige Fassung exportiert der Sitzungsdienst.');
}

function exportMode(final: unknown): ExportMode {
  if (final === undefined || final === '0' || final === 'false') return 'draft';
  if (final === '1' || final === 'true') return 'final';
  throw new HttpError(400, 'Der Parameter "final" muss 1 (endgültige Fassung) oder 0 (Entwurf) sein.');
}
