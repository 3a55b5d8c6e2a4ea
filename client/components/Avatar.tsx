import { initials } from '../identity';

export function Avatar({ name, color, label, ring }: { name: string; color: string; label?: string; ring?: boolean }) {
  return (
    <span
      className={`avatar${ring ? ' avatar--ring' : ''}`}
      style={{ backgroundColor: color }}
      {...(label ? { role: 'img', 'aria-label': label, title: label } : { 'aria-hidden': true })}
    >
      {initials(name)}
    </span>
  );
}
