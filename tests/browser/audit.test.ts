/** The audit log page: clerks and admins reach it from the header, authors do not see it. */
import { describe, expect, it } from 'vitest';
import { createTestDossier, users } from '../support/server';
import { axeViolations, browserSuite, openAs } from './support';

const suite = browserSuite();

describe('audit log page', () => {
  it('shows clerks who signed in and which dossier was created, and is not offered to authors', async () => {
    await createTestDossier(suite.server.url, { title: 'Verstetigung der Bürger-App' });
    const author = await openAs(suite.browser, suite.server.url, users.lead);
    await author.page.goto(suite.server.url);
    await author.page.getByRole('heading', { name: 'Beschlussvorlagen' }).waitFor();
    await expect(author.page.getByRole('link', { name: 'Protokoll' }).count()).resolves.toBe(0);

    const clerk = await openAs(suite.browser, suite.server.url, users.clerk);
    await clerk.page.goto(suite.server.url);
    await clerk.page.getByRole('link', { name: 'Protokoll' }).click();
    await clerk.page.getByRole('heading', { name: 'Protokoll' }).waitFor();
    const rows = clerk.page.locator('.audit-table tbody tr');
    await rows.filter({ hasText: 'Vorlage angelegt' }).filter({ hasText: 'Verstetigung der Bürger-App' }).filter({ hasText: users.lead }).waitFor();
    await rows.filter({ hasText: 'Anmeldung' }).filter({ hasText: users.clerk }).first().waitFor();
    expect(await axeViolations(clerk.page)).toEqual([]);
    expect([...author.errors, ...clerk.errors]).toEqual([]);
    await author.context.close();
    await clerk.context.close();
  }, 60_000);
});
