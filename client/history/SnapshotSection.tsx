/**
 * One section of a drafting-history snapshot, read-only: its stored JSON
 * rendered as a reader sees it, without editors or collaboration. The JSON
 * comes from the server's canonical readers, but it is rendered defensively
 * (unknown nodes show their text) since an old snapshot may predate a change
 * of the schema.
 */
import type { ReactNode } from 'react';
import type { BudgetContent, SectionContentByKind } from '../../dossier/content';
import { isSafeLink } from '../../dossier/links';
import type { TemplateSection } from '../../dossier/template';
import { BudgetReadTable } from '../budget/BudgetReadTable';
import { ConsultationTable } from '../sections/ConsultationTable';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

type KindSection<K extends TemplateSection['kind']> = Extract<TemplateSection, { kind: K }>;

export function SnapshotSection({ section, content, budgetScheme }: { section: TemplateSection; content: unknown; budgetScheme: 'doppisch' | 'kameral' }) {
  const { t } = useI18n();
  if (content === null || content === undefined) return <p className="muted">{t('history.sectionMissing')}</p>;
  switch (section.kind) {
    case 'text':
      return <RichTextView doc={content} />;
    case 'header':
      return <HeaderView section={section} content={content as SectionContentByKind['header']} />;
    case 'consultation':
      return <ConsultationTable rows={(content as SectionContentByKind['consultation']).rows} />;
    case 'budget':
      return <BudgetView content={content as BudgetContent} scheme={budgetScheme} />;
    case 'choice':
      return <ChoiceView section={section} content={content as SectionContentByKind['choice']} />;
    case 'attachments':
      return <AttachmentsView content={content as SectionContentByKind['attachments']} />;
    case 'signatures':
      return <SignaturesView content={content as SectionContentByKind['signatures']} />;
  }
}

function HeaderView({ section, content }: { section: KindSection<'header'>; content: SectionContentByKind['header'] }) {
  const { t, formatDate } = useI18n();
  const shown = (field: KindSection<'header'>['fields'][number]): ReactNode => {
    const value = content.fields[field.id];
    if (Array.isArray(value)) return value.length ? value.join(', ') : <span className="muted">{t('header.listEmpty')}</span>;
    if (!value) return <span className="muted">–</span>;
    if (field.type === 'date') return formatDate(value);
    if (field.type === 'select') return field.options.find((o) => o.value === value)?.label ?? value;
    return value;
  };
  return (
    <dl className="history-fields">
      {section.fields.map((field) => (
        <div key={field.id}>
          <dt>{field.label}</dt>
          <dd>{shown(field)}</dd>
        </div>
      ))}
    </dl>
  );
}

function BudgetView({ content, scheme }: { content: BudgetContent; scheme: 'doppisch' | 'kameral' }) {
  const { t } = useI18n();
  return (
    <>
      <BudgetReadTable content={content} scheme={scheme} />
      <dl className="history-fields">
        <div>
          <dt>{t('budget.coverage')}</dt>
          <dd>
            {content.coverage.kind ? t(`budget.coverage.${content.coverage.kind}` as MessageKey) : <span className="muted">{t('budget.coverageNone')}</span>}
            {content.coverage.text && ` – ${content.coverage.text}`}
          </dd>
        </div>
        <div>
          <dt>{t('budget.followUp')}</dt>
          <dd>{content.followUpCosts || <span className="muted">–</span>}</dd>
        </div>
      </dl>
      <h4 className="history-subhead">{t('budget.statement')}</h4>
      <RichTextView doc={content.statement} />
    </>
  );
}

function ChoiceView({ section, content }: { section: KindSection<'choice'>; content: SectionContentByKind['choice'] }) {
  const chosen = section.options.find((o) => o.value === content.value);
  const texts = section.texts.filter((text) => !text.when || (content.value !== null && text.when.includes(content.value)));
  return (
    <>
      <p className="history-choice">{chosen ? chosen.label : <span className="muted">–</span>}</p>
      {texts.map((text) => (
        <div key={text.id}>
          <h4 className="history-subhead">{text.label}</h4>
          <RichTextView doc={content.texts[text.id]} />
        </div>
      ))}
    </>
  );
}

function AttachmentsView({ content }: { content: SectionContentByKind['attachments'] }) {
  const { t } = useI18n();
  if (content.items.length === 0) return <p className="muted">{t('attachments.empty')}</p>;
  return (
    <ol className="history-list">
      {content.items.map((item) => (
        <li key={item.id}>
          {item.title || '–'} <span className="muted">({item.public ? t('attachments.public') : t('history.notPublic')})</span>
        </li>
      ))}
    </ol>
  );
}

function SignaturesView({ content }: { content: SectionContentByKind['signatures'] }) {
  const { t, formatDate } = useI18n();
  if (content.items.length === 0) return <p className="muted">{t('signatures.pending')}</p>;
  return (
    <ul className="history-list">
      {content.items.map((item) => (
        <li key={`${item.department} ${item.signedAt}`}>
          {item.department}: {item.name}, {formatDate(item.signedAt)}
        </li>
      ))}
    </ul>
  );
}

// ---- rich text ------------------------------------------------------------------

interface PmNode {
  type?: unknown;
  text?: unknown;
  attrs?: Record<string, unknown>;
  marks?: { type?: unknown; attrs?: Record<string, unknown> }[];
  content?: unknown;
}

const children = (node: PmNode): PmNode[] => (Array.isArray(node.content) ? (node.content as PmNode[]) : []);

/** ProseMirror JSON in the editor schema as plain elements. */
export function RichTextView({ doc }: { doc: unknown }) {
  const { t } = useI18n();
  const blocks = doc && typeof doc === 'object' ? children(doc as PmNode) : [];
  const empty = blocks.every((block) => children(block).length === 0);
  if (empty) return <p className="muted">{t('history.emptyText')}</p>;
  return <div className="history-text">{blocks.map(renderNode)}</div>;
}

function renderNode(node: PmNode, key: number): ReactNode {
  const inner = () => children(node).map(renderNode);
  switch (node.type) {
    case 'text':
      return renderText(node, key);
    case 'hardBreak':
      return <br key={key} />;
    case 'paragraph':
      return <p key={key}>{inner()}</p>;
    case 'heading': {
      // the section title is the heading above; headings inside a section come below it
      const level = node.attrs?.level === 3 ? 5 : node.attrs?.level === 4 ? 6 : 4;
      const Heading = `h${level}` as 'h4' | 'h5' | 'h6';
      return <Heading key={key}>{inner()}</Heading>;
    }
    case 'bulletList':
      return <ul key={key}>{inner()}</ul>;
    case 'orderedList':
      return (
        <ol key={key} start={typeof node.attrs?.start === 'number' ? node.attrs.start : undefined}>
          {inner()}
        </ol>
      );
    case 'listItem':
      return <li key={key}>{inner()}</li>;
    case 'blockquote':
      return <blockquote key={key}>{inner()}</blockquote>;
    case 'table':
      return (
        <table key={key} className="data-table">
          <tbody>{inner()}</tbody>
        </table>
      );
    case 'tableRow':
      return <tr key={key}>{inner()}</tr>;
    case 'tableHeader':
      return <th key={key}>{inner()}</th>;
    case 'tableCell':
      return <td key={key}>{inner()}</td>;
    default:
      return <span key={key}>{inner()}</span>;
  }
}

function renderText(node: PmNode, key: number): ReactNode {
  let element: ReactNode = typeof node.text === 'string' ? node.text : '';
  for (const mark of node.marks ?? []) {
    if (mark.type === 'bold') element = <strong>{element}</strong>;
    else if (mark.type === 'italic') element = <em>{element}</em>;
    else if (mark.type === 'underline') element = <u>{element}</u>;
    else if (mark.type === 'strike') element = <s>{element}</s>;
    else if (mark.type === 'link') {
      const href = isSafeLink(mark.attrs?.href) ? mark.attrs.href : undefined;
      element = href ? (
        <a href={href} rel="noopener noreferrer" target="_blank">
          {element}
        </a>
      ) : (
        element
      );
    }
  }
  return <span key={key}>{element}</span>;
}
