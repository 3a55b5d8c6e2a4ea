/**
 * Mitzeichnung: one row per involved department, as in the PDF. The rows
 * follow the header's "Beteiligte Dienststellen" live and name each department
 * as the city's list does; signatures are written by the server's workflow only.
 */
import type { SectionContentByKind } from '../../dossier/content';
import { headerRoots, readSection } from '../../dossier/layout';
import type { DepartmentName } from '../../dossier/departments';
import { involvedDepartments, signatureRows } from '../../dossier/signatures';
import { involvedDepartmentsField, type Template, type TemplateSection } from '../../dossier/template';
import { useDepartments } from '../departments';
import { useYObserve } from '../collab/hooks';
import type { CollabSession } from '../collab/session';
import { useI18n } from '../i18n/i18n';

type SignaturesContent = SectionContentByKind['signatures'] | undefined;

export function SignaturesSection({ content, session, template }: { content: SignaturesContent; session: CollabSession; template: Template }) {
  const departments = useDepartments() ?? [];
  const picked = involvedDepartmentsField(template);
  const header = template.sections.find((section) => section.id === picked?.section);
  return header ? (
    <WithLiveHeader content={content} session={session} header={header} template={template} departments={departments} />
  ) : (
    <SignaturesTable content={content} involved={[]} template={template} departments={departments} />
  );
}

function WithLiveHeader({
  content,
  session,
  header,
  template,
  departments,
}: {
  content: SignaturesContent;
  session: CollabSession;
  header: TemplateSection;
  template: Template;
  departments: DepartmentName[];
}) {
  const { doc } = session.section(header.id);
  useYObserve(headerRoots(doc).fields);
  const involved = involvedDepartments(template, readSection(doc, header) as SectionContentByKind['header'], departments);
  return <SignaturesTable content={content} involved={involved} template={template} departments={departments} />;
}

function SignaturesTable({
  content,
  involved,
  template,
  departments,
}: {
  content: SignaturesContent;
  involved: string[];
  template: Template;
  departments: DepartmentName[];
}) {
  const { t, formatDateTime } = useI18n();
  const titles = new Map(template.sections.map((section) => [section.id, section.title]));
  const rows = signatureRows(involved, content?.items ?? [], (id) => titles.get(id), departments);
  if (rows.length === 0) {
    const picked = involvedDepartmentsField(template);
    const field = template.sections
      .flatMap((section) => (section.id === picked?.section && section.kind === 'header' ? section.fields : []))
      .find((f) => f.id === picked?.field);
    return <p className="muted">{field ? t('signatures.noDepartmentsField', { field: field.label }) : t('signatures.noDepartments')}</p>;
  }
  return (
    <>
      <div className="table-scroll" role="region" aria-label={t('signatures.caption')} tabIndex={0}>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('signatures.department')}</th>
              <th scope="col">{t('signatures.name')}</th>
              <th scope="col">{t('signatures.signedAt')}</th>
              <th scope="col">{t('signatures.sections')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ departmentId, department, signature, sectionTitles }) =>
              signature ? (
                <tr key={departmentId}>
                  <td>{department}</td>
                  <td>{signature.name}</td>
                  <td>{formatDateTime(signature.signedAt)}</td>
                  <td>{sectionTitles.join(', ') || t('signatures.wholeVorlage')}</td>
                </tr>
              ) : (
                <tr key={departmentId}>
                  <td>{department}</td>
                  <td className="muted">
                    <em>{t('signatures.pending')}</em>
                  </td>
                  <td />
                  <td />
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      {!content?.items.length && <p className="muted">{t('signatures.howItWorks')}</p>}
    </>
  );
}
