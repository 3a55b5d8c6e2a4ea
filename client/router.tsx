/** Two pages and the History API: small enough not to need a router library. */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export type Route = { page: 'list' } | { page: 'login' } | { page: 'audit' } | { page: 'dossier'; id: string } | { page: 'notFound' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'list' };
  if (pathname === '/login') return { page: 'login' };
  if (pathname === '/protokoll') return { page: 'audit' };
  const dossier = /^\/dossiers\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname);
  if (dossier) return { page: 'dossier', id: dossier[1]! };
  return { page: 'notFound' };
}

export const dossierPath = (id: string) => `/dossiers/${id}`;

/** What a page asks before the app navigates away from it: a warning to confirm, or null to let it go. */
type LeaveGuard = () => string | null;
const leaveGuards = new Set<LeaveGuard>();

/** Registers a guard for in-app navigation (the browser's own leaving is `beforeunload`); returns its removal. */
export function guardLeaving(guard: LeaveGuard): () => void {
  leaveGuards.add(guard);
  return () => leaveGuards.delete(guard);
}

export function navigate(path: string): void {
  for (const guard of leaveGuards) {
    const warning = guard();
    if (warning !== null && !confirm(warning)) return;
  }
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

/** An ordinary link that navigates without a page load (modifier clicks still open new tabs). */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
