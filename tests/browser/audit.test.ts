/** The audit log page: clerks and admins reach it from the header, authors do not see it; it says in words who did what. */
import { describe, expect, it } from 'vitest';
import { createTestDossier, login, TestClient, typeInto, users } from '../support/server';
import { axeViolations, browserSuite, openAs } from './support';

const suite = browserSuite();

describe('audit log page', () => {
  it('tells clerks in words who signed in, created a dossier and changed which section, and is not offered to authors', async () => {
    const lead = await login(suite.server.url, users.lead);
    const dossierId = await createTestDossier(suite.server.url, { session: lead, title: 'Verstetigung der Bürger-App' });
    const writer = new TestClient(suite.server.wsUrl, lead);
    const documentName = `${dossierId}/ausgangslage`;
    writer.open(documentName);
    await writer.synced(documentName);
    typeInto(writer.doc(documentName), 'Die App wird täglich genutzt.');
    await writer.storedAll(documentName);
    writer.destroy();

    const author = await openAs(suite.browser, suite.server.url, users.lead);
    await author.page.goto(suite.server.url);
    await author.page.getByRole('heading', { name: 'Beschlussvorlagen' }).waitFor();
    await expect(author.page.getByRole('link', { name: 'Protokoll' }).count()).resolves.toBe(0);

    const clerk = await openAs(suite.browser, suite.server.url, users.clerk);
    await clerk.page.goto(suite.server.url);
    await clerk.page.getByRole('link', { name: 'Protokoll' }).click();
    await clerk.page.getByRole('heading', { name: 'Protokoll' }).waitFor();
    const rows = clerk.page.locator('.audit-table tbody tr');
    await rows.filter({ hasText: 'Jana Becker hat die Vorlage angelegt' }).filter({ hasText: 'Verstetigung der Bürger-App' }).waitFor();
    await rows.filter({ hasText: 'Jana Becker hat Ausgangslage und Problem geändert' }).filter({ hasText: 'Verstetigung der Bürger-App' }).first().waitFor();
    await rows.filter({ hasText: 'Petra Schmid hat sich angemeldet' }).first().waitFor();
    // neither user names nor section ids in the log's words
    await expect(rows.filter({ hasText: new RegExp(users.lead) }).count()).resolves.toBe(0);
    await expect(rows.filter({ hasText: /ausgangslage/ }).count()).resolves.toBe(0);
    expect(await axeViolations(clerk.page)).toEqual([]);
    expect([...author.errors, ...clerk.errors]).toEqual([]);
    await author.context.close();
    await clerk.context.close();
  }, 60_000);
});
