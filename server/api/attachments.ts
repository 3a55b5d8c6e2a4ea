/**
 * The files of Anlagen (dossier/attachment-files.ts):
 * - `POST /api/dossiers/:id/attachments?anlage=<id>&public=true|false` — the file as the raw body, its name in
 *   `X-File-Name` (percent-encoded UTF-8); at most ATTACHMENT_MAX_MB. With `anlage` the file goes to (or
 *   replaces the file of) that Anlage (an Anlage without a title takes the file's name), without it a new
 *   Anlage is added, titled after the file (then `public` is required). Only who may write the Anlagen section, never after release. The server writes the file's id
 *   into the Anlage in the live section document, so every co-editor sees it at once; the bytes never go
 *   through Yjs. A refused file (400, 413, 415) stores nothing and changes nothing.
 * - `GET /api/dossiers/:id/attachments` — the files the current Anlagen hold that the user may download
 * - `GET /api/dossiers/:id/attachments/:fileId` — the file; a nichtöffentlich Anlage only for who may see
 *   nichtöffentlich content of the dossier (403 otherwise)
 * - `DELETE /api/dossiers/:id/attachments/:fileId` — takes the file from its Anlage and deletes it, unless a
 *   released version holds it (then only the Anlage lets go of it)
 * - `GET /api/dossiers/:id/versions/:n/attachments` — the files released with version n that the user may download
 * - `GET /api/dossiers/:id/versions/:n/attachments/:fileId` — a file as released with version n (same SHA-256)
 * A dossier the user may not see answers 404, as everywhere.
 */
import { createHash } from 'node:crypto';
import type { Hocuspocus } from '@hocuspocus/server';
import express, { type Request, type Response, Router } from 'express';
import type * as Y from 'yjs';
import { titleFromFileName, type AttachmentFileView, type AttachmentUploadAnswer } from '../../dossier/attachment-files';
import type { Attachment } from '../../dossier/content';
import { addAttachment, attachmentsRoots, documentName, findAttachment, setAttachmentCell, setAttachmentFile } from '../../dossier/layout';
import { newId } from '../../dossier/ids';
import { canSeeAttachment, canWriteSection, type Actor } from '../../dossier/policy';
import type { Template, TemplateSection } from '../../dossier/template';
import { AttachmentFileRefused, checkAttachmentFile, tooLargeMessage } from '../attachments/file-check';
import type { CollabContext } from '../collab/access';
import type { AttachmentFileRecord } from '../storage/attachments';
import type { DossierRecord, Storage } from '../storage/storage';
import type { Workflow } from '../workflow/workflow';
import { HttpError } from './errors';
import { signedIn, visibleDossier } from './guards';
import { versionNumber } from './workflow';
import { logFor } from '../log';

const log = logFor('attachments');

export interface AttachmentDeps {
  storage: Storage;
  workflow: Workflow;
  hocuspocus: Hocuspocus;
  /** ATTACHMENT_MAX_MB in bytes. */
  maxBytes: number;
}

type AnlagenSection = Extract<TemplateSection, { kind: 'attachments' }>;

export function attachmentsRouter(deps: AttachmentDeps): Router {
  const { storage, workflow, hocuspocus, maxBytes } = deps;
  const router = Router();

  const anlagenOf = (template: Template): AnlagenSection => {
    const section = template.sections.find((s): s is AnlagenSection => s.kind === 'attachments');
    if (!section) throw new HttpError(409, 'Dieses Vorlagenmuster hat keinen Abschnitt für Anlagen.');
    return section;
  };

  /** The Anlagen now: from the live document when it is loaded, else as stored. */
  const currentAnlagen = async (dossier: DossierRecord, template: Template): Promise<Attachment[]> => {
    const content = (await workflow.currentContents(dossier, template)).get(anlagenOf(template).id)?.content as { items?: Attachment[] } | undefined;
    return Array.isArray(content?.items) ? content.items : [];
  };

  const assertMayWrite = (actor: Actor, dossier: DossierRecord, section: AnlagenSection) => {
    if (dossier.status === 'released') throw new HttpError(403, 'Die Vorlage ist freigegeben; ihre Anlagen lassen sich nicht mehr ändern.');
    if (!canWriteSection(actor, dossier, section.owner)) throw new HttpError(403, `Den Abschnitt „${section.title}“ dürfen Sie nicht bearbeiten.`);
  };

  /** Writes into the live Anlagen document as the user's own change (stored and audited like any edit). */
  const changeAnlagen = async (dossierId: string, section: AnlagenSection, context: CollabContext, change: (doc: Y.Doc) => void) => {
    const connection = await hocuspocus.openDirectConnection(documentName(dossierId, section.id), context);
    try {
      await connection.transact(change);
    } finally {
      await connection.disconnect();
    }
  };

  const contextOf = (res: Response): CollabContext => {
    const { actor, user, session } = signedIn(res);
    return { user: { id: user.id, username: user.username, displayName: user.displayName }, actor, sessionHash: session.tokenHash };
  };

  const view = (file: AttachmentFileRecord, anlage: Pick<Attachment, 'id' | 'public'>, names: ReadonlyMap<string, string>): AttachmentFileView => ({
    fileId: file.id,
    anlageId: anlage.id,
    fileName: file.fileName,
    mediaType: file.mediaType,
    size: file.size,
    sha256: file.sha256,
    uploadedAt: file.uploadedAt,
    uploadedBy: names.get(file.uploadedBy) ?? file.uploadedBy,
    public: anlage.public,
  });

  const userNames = async () => new Map((await storage.accounts.listUsers()).map((user) => [user.id, user.displayName]));

  const sendFile = (res: Response, file: AttachmentFileRecord, bytes: Uint8Array) => {
    res
      .status(200)
      .attachment(file.fileName)
      .type(file.mediaType)
      .set({
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "sandbox; default-src 'none'",
        'X-Attachment-SHA256': file.sha256,
        'Repr-Digest': `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`,
      })
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  };

  const fileOf = async (dossier: DossierRecord, fileId: string) => {
    const file = /^[0-9a-z]{1,64}$/.test(fileId) ? await storage.attachments.get(dossier.id, fileId) : undefined;
    if (!file) throw new HttpError(404, 'Diese Datei gibt es in dieser Vorlage nicht.');
    return file;
  };

  const bytesOf = async (dossier: DossierRecord, file: AttachmentFileRecord, expectedSha256 = file.sha256) => {
    const bytes = await storage.attachments.bytes(dossier.id, file.id);
    if (!bytes) throw new HttpError(404, 'Diese Datei gibt es in dieser Vorlage nicht.');
    if (sha256(bytes) !== expectedSha256) {
      log.error({ dossierId: dossier.id, fileId: file.id }, 'the stored bytes no longer have their SHA-256');
      throw new HttpError(500, 'Die gespeicherte Datei ist beschädigt. Bitte die Administration benachrichtigen.');
    }
    return bytes;
  };

  const notPublic = () =>
    new HttpError(403, 'Diese Anlage ist nichtöffentlich; herunterladen dürfen sie nur die beteiligten Dienststellen und der Sitzungsdienst.');

  router.get('/:id/attachments', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const template = workflow.templateOf(dossier);
    const [anlagen, files, names] = await Promise.all([currentAnlagen(dossier, template), storage.attachments.list(dossier.id), userNames()]);
    const byId = new Map(files.map((file) => [file.id, file]));
    const views = anlagen.flatMap((anlage) => {
      const file = anlage.fileId === undefined ? undefined : byId.get(anlage.fileId);
      return file && canSeeAttachment(actor, dossier, anlage.public) ? [view(file, anlage, names)] : [];
    });
    res.json(views);
  });

  // the body is read only after the checks: who may not upload here makes the server buffer nothing
  router.post('/:id/attachments', async (req, res) => {
    const { actor, user } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const template = workflow.templateOf(dossier);
    const section = anlagenOf(template);
    assertMayWrite(actor, dossier, section);
    const anlageId = optionalId(req.query.anlage);
    const isPublic = optionalFlag(req.query.public);
    if (anlageId === undefined && isPublic === undefined)
      throw new HttpError(400, 'Für eine neue Anlage bitte angeben, ob sie öffentlich ist (public=true oder public=false).');
    if (anlageId !== undefined && !(await currentAnlagen(dossier, template)).some((anlage) => anlage.id === anlageId))
      throw new HttpError(404, 'Diese Anlage gibt es (nicht mehr). Bitte die Seite neu laden.');
    const bytes = await readRawFile(req, res, maxBytes);
    if (!Buffer.isBuffer(bytes)) throw new HttpError(400, 'Bitte die Datei selbst als Inhalt der Anfrage senden, nicht als JSON.');
    const { fileName, kind } = await checkAttachmentFile(bytes, fileNameHeader(req.get('x-file-name')), maxBytes).catch((error: unknown) => {
      if (error instanceof AttachmentFileRefused) throw new HttpError(error.status, error.message);
      throw error;
    });

    const file: AttachmentFileRecord = {
      id: newId(20),
      dossierId: dossier.id,
      fileName,
      mediaType: kind.mediaType,
      size: bytes.byteLength,
      sha256: sha256(bytes),
      uploadedBy: user.id,
      uploadedAt: new Date().toISOString(),
    };
    await storage.attachments.add(file, bytes);
    let anlage: Attachment | undefined;
    let replaced: string | undefined;
    try {
      await changeAnlagen(dossier.id, section, contextOf(res), (doc) => {
        if (anlageId === undefined) {
          anlage = { id: newId(), title: titleFromFileName(fileName), public: isPublic!, fileId: file.id };
          addAttachment(doc, anlage);
          return;
        }
        const map = findAttachment(doc, anlageId);
        if (!map) return;
        const before = map.get('fileId');
        replaced = typeof before === 'string' ? before : undefined;
        setAttachmentFile(map, file.id);
        if (isPublic !== undefined) setAttachmentCell(map, 'public', isPublic);
        // an Anlage without a title takes the file's
        if (String(map.get('title') ?? '').trim() === '') setAttachmentCell(map, 'title', titleFromFileName(fileName));
        anlage = { id: anlageId, title: String(map.get('title') ?? ''), public: map.get('public') === true, fileId: file.id };
      });
    } catch (error) {
      await storage.attachments.deleteUnlessReleased(dossier.id, file.id);
      throw error;
    }
    if (!anlage) {
      await storage.attachments.deleteUnlessReleased(dossier.id, file.id);
      throw new HttpError(404, 'Diese Anlage wurde gerade entfernt. Bitte die Seite neu laden.');
    }
    // the file it replaced goes, unless a released version holds it
    if (replaced) await storage.attachments.deleteUnlessReleased(dossier.id, replaced);
    await storage.audit.append({
      at: file.uploadedAt,
      userId: user.id,
      action: 'attachment.uploaded',
      dossierId: dossier.id,
      sectionId: section.id,
      detail: `${file.fileName} (${file.size} Byte, SHA-256 ${file.sha256})`,
    });
    const answer: AttachmentUploadAnswer = { ...view(file, anlage, new Map([[user.id, user.displayName]])), anlageId: anlage.id };
    res.status(201).json(answer);
  });

  router.get('/:id/attachments/:fileId', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const file = await fileOf(dossier, req.params.fileId);
    const anlage = (await currentAnlagen(dossier, workflow.templateOf(dossier))).find((a) => a.fileId === file.id);
    // a file no Anlage holds (any more) counts as nichtöffentlich
    if (!canSeeAttachment(actor, dossier, anlage?.public ?? false)) throw notPublic();
    sendFile(res, file, await bytesOf(dossier, file));
  });

  router.delete('/:id/attachments/:fileId', async (req, res) => {
    const { actor, user } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const section = anlagenOf(workflow.templateOf(dossier));
    assertMayWrite(actor, dossier, section);
    const file = await fileOf(dossier, req.params.fileId);
    await changeAnlagen(dossier.id, section, contextOf(res), (doc) => {
      for (const map of attachmentsRoots(doc).items.toArray()) if (map.get('fileId') === file.id) setAttachmentFile(map, undefined);
    });
    const deleted = await storage.attachments.deleteUnlessReleased(dossier.id, file.id);
    await storage.audit.append({
      at: new Date().toISOString(),
      userId: user.id,
      action: 'attachment.deleted',
      dossierId: dossier.id,
      sectionId: section.id,
      detail: `${file.fileName} (SHA-256 ${file.sha256})${deleted ? '' : ', bleibt für freigegebene Fassungen gespeichert'}`,
    });
    res.json({ fileId: file.id, deleted });
  });

  router.get('/:id/versions/:n/attachments', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const number = versionNumber(req.params.n);
    if (!(await storage.workflow.listVersions(dossier.id)).some((version) => version.version === number))
      throw new HttpError(404, `Version ${number} dieser Vorlage gibt es nicht.`);
    const [held, files, names] = await Promise.all([storage.attachments.ofVersion(dossier.id, number), storage.attachments.list(dossier.id), userNames()]);
    const byId = new Map(files.map((file) => [file.id, file]));
    const views = held.flatMap((record) => {
      const file = byId.get(record.fileId);
      if (!file || !canSeeAttachment(actor, dossier, record.public)) return [];
      return [{ ...view(file, { id: record.anlageId, public: record.public }, names), sha256: record.sha256 }];
    });
    res.json(views);
  });

  router.get('/:id/versions/:n/attachments/:fileId', async (req, res) => {
    const { actor } = signedIn(res);
    const dossier = await visibleDossier(storage, req.params.id, actor);
    const number = versionNumber(req.params.n);
    const held = (await storage.attachments.ofVersion(dossier.id, number)).find((record) => record.fileId === req.params.fileId);
    if (!held) throw new HttpError(404, `Diese Datei gehört nicht zu Version ${number} dieser Vorlage.`);
    if (!canSeeAttachment(actor, dossier, held.public)) throw notPublic();
    const file = await fileOf(dossier, held.fileId);
    sendFile(res, file, await bytesOf(dossier, file, held.sha256));
  });

  return router;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The raw request body (a Buffer, unless a JSON body was parsed before), at most `maxBytes`; a larger one is a 413 with the limit in German. */
function readRawFile(req: Request, res: Response, maxBytes: number): Promise<unknown> {
  const parse = express.raw({ type: () => true, limit: maxBytes });
  return new Promise((resolve, reject) => {
    parse(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') reject(new HttpError(413, tooLargeMessage(maxBytes)));
      else if (error) reject(error);
      else resolve(req.body);
    });
  });
}

function fileNameHeader(raw: string | undefined): string {
  if (raw === undefined || raw === '') throw new HttpError(400, 'Der Dateiname fehlt (Kopfzeile X-File-Name, URL-kodiert).');
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'Der Dateiname in X-File-Name ist nicht gültig URL-kodiert.');
  }
}

function optionalId(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && /^[\w-]{1,64}$/.test(value)) return value;
  throw new HttpError(400, 'Der Parameter "anlage" muss die Kennung einer Anlage sein.');
}

function optionalFlag(value: unknown): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new HttpError(400, 'Der Parameter "public" muss true (öffentlich) oder false (nichtöffentlich) sein.');
}
