/**
 * Mitzeichnung: one row per involved department, as in the PDF. The rows
 * follow the header's "Beteiligte Dienststellen" live; signatures are written
 * by the server's workflow only.
 */
import type { SectionContentByKind } from '../../dossier/content';
import { headerRoots, readSection } from '../../dossier/layout';
import { INVOLVED_DEPARTMENTS_FIELD, involvedDepartments, signatureRows } from '../../dossier/signatures';
import type { Template, TemplateSection } from '../../dossier/template';
import { useYObserve } from '../collab/hooks';
import type { CollabSession } from '../collab/session';
import { useI18n } from '../i18n/i18n';

type SignaturesContent = SectionContentByKind['signatures'] | undefined;

export function SignaturesSection({ content, session, template }: { content: SignaturesContent; session: CollabSession; template: Template }) {
  const header = template.sections.find((section) => section.kind === 'header');
  return header ? <WithLiveHeader content={content} session={session} header={header} template={template} /> : <SignaturesTable content={content} involved={[]} template={template} />;
}

function WithLiveHeader({ content, session, header, template }: { content: SignaturesContent; session: CollabSession; header: TemplateSection; template: Template }) {
  const { doc } = session.section(header.id);
  useYObserve(headerRoots(doc).fields);
  const involved = involvedDepartments(readSection(doc, header) as SectionContentByKind['header']);
  return <SignaturesTable content={content} involved={involved} template={template} />;
}

function SignaturesTable({ content, involved, template }: { content: SignaturesContent; involved: string[]; template: Template }) {
  const { t, formatDateTime } = useI18n();
  const titles = new Map(template.sections.map((section) => [section.id, section.title]));
  const rows = signatureRows(involved, content?.items ?? [], (id) => titles.get(id));
  if (rows.length === 0) {
    const field = template.sections.flatMap((section) => (section.kind === 'header' ? section.fields : [])).find((f) => f.id === INVOLVED_DEPARTMENTS_FIELD);
    return <p className="muted">{field ? t('signatures.noDepartmentsField', { field: field.label }) : t('signatures.noDepartments')}</p>;
  }
  return (
    <>
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
          {rows.map(({ department, signature, sectionTitles }) =>
            signature ? (
              <tr key={department}>
                <td>{department}</td>
                <td>{signature.name}</td>
                <td>{formatDateTime(signature.signedAt)}</td>
                <td>{sectionTitles.join(', ') || t('signatures.wholeVorlage')}</td>
              </tr>
            ) : (
              <tr key={department}>
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
      {!content?.items.length && <p className="muted">{t('signatures.howItWorks')}</p>}
    </>
  );
}
