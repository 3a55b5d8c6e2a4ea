/** The JSON view of a dossier that the API returns: every section in template order with its content. */
import { budgetTotals } from '../../dossier/budget';
import type { BudgetContent } from '../../dossier/content';
import { canWriteSection, isLead, type Actor } from '../../dossier/policy';
import type { DossierSummary, DossierView, Editor } from '../../dossier/rest';
import type { Template } from '../../dossier/template';
import type { DossierRecord } from '../storage/storage';

export function dossierSummary(dossier: DossierRecord, template: Template | undefined, editors: Editor[] = []): DossierSummary {
  return {
    id: dossier.id,
    title: dossier.title,
    templateId: dossier.templateId,
    templateName: template?.name ?? dossier.templateId,
    status: dossier.status,
    referenceNumber: dossier.referenceNumber,
    leadDepartmentId: dossier.leadDepartmentId,
    involvedDepartmentIds: dossier.involvedDepartmentIds,
    public: dossier.public,
    createdAt: dossier.createdAt,
    updatedAt: dossier.updatedAt,
    editors,
  };
}

export function dossierView(
  dossier: DossierRecord,
  template: Template,
  contents: Map<string, { content: unknown; updatedAt: string }>,
  /** Who asks (for what they may write) and who is editing now. */
  viewer: { actor?: Actor; editors?: Editor[] } = {},
): DossierView {
  const { actor, editors = [] } = viewer;
  return {
    ...dossierSummary(dossier, template, editors),
    you: { lead: actor ? isLead(actor, dossier) : false },
    sections: template.sections.map((section) => {
      const stored = contents.get(section.id);
      return {
        id: section.id,
        title: section.title,
        group: section.group ?? null,
        kind: section.kind,
        owner: section.owner,
        required: section.required,
        canWrite: actor ? canWriteSection(actor, dossier, section.owner) : false,
        updatedAt: stored?.updatedAt ?? null,
        content: stored?.content ?? null,
        ...(section.kind === 'budget' && stored ? { totals: budgetTotals(stored.content as BudgetContent) } : {}),
      };
    }),
  };
}
