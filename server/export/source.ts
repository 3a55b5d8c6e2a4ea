/**
 * What an export renders: a snapshot of the stored dossier (canonical JSON per
 * section) and its template, read from storage, never from live Yjs
 * documents: an export shows what is stored, so the same stored state always
 * gives the same PDF.
 */
import { isDossierId } from '../../dossier/layout';
import type { DossierSnapshot, SnapshotDepartment } from '../../dossier/snapshot';
import type { Template } from '../../dossier/template';
import type { DepartmentRecord, DossierRecord, Storage } from '../storage/storage';
import type { TemplateRegistry } from '../templates/loader';

export class DossierNotExportableError extends Error {
  constructor(
    readonly reason: 'not-found' | 'template-missing',
    message: string,
  ) {
    super(message);
    this.name = 'DossierNotExportableError';
  }
}

export async function loadExportSource(
  storage: Storage,
  templates: TemplateRegistry,
  dossierId: string,
): Promise<{ dossier: DossierRecord; snapshot: DossierSnapshot; template: Template }> {
  const dossier = isDossierId(dossierId) ? await storage.dossiers.get(dossierId) : undefined;
  if (!dossier) throw new DossierNotExportableError('not-found', `Vorlage "${dossierId.slice(0, 80)}" gibt es nicht.`);
  const template = templates.get(dossier.templateId);
  if (!template) {
    throw new DossierNotExportableError('template-missing', `Das Vorlagenmuster "${dossier.templateId}" dieser Vorlage ist nicht mehr installiert.`);
  }
  return { dossier, snapshot: await dossierSnapshot(storage, dossier, template), template };
}

/** The dossier's stored state as a snapshot: every section of its template, departments with their names. */
export async function dossierSnapshot(storage: Storage, dossier: DossierRecord, template: Template): Promise<DossierSnapshot> {
  const contents = await storage.dossiers.getSectionContents(dossier.id);
  const departments = new Map((await storage.accounts.listDepartments()).map((department) => [department.id, department]));
  const files = await storage.attachments.list(dossier.id);
  return {
    id: dossier.id,
    templateId: dossier.templateId,
    title: dossier.title,
    status: dossier.status,
    referenceNumber: dossier.referenceNumber,
    leadDepartment: snapshotDepartment(dossier.leadDepartmentId, departments.get(dossier.leadDepartmentId)),
    involvedDepartments: dossier.involvedDepartmentIds.map((id) => snapshotDepartment(id, departments.get(id))),
    public: dossier.public,
    updatedAt: dossier.updatedAt,
    sections: Object.fromEntries(template.sections.map((section) => [section.id, contents.get(section.id)?.content ?? null])),
    attachmentFiles: Object.fromEntries(files.map((file) => [file.id, { fileName: file.fileName, size: file.size, sha256: file.sha256 }])),
  };
}

/** A department no longer in the list (removed by hand in the database) keeps its id as its name. */
function snapshotDepartment(id: string, department: DepartmentRecord | undefined): SnapshotDepartment {
  return department ? { id, name: department.name, shortName: department.shortName } : { id, name: id, shortName: id };
}

/** A file name without path or quoting trouble: "VO-26-00042-SC.pdf", or "Entwurf-<id>.pdf". */
export function exportFileName(dossier: Pick<DossierRecord, 'id' | 'referenceNumber'>): string {
  return `${fileNamePart(dossier.referenceNumber ? dossier.referenceNumber : `Entwurf-${dossier.id}`)}.pdf`;
}

/** Text fit for a file name: each run of anything but letters, digits, `.`, `_` and `-` becomes one `-`. */
export function fileNamePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-');
}
