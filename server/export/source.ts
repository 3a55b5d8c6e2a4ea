/**
 * What an export renders: the stored dossier (canonical JSON per section, as
 * the REST API shows it) and its template, read from storage, never from live
 * Yjs documents: an export shows what is stored, so the same stored state
 * always gives the same PDF.
 */
import { isDossierId } from '../../dossier/layout';
import type { Template } from '../../dossier/template';
import { dossierView } from '../dossiers/view';
import type { DepartmentRecord, DossierRecord, Storage } from '../storage/storage';
import type { TemplateRegistry } from '../templates/loader';
import type { DossierView } from './pdf';

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
): Promise<{ dossier: DossierRecord; view: DossierView; template: Template; departments: DepartmentRecord[] }> {
  const dossier = isDossierId(dossierId) ? await storage.getDossier(dossierId) : undefined;
  if (!dossier) throw new DossierNotExportableError('not-found', `Vorlage "${dossierId.slice(0, 80)}" gibt es nicht.`);
  const template = templates.get(dossier.templateId);
  if (!template) {
    throw new DossierNotExportableError('template-missing', `Das Vorlagenmuster "${dossier.templateId}" dieser Vorlage ist nicht mehr installiert.`);
  }
  const view = dossierView(dossier, template, await storage.getSectionContents(dossier.id));
  return { dossier, view, template, departments: await storage.listDepartments() };
}

/** A file name without path or quoting trouble: "VO-26-00042-SC.pdf", or "Entwurf-<id>.pdf". */
export function exportFileName(dossier: Pick<DossierRecord, 'id' | 'referenceNumber'>): string {
  const base = dossier.referenceNumber ? dossier.referenceNumber : `Entwurf-${dossier.id}`;
  return `${base.replace(/[^A-Za-z0-9._-]+/g, '-')}.pdf`;
}
