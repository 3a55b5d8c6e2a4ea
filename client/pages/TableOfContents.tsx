/**
 * The side table of contents: jumps to sections, marks required sections
 * still empty (the word "fehlt") and shows who is where (their initials, so
 * presence never reads as a warning). On narrow screens it stands above the
 * text, folded behind an "Inhalt" button so the text comes first.
 */
import { useId, useState, type MouseEvent } from 'react';
import type { Template, TemplateSection } from '../../dossier/template';
import type { SessionSnapshot } from '../collab/session';
import { Avatar } from '../components/Avatar';
import { useI18n } from '../i18n/i18n';
import { ONE_COLUMN, useMediaQuery } from '../reading-layout';
import { sectionAnchor } from './DossierPage';

export function TableOfContents({ template, missing, snapshot }: { template: Template; missing: TemplateSection[]; snapshot: SessionSnapshot }) {
  const { t } = useI18n();
  const narrow = useMediaQuery(ONE_COLUMN);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const folded = narrow && !open;
  const jump = (event: MouseEvent<HTMLAnchorElement>, sectionId: string) => {
    const target = document.getElementById(sectionAnchor(sectionId));
    if (!target) return;
    event.preventDefault();
    history.replaceState(history.state, '', `#${sectionAnchor(sectionId)}`);
    // on a narrow screen the list folds away again, so the section is what is seen
    setOpen(false);
    target.scrollIntoView({ block: 'start' });
    // Move keyboard focus along, so Tab continues inside the section.
    target.querySelector<HTMLElement>('.section__title')?.focus({ preventScroll: true });
  };
  return (
    <nav className={`toc${folded ? ' toc--folded' : ''}`} aria-labelledby="toc-title">
      <h2 id="toc-title" className="toc__title">
        {narrow ? (
          <button type="button" className="toc__toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
            {t('dossier.contents')}
          </button>
        ) : (
          t('dossier.contents')
        )}
      </h2>
      <p className={`toc__summary${missing.length ? ' toc__summary--missing' : ''}`}>
        {missing.length ? t('dossier.missingCount', { count: missing.length }) : t('dossier.complete')}
      </p>
      <ol className="toc__list" id={listId} hidden={folded}>
        {template.sections.map((section, index) => {
          const previousGroup = index > 0 ? template.sections[index - 1]!.group : undefined;
          const here = snapshot.present.filter((user) => !user.self && user.sections.includes(section.id));
          const isMissing = missing.includes(section);
          const names = here.map((user) => user.name).join(', ');
          return (
            <li key={section.id} className={section.group ? 'toc__item toc__item--grouped' : 'toc__item'}>
              {section.group && section.group !== previousGroup && <span className="toc__group">{section.group}</span>}
              <a href={`#${sectionAnchor(section.id)}`} onClick={(event) => jump(event, section.id)} className="toc__link">
                <span className="toc__text">{section.title}</span>
                {isMissing && (
                  <span className="toc__missing" title={t('dossier.missingLong')}>
                    <span aria-hidden="true">{t('dossier.missing')}</span>
                    <span className="visually-hidden">– {t('dossier.missingLong')}</span>
                  </span>
                )}
                {here.length > 0 && (
                  <span className="toc__here" title={t('presence.editingHere', { names })}>
                    {here.map((user) => (
                      <Avatar key={user.id} name={user.name} color={user.color} />
                    ))}
                    <span className="visually-hidden">– {t('dossier.contentsHere', { names })}</span>
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
