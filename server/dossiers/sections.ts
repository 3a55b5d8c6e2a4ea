/**
 * Resolves a collaboration document name to the dossier, template and section
 * it belongs to. Collaboration refuses every name this cannot resolve.
 */
import { parseDocumentName } from '../../dossier/layout';
import { findSection, type Template, type TemplateSection } from '../../dossier/template';
import type { TemplateRegistry } from '../templates/loader';
import type { DossierRecord, Storage } from '../storage/storage';

export interface ResolvedSection {
  dossier: DossierRecord;
  template: Template;
  section: TemplateSection;
}

export type SectionResolver = (documentName: string) => Promise<ResolvedSection | undefined>;

export function sectionResolver(storage: Storage, templates: TemplateRegistry): SectionResolver {
  return async (documentName) => {
    const name = parseDocumentName(documentName);
    if (!name) return undefined;
    const dossier = await storage.dossiers.get(name.dossierId);
    const template = dossier && templates.get(dossier.templateId);
    const section = template && findSection(template, name.sectionId);
    return dossier && template && section ? { dossier, template, section } : undefined;
  };
}
