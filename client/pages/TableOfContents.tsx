/** The side table of contents: jumps to sections, marks required sections still empty, shows who is where. */
import type { MouseEvent } from 'react';
import type { Template, TemplateSection } from '../../dossier/template';
import type { SessionSnapshot } from '../collab/session';
import { useI18n } from '../i18n/i18n';
import type { Identity } from '../identity';
import { sectionAnchor } from './DossierPage';

export function TableOfContents({
  template,
  missing,
  snapshot,
}: {
  template: Template;
  missing: TemplateSection[];
  snapshot: SessionSnapshot;
  identity: Identity;
}) {
  const { t } = useI18n();
  const jump = (event: MouseEvent<HTMLAnchorElement>, sectionId: string) => {
    const target = document.getElementById(sectionAnchor(sectionId));
    if (!target) return;
    event.preventDefault();
    history.replaceState(null, '', `#${sectionAnchor(sectionId)}`);
    target.scrollIntoView({ block: 'start' });
    // Move keyboard focus along, so Tab continues inside the section.
    target.querySelector<HTMLElement>('.section__title')?.focus({ preventScroll: true });
  };
  return (
    <nav className="toc" aria-labelledby="toc-title">
      <h2 id="toc-title" className="toc__title">
        {t('dossier.contents')}
      </h2>
      <p className={`toc__summary${missing.length ? ' toc__summary--missing' : ''}`}>
        {missing.length ? t('dossier.missingCount', { count: missing.length }) : t('dossier.complete')}
      </p>
      <ol className="toc__list">
        {template.sections.map((section, index) => {
          const previousGroup = index > 0 ? template.sections[index - 1]!.group : undefined;
          const here = snapshot.present.filter((user) => !user.self && user.sections.includes(section.id));
          const isMissing = missing.includes(section);
          return (
            <li key={section.id} className={section.group ? 'toc__item toc__item--grouped' : 'toc__item'}>
              {section.group && section.group !== previousGroup && <span className="toc__group">{section.group}</span>}
              <a href={`#${sectionAnchor(section.id)}`} onClick={(event) => jump(event, section.id)} className="toc__link">
                <span className="toc__text">{section.title}</span>
                {isMissing && (
                  <span className="toc__missing" title={t('dossier.missingLong')}>
                    <span aria-hidden="true">●</span>
                    <span className="visually-hidden">– {t('dossier.missingLong')}</span>
                  </span>
                )}
              </a>
              {here.length > 0 && (
                <span className="toc__here">
                  {here.map((user) => (
                    <span key={user.id} className="toc__dot" style={{ backgroundColor: user.color }} title={user.name}>
                      <span className="visually-hidden">{user.name}</span>
                    </span>
                  ))}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
