/**
 * What a user sees when the server takes access away on an open page: a
 * department whose dossier turned nichtöffentlich sees its sections refused,
 * and a session ended elsewhere (logout on another tab) leads to the login page.
 */
import { describe, expect, it } from 'vitest';
import { documentName, headerRoots } from '../../dossier/layout';
import { createTestDossier, login, TestClient, users } from '../support/server';
import { browserSuite, openAs, openDossier } from './support';

const suite = browserSuite();

describe('access lost while the page is open', () => {
  it('shows the sections refused when the dossier turns nichtöffentlich', async () => {
    const clara = await login(suite.server.url, users.legal);
    const dossierId = await createTestDossier(suite.server.url, { session: clara });
    const felix = await openAs(suite.browser, suite.server.url, users.climate);
    await openDossier(felix.page, suite.server.url, dossierId);

    const author = new TestClient(suite.server.wsUrl, clara);
    const kopf = documentName(dossierId, 'kopf');
    author.open(kopf);
    await author.synced(kopf);
    headerRoots(author.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
    await felix.page.locator('#abschnitt-ausgangslage .notice--error', { hasText: 'verweigert' }).waitFor();
    await felix.page.locator('.status[data-connection="disconnected"]').waitFor();
    await felix.page.screenshot({ path: 'tests/.artifacts/access-lost.png' });
    author.destroy();
    expect(felix.errors).toEqual([]);
    await felix.context.close();
  });

  it('goes to the login page when the session was ended in another tab', async () => {
    const dossierId = await createTestDossier(suite.server.url);
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    await openDossier(jana.page, suite.server.url, dossierId);
    const other = await jana.context.newPage();
    await other.goto(`${suite.server.url}/`);
    const csrf = await other.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { csrfToken: string }).csrfToken);
    expect(await other.evaluate(async (token) => (await fetch('/api/auth/logout', { method: 'POST', headers: { 'x-csrf-token': token } })).status, csrf)).toBe(
      204,
    );
    await jana.page.waitForURL(/\/login\?next=/);
    await jana.page.locator('input[autocomplete="username"], input[name="username"], #username').first().waitFor();
    await jana.context.close();
  });
});
