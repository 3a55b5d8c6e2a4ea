/**
 * The dossier page: the document in template order, each section with its
 * owner, guidance and editor, a table of contents, presence, and the
 * connection and save state. Loaded lazily: it carries the editor stack.
 */
import '../zod-jitless';
import { useCallback, useEffect, useState, type CSSProperties, type FocusEvent } from 'react';
import type { BudgetContent, SectionContent, SectionContentByKind } from '../../dossier/content';
import { isSectionFilled, missingHeaderFields } from '../../dossier/completeness';
import { readSection } from '../../dossier/layout';
import { richTextPlain } from '../../dossier/schema';
import type { Template, TemplateSection } from '../../dossier/template';
import type { DossierView } from '../../dossier/rest';
import { api } from '../api';
import { StatusBadge } from '../components/StatusBadge';
import { useCollabSession, useSectionContents, useSessionSnapshot } from '../collab/hooks';
import { invalidInputCount, type CollabSession, type SessionSnapshot } from '../collab/session';
import { Icon } from '../components/Icon';
import { useI18n } from '../i18n/i18n';
import { de, type MessageKey } from '../i18n/messages';
import type { Identity } from '../identity';
import { guardLeaving, Link } from '../router';
import { useWorkflow } from '../workflow/use-workflow';
import { WorkflowPanel } from '../workflow/WorkflowPanel';
import { AttachmentsSection } from '../sections/AttachmentsSection';
import { BudgetSection } from '../sections/BudgetSection';
import { ChoiceSection } from '../sections/ChoiceSection';
import { ConsultationSection } from '../sections/ConsultationSection';
import { HeaderSection } from '../sections/HeaderSection';
import { FormattingProvider } from '../sections/formatting';
import { RichTextEditor } from '../sections/RichTextEditor';
import { SignaturesSection } from '../sections/SignaturesSection';
import { Toolbar } from '../sections/Toolbar';
import { ConnectionStatus } from './ConnectionStatus';
import { BudgetCsvButton, ExportButton } from './ExportButton';
import { DraftingHistory } from '../history/DraftingHistory';
import { PresenceBar } from './PresenceBar';
import { TableOfContents } from './TableOfContents';

export const sectionAnchor = (sectionId: string) => `abschnitt-${sectionId}`;

export default function DossierPage({ dossierId, identity }: { dossierId: string; identity: Identity }) {
  const { t } = useI18n();
  const [dossier, setDossier] = useState<DossierView | null>(null);
  const [template, setTemplate] = useState<Template | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    api
      .dossier(dossierId)
      .then(async (view) => {
        const loaded = await api.template(view.templateId);
        setDossier(view);
        setTemplate(loaded);
      })
      .catch((e: Error) => setError(e.message));
  }, [dossierId]);
  useEffect(load, [load]);

  const session = useCollabSession(dossierId, template, identity);
  const snapshot = useSessionSnapshot(session);
  const contents = useSectionContents(session, template);
  const workflow = useWorkflow(dossier, session, template);
  const barHeight = useBarHeight();

  const liveTitle = titleOf(template, contents) || dossier?.title || '';
  useEffect(() => {
    if (liveTitle) document.title = `${liveTitle} – ${t('app.name')}`;
  }, [liveTitle, t]);

  // Edits neither stored nor kept in this browser, and inputs refused at their cell, live only in this page: warn before it is left.
  const invalidInputs = invalidInputCount(snapshot);
  const leaveWarning = invalidInputs > 0 ? t('dossier.leaveInvalid', { count: invalidInputs }) : snapshot.keptLocally ? null : t('dossier.leaveUnsaved');
  useEffect(() => {
    if (leaveWarning === null) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = leaveWarning;
    };
    addEventListener('beforeunload', warn);
    const unguard = guardLeaving(() => leaveWarning);
    return () => {
      removeEventListener('beforeunload', warn);
      unguard();
    };
  }, [leaveWarning]);

  if (error) {
    return (
      <div className="page-status" role="alert">
        <p>{t('app.error', { message: error })}</p>
        <button type="button" className="button button--secondary" onClick={load}>
          {t('app.retry')}
        </button>{' '}
        <Link href="/">{t('app.toList')}</Link>
      </div>
    );
  }
  if (!dossier || !template || !session || !workflow) return <p className="page-status">{t('app.loading')}</p>;

  // live: the workflow follows the server's status changes
  const released = workflow.status === 'released';
  // Only sections that have synced can be judged; before that their documents are empty.
  const missing = template.sections.filter((section) => section.required && snapshot.synced.has(section.id) && !filled(section, contents.get(section.id)));
  // the toolbar is there while some rich-text field may be written (or is still loading)
  const formattable =
    !released &&
    template.sections.some(
      (section) =>
        richTextKinds.has(section.kind) && (!snapshot.synced.has(section.id) || !(snapshot.readOnly.has(section.id) || snapshot.refused.has(section.id))),
    );

  return (
    <div className="dossier-layout" style={barHeight.style}>
      <aside className="dossier-layout__aside">
        <TableOfContents template={template} missing={missing} snapshot={snapshot} />
      </aside>
      <div className="dossier-layout__main">
        <div className="dossier-bar" ref={barHeight.ref}>
          <Link href="/" className="dossier-bar__back">
            <Icon name="back" size={16} /> {t('dossier.back')}
          </Link>
          <PresenceBar present={snapshot.present} template={template} />
          <ConnectionStatus snapshot={snapshot} onReconnect={() => session.reconnect()} />
          <ExportButton dossierId={dossierId} unsaved={snapshot.save !== 'saved' || invalidInputs > 0} />
          {template.sections.some((section) => section.kind === 'budget') && <BudgetCsvButton dossierId={dossierId} />}
          <WorkflowPanel dossier={dossier} template={template} session={session} workflow={workflow} />
          <DraftingHistory dossierId={dossierId} template={template} />
        </div>
        {released && <p className="notice notice--info">{t('dossier.readOnly')}</p>}
        <FormattingProvider>
          {formattable && <Toolbar />}
          <article className="paper" aria-labelledby="dossier-title">
            <header className="paper__head">
              <div className="paper__kind">
                <span>{template.vorlageArt}</span>
                <StatusBadge status={workflow.status} />
              </div>
              <h1 id="dossier-title" className="paper__title">
                {liveTitle}
              </h1>
              <dl className="paper__meta">
                <div>
                  <dt>{t('dossier.referenceNumber')}</dt>
                  <dd>{workflow.referenceNumber ?? <span className="muted">{t('dossier.noReference')}</span>}</dd>
                </div>
                <div>
                  <dt>{t('dossier.template')}</dt>
                  <dd>{template.name}</dd>
                </div>
              </dl>
            </header>
            {template.sections.map((section, index) => {
              const previousGroup = index > 0 ? template.sections[index - 1]!.group : undefined;
              return (
                <div key={section.id} className="paper__part">
                  {section.group && section.group !== previousGroup && <h2 className="paper__group">{section.group}</h2>}
                  <SectionBlock
                    section={section}
                    template={template}
                    session={session}
                    snapshot={snapshot}
                    content={contents.get(section.id)}
                    missing={missing.includes(section)}
                    identity={identity}
                    leadDepartmentId={dossier.leadDepartmentId}
                    readOnly={released || snapshot.readOnly.has(section.id) || snapshot.refused.has(section.id)}
                  />
                </div>
              );
            })}
          </article>
        </FormattingProvider>
      </div>
    </div>
  );
}

/** Section kinds that hold rich-text fields, which the one toolbar formats. */
const richTextKinds: ReadonlySet<TemplateSection['kind']> = new Set(['text', 'budget', 'choice']);

/** The sticky bar's height as a CSS variable: the toolbar sticks right below it, however the bar wraps. */
function useBarHeight() {
  const [height, setHeight] = useState(0);
  const ref = useCallback((bar: HTMLDivElement | null) => {
    if (!bar) return;
    const observer = new ResizeObserver(() => setHeight(Math.ceil(bar.getBoundingClientRect().height)));
    observer.observe(bar);
    return () => observer.disconnect();
  }, []);
  return { ref, style: { '--dossier-bar-height': `${height}px` } as CSSProperties };
}

function titleOf(template: Template | null, contents: Map<string, SectionContent>): string {
  const content = template && contents.get(template.titleSection);
  if (!content) return '';
  try {
    return richTextPlain(content);
  } catch {
    return '';
  }
}

function filled(section: TemplateSection, content: SectionContent | undefined): boolean {
  return content !== undefined && isSectionFilled(section, content as never);
}

/** The department badge: a known function's name from the catalogue, else the template's value. */
export function ownerLabel(t: (key: MessageKey) => string, owner: string): string {
  const key = `owner.${owner}`;
  return Object.hasOwn(de, key) ? t(key as MessageKey) : owner;
}

function SectionBlock({
  section,
  template,
  session,
  snapshot,
  content,
  missing,
  identity,
  leadDepartmentId,
  readOnly,
}: {
  section: TemplateSection;
  template: Template;
  session: CollabSession;
  snapshot: SessionSnapshot;
  content: SectionContent | undefined;
  missing: boolean;
  identity: Identity;
  leadDepartmentId: string;
  readOnly: boolean;
}) {
  const { t } = useI18n();
  const connection = session.section(section.id);
  const synced = snapshot.synced.has(section.id);
  // Guidance starts open where the section still needs writing by this user, decided once the section has synced;
  // who only reads it (the lead in the Kämmerei's Finanzen) finds it folded.
  const [guidanceOpen, setGuidanceOpen] = useState<boolean | null>(null);
  if (guidanceOpen === null && synced) setGuidanceOpen(section.required && !readOnly && !filled(section, readSection(connection.doc, section)));
  const headingId = `${sectionAnchor(section.id)}-titel`;
  const Heading = section.group ? 'h3' : 'h2';
  const others = snapshot.present.filter((user) => !user.self && user.sections.includes(section.id));

  const onFocus = () => session.setEditing(section.id);
  const onBlur = (event: FocusEvent<HTMLElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) session.setEditing(null);
  };

  return (
    <section id={sectionAnchor(section.id)} className={`section section--${section.kind}`} aria-labelledby={headingId} onFocus={onFocus} onBlur={onBlur}>
      <header className="section__head">
        <Heading id={headingId} className="section__title" tabIndex={-1}>
          {section.title}
        </Heading>
        <div className="section__badges">
          <span className={`badge badge--owner badge--owner-${section.owner}`}>
            <span className="visually-hidden">{t('dossier.owner', { owner: '' })}</span>
            {ownerLabel(t, section.owner)}
          </span>
          {section.required && <span className="badge badge--required">{t('dossier.required')}</span>}
          {readOnly && snapshot.synced.has(section.id) && !snapshot.refused.has(section.id) && (
            <span className="badge badge--readonly" title={t('dossier.readOnlySectionHint', { owner: ownerLabel(t, section.owner) })}>
              {t('dossier.readOnlySection')}
            </span>
          )}
          {missing && <MissingBadge section={section} content={content} />}
          {others.length > 0 && (
            <span className="section__editing" title={t('presence.editingHere', { names: others.map((u) => u.name).join(', ') })}>
              {others.map((user) => (
                <span key={user.id} className="editing-dot" style={{ backgroundColor: user.color }}>
                  {user.name}
                </span>
              ))}
            </span>
          )}
        </div>
      </header>
      {section.guidance.length > 0 && (
        <details className="guidance" open={guidanceOpen ?? false} onToggle={(event) => setGuidanceOpen(event.currentTarget.open)}>
          <summary>
            {t('dossier.guidance')} <span className="guidance__count">({section.guidance.length})</span>
          </summary>
          <ul>
            {section.guidance.map((question) => (
              <li key={question}>{question}</li>
            ))}
          </ul>
        </details>
      )}
      {snapshot.refused.has(section.id) && <p className="notice notice--error">{t('dossier.refused')}</p>}
      {snapshot.unsavable.has(section.id) && (
        <div className="notice notice--error" role="alert">
          <p>{t('dossier.unsavable')}</p>
          <button type="button" className="button button--secondary button--small" onClick={() => void session.discardUnsaved(section.id)}>
            {t('dossier.discardUnsaved')}
          </button>
        </div>
      )}
      <div className="section__body" aria-busy={!synced}>
        {synced ? (
          <SectionBody
            section={section}
            template={template}
            session={session}
            content={content}
            identity={identity}
            leadDepartmentId={leadDepartmentId}
            readOnly={readOnly}
            subheading={Heading === 'h2' ? 'h3' : 'h4'}
          />
        ) : (
          <div className="skeleton" aria-hidden="true" />
        )}
      </div>
    </section>
  );
}

/** "fehlt", and for the Kopf which of its fields. */
function MissingBadge({ section, content }: { section: TemplateSection; content: SectionContent | undefined }) {
  const { t } = useI18n();
  const fields = section.kind === 'header' && content ? missingHeaderFields(section, content as SectionContentByKind['header']) : [];
  return <span className="badge badge--missing">{fields.length > 0 ? t('dossier.missingFields', { fields: fields.join(', ') }) : t('dossier.missing')}</span>;
}

function SectionBody({
  section,
  template,
  session,
  content,
  identity,
  leadDepartmentId,
  readOnly,
  subheading,
}: {
  section: TemplateSection;
  template: Template;
  session: CollabSession;
  content: SectionContent | undefined;
  identity: Identity;
  leadDepartmentId: string;
  readOnly: boolean;
  subheading: 'h3' | 'h4';
}) {
  const connection = session.section(section.id);
  switch (section.kind) {
    case 'text':
      return <RichTextEditor connection={connection} field="content" label={section.title} identity={identity} editable={!readOnly} />;
    case 'header':
      return (
        <HeaderSection
          connection={connection}
          sectionId={section.id}
          fields={section.fields}
          template={template}
          leadDepartmentId={leadDepartmentId}
          readOnly={readOnly}
        />
      );
    case 'consultation':
      return <ConsultationSection connection={connection} bodies={section.bodies} readOnly={readOnly} />;
    case 'choice':
      return <ChoiceSection connection={connection} section={section} identity={identity} readOnly={readOnly} subheading={subheading} />;
    case 'attachments':
      return <AttachmentsSection dossierId={session.dossierId} connection={connection} readOnly={readOnly} />;
    case 'budget':
      return (
        <BudgetSection
          connection={connection}
          content={content as BudgetContent | undefined}
          scheme={template.budgetScheme}
          identity={identity}
          readOnly={readOnly}
          subheading={subheading}
          onInvalidInputs={(count) => session.setInvalidInputs(section.id, count)}
        />
      );
    case 'signatures':
      return <SignaturesSection content={content as SectionContentByKind['signatures'] | undefined} session={session} template={template} />;
  }
}
