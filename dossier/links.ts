/**
 * Link targets a Vorlage may carry: web and e-mail addresses, nothing else.
 * What people type as they would in Word — "www.musterstadt.de",
 * "info@musterstadt.de" — is completed to a full address; anything that is
 * not a web or e-mail address (javascript:, data:, file:, a path inside the
 * app) is refused, so a link in the editor, the history and the PDF never
 * runs code. The editor's link input and every place that renders a stored
 * link use these two functions.
 */

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const EMAIL = /^[^\s@/:?#]+@[^\s@/:?#]+\.[^\s@/:?#]+$/u;
/** A host name with at least one dot, optionally followed by a port, a path, a query or a fragment. */
const BARE_HOST = /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+(:\d+)?([/?#]\S*)?$/u;

/** The full address for what someone typed as a link target, or null when it is no web or e-mail address. */
export function linkTarget(input: string): string | null {
  const value = input.trim();
  if (!value || /\s/.test(value)) return null;
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  // "www.musterstadt.de:8080" looks like a scheme followed by a colon; a scheme has no dot
  if (scheme && !scheme.includes('.')) {
    if (scheme === 'mailto') return EMAIL.test(value.slice('mailto:'.length)) ? value : null;
    if (scheme !== 'http' && scheme !== 'https') return null;
    return webAddress(value);
  }
  if (EMAIL.test(value)) return `mailto:${value}`;
  if (BARE_HOST.test(value)) return webAddress(`https://${value}`);
  return null;
}

function webAddress(value: string): string | null {
  // the URL parser would read "http:///x" as http://x/
  if (!/^https?:\/\/[^/?#]/i.test(value)) return null;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? value : null;
  } catch {
    return null;
  }
}

/** Whether a stored link target may be rendered as a link (it is a full web or e-mail address). */
export function isSafeLink(href: unknown): href is string {
  return typeof href === 'string' && linkTarget(href) === href;
}
