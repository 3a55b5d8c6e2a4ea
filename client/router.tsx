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

/**
 * Registers a guard for in-app navigation and the browser's Back and Forward
 * (leaving the app or reloading is the page's `beforeunload`); returns its removal.
 */
export function guardLeaving(guard: LeaveGuard): () => void {
  leaveGuards.add(guard);
  return () => leaveGuards.delete(guard);
}

/** Whether every guard lets the page go (asking the user where one warns). */
function mayLeave(): boolean {
  for (const guard of leaveGuards) {
    const warning = guard();
    if (warning !== null && !confirm(warning)) return false;
  }
  return true;
}

/**
 * The browser's Back and Forward have already moved in the history when
 * `popstate` arrives, and that cannot be cancelled. So each entry of the app
 * carries its position (`index` in its state): while a guard warns, the route
 * is held (this listener is added when the module loads, before any
 * `useRoute`'s, and stops the event), the user is asked, and a refusal goes
 * back to where the page was (`history.go`), a confirmation lets the route
 * follow. An entry without a position (from before this module ran) is
 * treated as one step back: the page's address is pushed again. A move within
 * the page (an anchor of the table of contents) is let through: nothing is left.
 */
interface EntryState {
  index: number;
}
const indexOf = (state: unknown): number | null =>
  typeof state === 'object' && state !== null && typeof (state as EntryState).index === 'number' ? (state as EntryState).index : null;

/** The app's own position in the history, and the address it shows there. */
let shownIndex = indexOf(history.state) ?? 0;
let shownPath = location.pathname;
// the search and anchor of the address are kept when the page is returned to
let shownAddress = `${location.pathname}${location.search}${location.hash}`;
if (indexOf(history.state) === null) history.replaceState({ ...(history.state ?? {}), index: shownIndex }, '');

function arrived(): void {
  const index = indexOf(history.state);
  // a new entry the browser made (a link to an anchor): one after the page's
  if (index === null) history.replaceState({ ...(history.state ?? {}), index: shownIndex + 1 }, '');
  shownIndex = index ?? shownIndex + 1;
  shownPath = location.pathname;
  shownAddress = `${location.pathname}${location.search}${location.hash}`;
}

addEventListener('popstate', (event) => {
  // returning to the page after a refusal is a move within it, too
  const warnings = location.pathname === shownPath ? [] : [...leaveGuards].map((guard) => guard()).filter((w) => w !== null);
  if (warnings.length === 0) {
    arrived();
    return;
  }
  event.stopImmediatePropagation();
  if (warnings.every((warning) => confirm(warning))) {
    arrived();
    dispatchEvent(new PopStateEvent('popstate', { state: history.state }));
    return;
  }
  const target = indexOf(history.state);
  if (target === null || target === shownIndex) history.pushState({ index: shownIndex }, '', shownAddress);
  else history.go(shownIndex - target);
});

export function navigate(path: string): void {
  if (!mayLeave()) return;
  history.pushState({ index: shownIndex + 1 }, '', path);
  arrived();
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
