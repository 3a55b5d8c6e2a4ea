/** Avatars of everyone in the dossier, with the section each is working in. */
import type { Template } from '../../dossier/template';
import { Avatar } from '../components/Avatar';
import type { PresentUser } from '../collab/session';
import { useI18n } from '../i18n/i18n';

export function PresenceBar({ present, template }: { present: PresentUser[]; template: Template }) {
  const { t } = useI18n();
  const where = (user: PresentUser) => {
    const name = user.self ? t('presence.you', { name: user.name }) : user.name;
    const section = template.sections.find((s) => s.id === user.sections[0]);
    return section ? t('presence.inSection', { name, section: section.title }) : t('presence.idle', { name });
  };
  return (
    <ul className="presence" aria-label={t('presence.label')}>
      {present.map((user) => (
        <li key={user.id} className="presence__user" data-user={user.name}>
          <Avatar name={user.name} color={user.color} ring={user.sections.length > 0} label={where(user)} />
        </li>
      ))}
    </ul>
  );
}
