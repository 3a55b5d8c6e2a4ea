/**
 * The list page's full-text search in a real browser: a word that stands only in a section's body
 * brings its Vorlage into the list with the passage and the word marked; a Vorlage without it
 * leaves the list.
 */
import { describe, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import { createTestDossier, login, TestClient, typeInto, users } from '../support/server';
import { browserSuite, openAs } from './support';

const suite = browserSuite();

describe('full-text search on the list page', () => {
  it('finds a Vorlage by a word in its text and shows where it stands', async () => {
    const lead = await login(suite.server.url, users.lead);
    const found = await createTestDossier(suite.server.url, { session: lead, title: 'Verstetigung der Pegelsensoren' });
    const other = await createTestDossier(suite.server.url, { session: lead, title: 'Parkraumsensorik' });
    const client = new TestClient(suite.server.wsUrl, lead);
    const name = documentName(found, 'ausgangslage');
    client.open(name);
    await client.synced(name);
    typeInto(client.doc(name), 'Die Messstellen am Mühlbach melden den Pegel alle zehn Minuten an die Leitstelle.');
    await client.storedAll(name);
    client.destroy();

    const user = await openAs(suite.browser, suite.server.url, lead);
    const { page } = user;
    await page.goto(suite.server.url);
    await page.getByRole('link', { name: 'Parkraumsensorik' }).waitFor();
    await page.getByLabel('Suche').fill('Leitstel');
    const passages = page.getByRole('list', { name: 'Fundstellen im Text' });
    await passages.waitFor();
    await expect(passages.locator('mark').allTextContents()).resolves.toEqual(['Leitstelle']);
    await expect(passages.textContent()).resolves.toMatch(/^Ausgangslage.*: .*melden den Pegel alle zehn Minuten an die Leitstelle/);
    // the row is the Vorlage with the word; the other one has left the list
    await page.getByText('1 von 2 Vorlagen').waitFor();
    await expect(page.getByRole('link', { name: 'Verstetigung der Pegelsensoren' }).getAttribute('href')).resolves.toBe(`/dossiers/${found}`);
    await expect(page.getByRole('link', { name: 'Parkraumsensorik' }).count()).resolves.toBe(0);
    expect(other).not.toBe(found);
    expect(user.errors).toEqual([]);
    await user.context.close();
  });
});
