import { describe, expect, it } from 'vitest';
import { isSafeLink, linkTarget } from '../../dossier/links';

describe('link targets', () => {
  it.each([
    ['www.musterstadt.de', 'https://www.musterstadt.de'],
    ['  www.musterstadt.de/rathaus?x=1#a ', 'https://www.musterstadt.de/rathaus?x=1#a'],
    ['musterstadt.de', 'https://musterstadt.de'],
    ['www.musterstadt.de:8080/karte', 'https://www.musterstadt.de:8080/karte'],
    ['münchen.de', 'https://münchen.de'],
    ['info@musterstadt.de', 'mailto:info@musterstadt.de'],
    ['https://www.musterstadt.de', 'https://www.musterstadt.de'],
    ['http://intranet/wiki', 'http://intranet/wiki'],
    ['HTTPS://WWW.MUSTERSTADT.DE', 'HTTPS://WWW.MUSTERSTADT.DE'],
    ['mailto:info@musterstadt.de', 'mailto:info@musterstadt.de'],
  ])('completes %j to %j', (input, expected) => {
    expect(linkTarget(input)).toBe(expected);
    expect(isSafeLink(expected)).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(document.cookie)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'file:///etc/passwd',
    'ftp://musterstadt.de',
    '/dossiers/abc',
    'rathaus',
    'https://',
    'http:///x',
    'mailto:',
    'mailto:keine-adresse',
    'www.muster stadt.de',
    '',
  ])('refuses %j', (input) => {
    expect(linkTarget(input)).toBeNull();
    expect(isSafeLink(input)).toBe(false);
  });

  it('renders only complete stored targets as links', () => {
    expect(isSafeLink('www.musterstadt.de')).toBe(false);
    expect(isSafeLink(undefined)).toBe(false);
  });
});
