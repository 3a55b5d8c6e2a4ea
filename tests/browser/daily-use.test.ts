/**
 * Rough edges of daily use, in a real browser: the browser's Back asks before
 * it leaves inputs that are not saved; a form field someone stopped typing in
 * is released for the others and taken back by typing when still free.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTestDossier, users, waitFor } from '../support/server';
import { browserSuite, openAs, openDossier, type User } from './support';

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

  it('releases a Kopf field for the others after the idle time, says so to its holder, and gives it back when they type while it is free', async () => {
    const dossierId = await createTestDossier(suite.server.url, { title: 'Feld verlassen, Fokus geblieben' });
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    const tobias = await openAs(suite.browser, suite.server.url, users.leadColleague);
    // two minutes are too long for a test: Jana's page gets a shorter idle time
    await jana.context.addInitScript(() => {
      (window as unknown as { ratsdossierFieldIdleMs: number }).ratsdossierFieldIdleMs = 2000;
    });
    await Promise.all([openDossier(jana.page, suite.server.url, dossierId), openDossier(tobias.page, suite.server.url, dossierId)]);
    const field = (user: User) => user.page.locator('#header-berichterstattung');
    const badge = (user: User) => user.page.locator('.shared-field[data-field-key="berichterstattung"] .shared-field__editors');

    await field(jana).focus();
    await jana.page.keyboard.type('Bürgermeisterin Kraus');
    await waitFor(async () => (await field(tobias).inputValue()) === 'Bürgermeisterin Kraus' && (await field(tobias).getAttribute('readonly')) !== null, {
      message: 'Tobias never saw the field taken by Jana',
    });
    await expect(badge(tobias).textContent()).resolves.toBe('Jana Becker');

    // Jana stops typing, her focus stays: the field is free for Tobias, and her page says that it let go
    await waitFor(async () => (await field(tobias).getAttribute('readonly')) === null, { timeout: 15_000, message: 'the idle claim never lapsed' });
    await expect(badge(jana).textContent()).resolves.toBe('für andere freigegeben');
    await expect(jana.page.evaluate(() => document.activeElement?.id)).resolves.toBe('header-berichterstattung');
    await expect(
      field(jana)
        .getAttribute('aria-describedby')
        .then((id) => jana.page.locator(`[id="${id}"]`).textContent()),
    ).resolves.toContain('Nach zwei Minuten ohne Eingabe ist dieses Feld für andere freigegeben.');
    await jana.page.locator('#abschnitt-kopf').screenshot({ path: '/tmp/daily-field-released-1400.png' });

    // Tobias takes it; Jana, typing again, finds it taken and writes nothing
    await field(tobias).focus();
    await tobias.page.keyboard.press('End');
    await tobias.page.keyboard.type(', Dezernat I');
    await waitFor(async () => (await field(jana).getAttribute('readonly')) !== null, { message: 'Jana never saw the field taken by Tobias' });
    await expect(badge(jana).textContent()).resolves.toBe('Tobias Wagner');
    await jana.page.keyboard.type('X');
    await waitFor(async () => (await field(jana).inputValue()) === 'Bürgermeisterin Kraus, Dezernat I', { message: 'Jana does not see Tobias’ text' });

    // Tobias leaves it: Jana's next keystroke takes it back and is written
    await tobias.page.keyboard.press('Tab');
    await waitFor(async () => (await field(jana).getAttribute('readonly')) === null, { message: 'the field never became free for Jana' });
    await jana.page.keyboard.press('End');
    await jana.page.keyboard.type(' (Vertretung)');
    let seen = '';
    await waitFor(
      async () => {
        seen = await field(tobias).inputValue();
        return seen === 'Bürgermeisterin Kraus, Dezernat I (Vertretung)';
      },
      { message: () => `Tobias sees "${seen}"` },
    );
    await expect(badge(tobias).textContent()).resolves.toBe('Jana Becker');
    await jana.page.setViewportSize({ width: 390, height: 900 });
    await waitFor(async () => (await badge(jana).textContent()) === 'für andere freigegeben', {
      timeout: 15_000,
      message: 'the second idle time did not release it',
    });
    await jana.page.locator('#abschnitt-kopf').screenshot({ path: '/tmp/daily-field-released-390.png' });
    expect([...jana.errors, ...tobias.errors]).toEqual([]);
    await jana.context.close();
    await tobias.context.close();
  }, 120_000);

  it('wraps a long Kopf value at 390 px instead of scrolling it inside its field, and keeps it one line', async () => {
    const dossierId = await createTestDossier(suite.server.url, { title: 'Langer Kopf am Telefon' });
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    const { page } = jana;
    await page.setViewportSize({ width: 390, height: 900 });
    await openDossier(page, suite.server.url, dossierId);
    const long = 'Bürgermeisterin Dr. Kraus in Vertretung des Ersten Beigeordneten für Digitalisierung, Wirtschaft und Ordnung';
    const field = page.locator('#header-berichterstattung');
    await field.focus();
    await page.keyboard.type('Bürgermeisterin Dr. Kraus');
    // Enter adds no line break: the value stays one line
    await page.keyboard.press('Enter');
    await page.keyboard.type(long.slice('Bürgermeisterin Dr. Kraus'.length));
    await expect(field.inputValue()).resolves.toBe(long);
    await page.keyboard.press('Tab');
    const box = await field.evaluate((element) => ({
      scrollWidth: element.scrollWidth,
      clientWidth: element.clientWidth,
      scrollHeight: element.scrollHeight,
      clientHeight: element.clientHeight,
      lineHeight: Number.parseFloat(getComputedStyle(element).lineHeight),
      right: element.getBoundingClientRect().right,
    }));
    // all of it shows: nothing scrolls inside the field, it is as tall as its lines and within the page
    expect(box.scrollWidth).toBeLessThanOrEqual(box.clientWidth);
    expect(box.scrollHeight).toBeLessThanOrEqual(box.clientHeight + 1);
    expect(box.clientHeight).toBeGreaterThan(2.5 * box.lineHeight);
    expect(box.right).toBeLessThanOrEqual(390);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await page.locator('#abschnitt-kopf').screenshot({ path: '/tmp/daily-kopf-long-390.png' });
    // a short value is one line high, like the other fields
    const aktenzeichen = page.locator('#header-aktenzeichen');
    await aktenzeichen.fill('SC-0231/2026');
    const heights = await page.evaluate(() =>
      ['header-aktenzeichen', 'header-vorlage-art'].map((id) => document.getElementById(id)!.getBoundingClientRect().height),
    );
    expect(Math.abs(heights[0]! - heights[1]!)).toBeLessThanOrEqual(4);
    await page.setViewportSize({ width: 1400, height: 1000 });
    // in the wide layout's half-width column it still shows all of it
    let wide: number[] = [];
    await waitFor(
      async () => {
        wide = await field.evaluate((element) => [element.scrollHeight, element.clientHeight, element.clientWidth]);
        return wide[0]! <= wide[1]! + 1 && wide[1]! > 2 * box.lineHeight;
      },
      { message: () => `at 1400 px (scroll height, height, width) ${wide.join(', ')}` },
    );
    await page.locator('#abschnitt-kopf').screenshot({ path: '/tmp/daily-kopf-long-1400.png' });
    expect(jana.errors).toEqual([]);
    await jana.context.close();
  }, 120_000);

  it('shows a long committee name whole at 390 px and offers the bodies to pick with the keyboard or a tap', async () => {
    const dossierId = await createTestDossier(suite.server.url, { title: 'Beratungsfolge am Telefon' });
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    const { page } = jana;
    await page.setViewportSize({ width: 390, height: 900 });
    await openDossier(page, suite.server.url, dossierId);
    const body = (row: number) => page.getByRole('combobox', { name: `Gremium, Zeile ${row}` });
    await expect(body(1).inputValue()).resolves.toBe('Ausschuss für Digitalisierung und Smart City');
    // the whole name shows (it wrapped to a second line before it would be cut), and the public box keeps its word
    const sizes = await body(1).evaluate((element) => {
      const label = element.closest('li')!.querySelector('.consultation__public')!;
      return {
        scroll: element.scrollWidth - element.clientWidth,
        height: element.scrollHeight - element.clientHeight,
        label: label.scrollWidth - label.clientWidth,
      };
    });
    expect(sizes.scroll).toBe(0);
    expect(sizes.height).toBeLessThanOrEqual(1);
    expect(sizes.label).toBe(0);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);

    // keyboard: type part of a name, arrow down to it, Enter takes it
    await body(2).focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('verkehr');
    const list = page.getByRole('listbox', { name: 'Vorschläge' });
    await list.getByRole('option', { name: 'Ausschuss für Stadtplanung, Verkehr und Umwelt' }).waitFor();
    await expect(list.getByRole('option').count()).resolves.toBe(1);
    await expect(body(2).getAttribute('aria-expanded')).resolves.toBe('true');
    await page.keyboard.press('ArrowDown');
    await expect(body(2).getAttribute('aria-activedescendant')).resolves.toBe(await list.getByRole('option').first().getAttribute('id'));
    await page.screenshot({ path: '/tmp/daily-bodies-390.png' });
    await page.keyboard.press('Enter');
    await expect(body(2).inputValue()).resolves.toBe('Ausschuss für Stadtplanung, Verkehr und Umwelt');
    await expect(body(2).getAttribute('aria-expanded')).resolves.toBe('false');
    // Escape closes the list and leaves the value
    await page.keyboard.press('ArrowDown');
    await list.getByRole('option').first().waitFor();
    await page.keyboard.press('Escape');
    await expect(list.isHidden()).resolves.toBe(true);

    // a tap on an option
    await body(1).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await list.getByRole('option', { name: 'Stadtrat' }).click();
    await expect(body(1).inputValue()).resolves.toBe('Stadtrat');
    await page.keyboard.press('Tab');

    // stored: a fresh page shows both
    await openDossier(page, suite.server.url, dossierId);
    await expect(body(1).inputValue()).resolves.toBe('Stadtrat');
    await expect(body(2).inputValue()).resolves.toBe('Ausschuss für Stadtplanung, Verkehr und Umwelt');
    expect(jana.errors).toEqual([]);
    await jana.context.close();
  }, 120_000);

  it('keeps an empty Vorlage under 4,600 px at 1400 px, its guidance open where the author writes and folded where they only read', async () => {
    const dossierId = await createTestDossier(suite.server.url, { title: 'Leere Vorlage zum Messen' });
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    const { page } = jana;
    await openDossier(page, suite.server.url, dossierId);
    // about 5,200 px before: open guidance of the Kämmerei's section, nine rows of dashes for an empty budget, taller empty fields
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThan(4600);
    const guidance = (id: string) => page.locator(`#abschnitt-${id} details.guidance`);
    await expect(guidance('ausgangslage').getAttribute('open')).resolves.toBe('');
    await expect(guidance('finanzen').getAttribute('open')).resolves.toBeNull();
    await expect(guidance('finanzen').locator('li').count()).resolves.toBe(4);
    await expect(page.locator('#abschnitt-finanzen').getByText('Noch keine Haushaltspositionen.').count()).resolves.toBe(1);
    await expect(page.locator('#abschnitt-finanzen table').count()).resolves.toBe(0);
    await page.screenshot({ path: '/tmp/daily-empty-1400.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({ path: '/tmp/daily-empty-390.png', clip: { x: 0, y: 0, width: 390, height: 2400 }, fullPage: true });
    expect(jana.errors).toEqual([]);
    await jana.context.close();
  }, 120_000);
});
