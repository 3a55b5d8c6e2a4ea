/**
 * Rough edges of daily use, in a real browser: the browser's Back asks before
 * it leaves inputs that are not saved, …
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTestDossier, users, waitFor } from '../support/server';
import { browserSuite, openAs, type User } from './support';

const suite = browserSuite();

const budgetCell = (page: Page, row: number, column: string) => page.locator(`#abschnitt-finanzen [data-row="${row}"][data-column="${column}"]`);

/** Opens the list, then the dossier through its link: both are entries of the app's own history. */
async function openFromList(user: User, dossierId: string, title: string): Promise<void> {
  await user.page.goto(`${suite.server.url}/`);
  await user.page.getByRole('link', { name: title }).first().click();
  await user.page.waitForURL(`**/dossiers/${dossierId}`);
  await user.page.locator('.status[data-connection="connected"]').waitFor();
  await user.page.waitForFunction(
    () => document.querySelectorAll('.section__body[aria-busy="true"]').length === 0 && document.querySelectorAll('.section').length > 0,
  );
}

describe('daily use', () => {
  it('asks before the browser’s Back leaves an invalid budget cell, stays when refused and leaves when confirmed', async () => {
    const title = 'Zurück mit ungültiger Eingabe';
    const dossierId = await createTestDossier(suite.server.url, { title });
    const sabine = await openAs(suite.browser, suite.server.url, users.finance);
    const { page } = sabine;
    await openFromList(sabine, dossierId, title);
    await page.locator('#abschnitt-finanzen').getByRole('button', { name: 'Zeile hinzufügen' }).click();
    await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.column === 'description');
    await page.keyboard.type('Wartung');
    const amount = budgetCell(page, 0, `amount:${new Date().getFullYear()}`);
    await amount.fill('-300');
    await amount.press('Tab');
    await page.locator('.status__save', { hasText: '1 ungültige Eingabe, nicht gespeichert' }).waitFor();

    let answer: 'dismiss' | 'accept' = 'dismiss';
    const dialogs: { type: string; message: string }[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push({ type: dialog.type(), message: dialog.message() });
      void (answer === 'accept' ? dialog.accept() : dialog.dismiss());
    });
    await page.goBack({ waitUntil: 'commit' });
    await waitFor(() => dialogs.length === 1, { message: 'Back did not ask' });
    expect(dialogs[0]).toEqual({
      type: 'confirm',
      message: 'Eine Eingabe ist ungültig und wurde nicht gespeichert. Wenn Sie die Seite verlassen, gehen sie verloren.',
    });
    // refused: the page, its address and the input stay
    await waitFor(() => new URL(page.url()).pathname === `/dossiers/${dossierId}`, { message: () => `the address is ${page.url()}` });
    await expect(amount.inputValue()).resolves.toBe('-300');
    await expect(page.locator('#abschnitt-finanzen').count()).resolves.toBe(1);

    // asked again, and confirmed: the list
    answer = 'accept';
    await page.goBack({ waitUntil: 'commit' });
    await waitFor(() => dialogs.length === 2, { message: 'the second Back did not ask' });
    await page.getByRole('heading', { name: 'Beschlussvorlagen', level: 1 }).first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.locator('#abschnitt-finanzen').count()).resolves.toBe(0);
    expect(sabine.errors).toEqual([]);
    await sabine.context.close();
  }, 120_000);
});
