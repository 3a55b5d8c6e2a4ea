/**
 * Browser security headers and the session cookie behind TLS; the built client works under the
 * Content-Security-Policy in Chromium (collaboration over the same-origin WebSocket, carets of others).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo/people';
import { api, createTestDossier, login, startTestServer, users, type TestServer } from '../support/server';
import { axeViolations, browserSuite, openAs, openDossier, typeAtEnd, waitForText, type User } from '../browser/support';

function expectSecurityHeaders(headers: Headers) {
  const csp = headers.get('content-security-policy') ?? '';
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values.join(' ')]),
  );
  expect(directives.get('default-src')).toBe("'self'");
  expect(directives.get('script-src')).toBe("'self'");
  expect(directives.get('style-src')).toBe("'self'");
  expect(directives.get('connect-src')).toBe("'self'");
  expect(directives.get('object-src')).toBe("'none'");
  expect(directives.get('frame-ancestors')).toBe("'none'");
  expect(directives.get('base-uri')).toBe("'self'");
  expect(directives.get('form-action')).toBe("'self'");
  expect(csp).not.toMatch(/unsafe|data:|blob:|\*/);
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('same-origin');
  expect(headers.get('x-frame-options')).toBe('DENY');
}

describe('security headers', () => {
  let plain: TestServer;
  let tls: TestServer;

  beforeAll(async () => {
    [plain, tls] = await Promise.all([startTestServer(), startTestServer({ trustProxy: 'loopback' })]);
  });
  afterAll(async () => {
    await Promise.all([plain?.close(), tls?.close()]);
  });

  it('are sent on pages and API answers; HSTS only behind a TLS proxy', async () => {
    for (const path of ['/', '/api/health', '/api/dossiers']) {
      const response = await fetch(`${plain.url}${path}`);
      expectSecurityHeaders(response.headers);
      expect(response.headers.get('strict-transport-security')).toBeNull();
      expect(response.headers.get('content-security-policy')).not.toMatch(/upgrade-insecure-requests/);
    }
    const behindProxy = await fetch(`${tls.url}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expectSecurityHeaders(behindProxy.headers);
    expect(behindProxy.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8}/);
  });

  it('name the session cookie __Host- and mark it Secure behind a TLS proxy, and plain otherwise', async () => {
    const login = (url: string) =>
      fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ username: users.lead, password: DEMO_PASSWORD }),
      });
    const [plainCookie] = (await login(plain.url)).headers.getSetCookie();
    expect(plainCookie).toMatch(/^rd_session=[\w-]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);

    const response = await login(tls.url);
    const [tlsCookie] = response.headers.getSetCookie();
    expect(tlsCookie).toMatch(/^__Host-rd_session=[\w-]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    expect(tlsCookie).not.toMatch(/Domain=/i);
    const cookie = tlsCookie!.split(';')[0]!;
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    expect((await api(tls.url, '/api/auth/me', { headers: { cookie } })).status).toBe(200);
    // the plain name means nothing behind TLS
    expect((await api(tls.url, '/api/auth/me', { headers: { cookie: cookie.replace('__Host-', '') } })).status).toBe(401);
    const out = await api(tls.url, '/api/auth/logout', { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(/^__Host-rd_session=; Path=\/; Expires=[^;]+; Secure$/);
  });
});

describe('the built client under the Content-Security-Policy', () => {
  const suite = browserSuite();

  /** CSP violations reported in the context's pages and their "Refused to …" console messages. */
  async function violationsIn(context: BrowserContext, page: Page): Promise<string[]> {
    const violations: string[] = [];
    await context.exposeBinding('reportViolation', (_source, text: string) => violations.push(text));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportViolation(text: string): void }).reportViolation(
          `${event.violatedDirective} ${event.blockedURI} ${event.sample} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
        );
      });
    });
    page.on('console', (message) => {
      if (/Refused to|Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    return violations;
  }

  async function watched(username: string): Promise<User & { violations: string[] }> {
    const user = await openAs(suite.browser, suite.server.url, username);
    return { ...user, violations: await violationsIn(user.context, user.page) };
  }

  it('shows the login page and signs in without any violation', async () => {
    const context = await suite.browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const violations = await violationsIn(context, page);
    await page.goto(suite.server.url);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await page.getByLabel('Benutzername').fill(users.clerk);
    await page.getByLabel('Passwort').fill(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText('Petra Schmid').waitFor();
    expect(violations).toEqual([]);
    await context.close();
  });

  it('loads, connects and edits with another author present, without any violation', async () => {
    const id = await createTestDossier(suite.server.url, { session: await login(suite.server.url, users.lead) });
    const [jana, tobias] = await Promise.all([watched(users.lead), watched(users.leadColleague)]);
    const response = await jana.page.goto(`${suite.server.url}/dossiers/${id}`);
    expectSecurityHeaders(await response!.allHeaders().then((h) => new Headers(h)));
    await openDossier(jana.page, suite.server.url, id);
    await openDossier(tobias.page, suite.server.url, id);
    // plural messages are formatted by IntlMessageFormat, which must work without eval
    await jana.page.locator('.toc__summary', { hasText: /^\d+ Pflichtabschnitte? noch leer$/ }).waitFor();
    await typeAtEnd(jana.page, 'ausgangslage', ' Erster Satz von Jana.');
    await waitForText(tobias, 'ausgangslage', 'Erster Satz von Jana.');
    await typeAtEnd(tobias.page, 'ausgangslage', ' Tobias ergänzt.');
    await waitForText(jana, 'ausgangslage', 'Tobias ergänzt.');
    // the other author's caret and selection are drawn in Jana's editor (coloured by style properties)
    await tobias.page.keyboard.press('Shift+Home');
    await jana.page.locator('#abschnitt-ausgangslage .collaboration-carets__caret').first().waitFor();
    await jana.page.locator('#abschnitt-ausgangslage .ProseMirror-yjs-selection').first().waitFor();
    // the accessibility check of the other browser tests runs under the CSP too
    expect(await axeViolations(jana.page)).toEqual([]);
    await jana.page.goto(`${suite.server.url}/`);
    await jana.page.locator('main').first().waitFor();
    await jana.page.getByText(/^\d+ von \d+ Vorlagen?$/).waitFor();
    for (const user of [jana, tobias]) {
      expect(user.violations).toEqual([]);
      expect(user.errors).toEqual([]);
    }
    await Promise.all([jana.context.close(), tobias.context.close()]);
  }, 90_000);
});
