/**
 * The budget table as two finance users use it at once in two browsers:
 * cells of the same line and lines of their own, typed at the same time,
 * reach both pages and the server; both see the same computed totals; an
 * invalid amount is marked and never stored; who is in which cell shows;
 * a line deleted under someone is announced to them with their input kept;
 * reordering; a lead reads the table without inputs; axe finds nothing serious.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, createTestDossier, login, users, waitFor, type Session } from '../support/server';
import { axeViolations, browserSuite, openAs, openDossier, type User } from './support';

const suite = browserSuite();

const budget = (page: Page) => page.locator('#abschnitt-finanzen');
const cell = (page: Page, row: number, column: string) => budget(page).locator(`[data-row="${row}"][data-column="${column}"]`);
const cellOf = (page: Page, line: string, column: string) => budget(page).locator(`[data-line-id="${line}"][data-column="${column}"]`);
/** The line the focused cell belongs to (row numbers shift while others add lines). */
const focusedLine = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement).dataset.lineId!);

/** In the page: every line as shown (its row and the details row under it), its controls' values by column (description, costType, amount:<year> …). */
function readLines(): Record<string, string>[] {
  return [...document.querySelectorAll('#abschnitt-finanzen tbody tr[data-line-id]')].map((row) => {
    const values: Record<string, string> = {};
    // a line's controls: its row and the details row under it
    const cells = document.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
      `#abschnitt-finanzen [data-budget-cell][data-line-id="${CSS.escape((row as HTMLElement).dataset.lineId!)}"]`,
    );
    for (const input of cells) values[input.dataset.column!] = input.value;
    return values;
  });
}
const linesOf = (page: Page) => page.evaluate(readLines);

/** The computed totals: cents per total row and column (years and "sum"). */
function totalsOf(page: Page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('#abschnitt-finanzen tfoot tr[data-total]')].map((row) => [
        row.dataset.total!,
        Object.fromEntries([...row.querySelectorAll<HTMLElement>('td[data-year]')].map((td) => [td.dataset.year!, Number(td.dataset.cents)])),
      ]),
    ),
  );
}

/** Waits until the page's lines satisfy `predicate`, an expression over `rows` (as `readLines` gives them). */
async function waitForLines(user: User, predicate: string) {
  try {
    await user.page.waitForFunction(
      ({ reader, predicate }) => {
        const rows = (new Function(`return (${reader})`)() as () => unknown)();
        return new Function('rows', `return (${predicate})`)(rows) as boolean;
      },
      { reader: readLines.toString(), predicate },
    );
  } catch (error) {
    throw new Error(`${user.name}'s lines never satisfied ${predicate}: ${JSON.stringify(await linesOf(user.page))}`, { cause: error });
  }
}

async function storedBudget(session: Session, dossierId: string) {
  const { body } = await api(suite.server.url, `/api/dossiers/${dossierId}`, { session });
  const section = (body.sections as { id: string; content: any; totals: any }[]).find((s) => s.id === 'finanzen')!;
  return { content: section.content, totals: section.totals };
}

describe('budget table in two browsers', () => {
  it('lets two finance users edit it at once and agree on lines and totals', async () => {
    const dossierId = await createTestDossier(suite.server.url);
    const year = new Date().getFullYear();
    const y0 = `amount:${year}`;
    const y1 = `amount:${year + 1}`;
    const sabine = await openAs(suite.browser, suite.server.url, users.finance);
    const murat = await openAs(suite.browser, suite.server.url, users.financeOnly);
    await Promise.all([openDossier(sabine.page, suite.server.url, dossierId), openDossier(murat.page, suite.server.url, dossierId)]);
    await budget(sabine.page).getByText('Noch keine Haushaltspositionen.').waitFor();
    await expect(budget(sabine.page).getByText('Noch keine Haushaltspositionen.').count()).resolves.toBe(1);

    // Sabine adds the first line; the description input has the focus at once.
    await budget(sabine.page).getByRole('button', { name: 'Zeile hinzufügen' }).click();
    await sabine.page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.column === 'description');
    await waitForLines(murat, 'rows.length === 1');

    // Different cells of that line at the same time: her description, his amount (German notation, committed with Enter).
    await Promise.all([
      (async () => {
        await sabine.page.keyboard.type('Laborleitung (1,0 VZÄ)');
        await sabine.page.keyboard.press('Tab');
      })(),
      (async () => {
        await cell(murat.page, 0, y0).click();
        await murat.page.keyboard.type('12.500,00');
        await murat.page.keyboard.press('Enter');
      })(),
    ]);

    // Each adds a line of their own at the same time.
    await Promise.all([
      (async () => {
        await budget(sabine.page).getByRole('button', { name: 'Zeile hinzufügen' }).click();
        await sabine.page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.column === 'description');
        await sabine.page.keyboard.type('Miete Laborräume');
        const line = await focusedLine(sabine.page);
        await cellOf(sabine.page, line, y1).fill('3000');
        await cellOf(sabine.page, line, y1).press('Tab');
      })(),
      (async () => {
        await budget(murat.page).getByRole('button', { name: 'Zeile hinzufügen' }).click();
        await murat.page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.column === 'description');
        await murat.page.keyboard.type('Teilnahmeentgelte');
        const line = await focusedLine(murat.page);
        await cellOf(murat.page, line, 'costType').selectOption('ertrag');
        await cellOf(murat.page, line, y0).fill('1.000,50 €');
        await cellOf(murat.page, line, y0).press('Enter');
      })(),
    ]);

    const settled = `rows.length === 3
      && rows.some((r) => r.description === 'Laborleitung (1,0 VZÄ)' && r['${y0}'] === '12.500,00')
      && rows.some((r) => r.description === 'Miete Laborräume' && r['${y1}'] === '3.000,00')
      && rows.some((r) => r.description === 'Teilnahmeentgelte' && r.costType === 'ertrag' && r['${y0}'] === '1.000,50')`;
    await Promise.all([waitForLines(sabine, settled), waitForLines(murat, settled)]);
    await expect(linesOf(sabine.page)).resolves.toEqual(await linesOf(murat.page));

    const expectedNet = 1_250_000 + 300_000 - 100_050;
    await Promise.all(
      [sabine, murat].map((user) =>
        user.page.waitForFunction(
          (net) => document.querySelector<HTMLElement>('#abschnitt-finanzen tr[data-total="net"] td[data-year="sum"]')?.dataset.cents === String(net),
          expectedNet,
        ),
      ),
    );
    const totals = await totalsOf(sabine.page);
    expect(await totalsOf(murat.page)).toEqual(totals);
    expect(totals.costs).toMatchObject({ [year]: 1_250_000, [year + 1]: 300_000, sum: 1_550_000 });
    expect(totals.income).toMatchObject({ [year]: 100_050, sum: 100_050 });
    expect(totals.net).toMatchObject({ [year]: 1_149_950, [year + 1]: 300_000, sum: expectedNet });
    expect(totals.personal!.sum).toBe(0);
    expect(totals.sach!.sum).toBe(1_550_000);

    // The server stored the same lines and computes the same totals.
    const lead = await login(suite.server.url, users.lead);
    await waitFor(async () => (await storedBudget(lead, dossierId)).totals?.net.total === expectedNet, {
      timeout: 15_000,
      message: 'the budget did not reach the server',
    });
    const stored = await storedBudget(lead, dossierId);
    expect(stored.content.lines.map((l: { description: string }) => l.description)).toEqual((await linesOf(sabine.page)).map((l) => l.description));
    expect(stored.totals.costs.total).toBe(totals.costs!.sum);
    expect(stored.totals.income.perYear[String(year)]).toBe(100_050);

    // Invalid amounts are marked at the cell with parseAmount's message and not written.
    const target = cell(
      sabine.page,
      (await linesOf(sabine.page)).findIndex((l) => l.description === 'Laborleitung (1,0 VZÄ)'),
      y1,
    );
    for (const [typed, message] of [
      ['12,345', 'Höchstens zwei Nachkommastellen (Cent).'],
      ['abc', 'Kein gültiger Betrag. Beispiel: 12.500,00'],
    ] as const) {
      await target.fill(typed);
      await target.press('Tab');
      await expect(target.getAttribute('aria-invalid')).resolves.toBe('true');
      const describedBy = (await target.getAttribute('aria-describedby'))!;
      await expect(sabine.page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent()).resolves.toBe(message);
      await expect(target.inputValue()).resolves.toBe(typed);
    }
    // a valid edit elsewhere is stored while the invalid one is not
    const miete = (await linesOf(sabine.page)).findIndex((l) => l.description === 'Miete Laborräume');
    await cell(sabine.page, miete, y0).fill('250');
    await cell(sabine.page, miete, y0).press('Enter');
    await waitFor(async () => (await storedBudget(lead, dossierId)).totals.costs.total === 1_575_000, {
      timeout: 15_000,
      message: 'the valid edit was not stored',
    });
    const laborleitung = (await storedBudget(lead, dossierId)).content.lines.find((l: { description: string }) => l.description === 'Laborleitung (1,0 VZÄ)');
    expect(laborleitung.amounts).toEqual({ [String(year)]: 1_250_000 });
    // Barrier: Murat has the valid edit made after the invalid one; had the invalid one been sent, it would have come first.
    await waitForLines(murat, `rows.some((r) => r.description === 'Miete Laborräume' && r['${y0}'] === '250,00')`);
    await expect(
      cell(
        murat.page,
        (await linesOf(murat.page)).findIndex((l) => l.description === 'Laborleitung (1,0 VZÄ)'),
        y1,
      ).inputValue(),
    ).resolves.toBe('');
    // Escape gives back the stored value
    await target.focus();
    await target.press('Escape');
    await expect(target.inputValue()).resolves.toBe('');
    await expect(target.getAttribute('aria-invalid')).resolves.toBeNull();

    // Who is in which cell: Murat sees Sabine's name on the cell she has focus in.
    await cell(sabine.page, 2, 'description').focus();
    await murat.page
      .locator('#abschnitt-finanzen [data-row="2"][data-column="description"]')
      .locator('xpath=..')
      .locator('.budget-cell__editor', { hasText: sabine.name })
      .waitFor();

    // Reordering: Sabine moves the third line to the top; both pages and the server agree.
    await budget(sabine.page).getByRole('button', { name: 'Zeile 3 nach oben' }).click();
    await budget(sabine.page).getByRole('button', { name: 'Zeile 2 nach oben' }).click();
    const reordered = (await linesOf(sabine.page)).map((l) => l.description);
    await waitForLines(murat, `rows.map((r) => r.description).join('|') === ${JSON.stringify(reordered.join('|'))}`);
    await waitFor(
      async () => (await storedBudget(lead, dossierId)).content.lines.map((l: { description: string }) => l.description).join('|') === reordered.join('|'),
      { timeout: 15_000, message: 'the new order was not stored' },
    );

    // Deleting a line someone else is typing in: the deleter is warned, the editor is told by whom and keeps the input.
    const victim = reordered.indexOf('Miete Laborräume');
    await cell(murat.page, victim, 'description').click();
    await murat.page.keyboard.press('End');
    await murat.page.keyboard.type(' und Nebenkosten');
    await budget(sabine.page).locator(`tbody tr[data-line-id]`).nth(victim).locator('.budget-cell__editor', { hasText: murat.name }).waitFor();
    await budget(sabine.page)
      .getByRole('button', { name: `Zeile ${victim + 1} löschen` })
      .click();
    const dialog = sabine.page.getByRole('dialog', { name: 'Zeile löschen?' });
    await dialog.getByText(`${murat.name} bearbeitet die Zeile „Miete Laborräume“ gerade.`, { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Trotzdem löschen' }).click();
    const notice = budget(murat.page).locator('.budget-notice');
    await notice.getByText(`Die Zeile „Miete Laborräume“, in der Sie gerade gearbeitet haben, wurde von ${sabine.name} gelöscht.`).waitFor();
    await notice.getByText('Miete Laborräume und Nebenkosten').waitFor();
    await notice.getByRole('button', { name: 'Als neue Zeile wieder anlegen' }).click();
    const restored = `rows.length === 3 && rows.some((r) => r.description === 'Miete Laborräume und Nebenkosten' && r['${y1}'] === '3.000,00')`;
    await Promise.all([waitForLines(sabine, restored), waitForLines(murat, restored)]);

    // The editable table has no serious accessibility violations.
    expect(await axeViolations(sabine.page)).toEqual([]);

    // The lead reads the table with the same totals and has nothing to type into.
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    await openDossier(jana.page, suite.server.url, dossierId);
    await budget(jana.page).locator('.budget-table tbody tr').nth(2).waitFor();
    await expect(budget(jana.page).locator('input, select, textarea').count()).resolves.toBe(0);
    await expect(budget(jana.page).locator('.budget-table tbody th').allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('Miete Laborräume und Nebenkosten')]),
    );
    const finalNet = await sabine.page.locator('#abschnitt-finanzen tr[data-total="net"] td[data-year="sum"]').getAttribute('data-cents');
    await jana.page.waitForFunction(
      (net) => document.querySelector<HTMLElement>('#abschnitt-finanzen tr[data-total="net"] td[data-year="sum"]')?.dataset.cents === net,
      finalNet,
    );

    for (const user of [sabine, murat, jana]) {
      expect(user.errors).toEqual([]);
      await user.context.close();
    }
  }, 120_000);

  it('refuses a negative cost and an English amount at the cell, counts them in the save status, warns before leaving, and exports the CSV', async () => {
    const dossierId = await createTestDossier(suite.server.url);
    const year = new Date().getFullYear();
    const sabine = await openAs(suite.browser, suite.server.url, users.finance);
    const { page } = sabine;
    await openDossier(page, suite.server.url, dossierId);
    for (const description of ['Wartung Sensoren', 'Lizenzen']) {
      await budget(page).getByRole('button', { name: 'Zeile hinzufügen' }).click();
      await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.column === 'description');
      await page.keyboard.type(description);
      await page.keyboard.press('Tab');
    }
    await cell(page, 0, `amount:${year}`).fill('1.200,00');
    await cell(page, 0, `amount:${year}`).press('Enter');
    const lead = await login(suite.server.url, users.lead);
    await waitFor(async () => (await storedBudget(lead, dossierId)).totals?.costs.total === 120_000, {
      timeout: 15_000,
      message: 'the valid amount was not stored',
    });
    await page.locator('.status__save', { hasText: /^gespeichert/ }).waitFor();

    // A credit typed as a negative cost, and an amount typed the English way: each refused with what is wrong, in the row's flow.
    const negative = cell(page, 0, `amount:${year + 1}`);
    const english = cell(page, 1, `amount:${year}`);
    for (const [target, typed, message] of [
      [negative, '-300', 'Beträge sind nie negativ. Einnahmen und Gutschriften als eigene Zeile mit der Kostenart „Erträge/Einnahmen“ eintragen.'],
      [english, '12,500.00', 'Bitte deutsches Zahlenformat: 12.500,00 (Punkt vor den Tausendern, Komma vor den Cent).'],
    ] as const) {
      await target.fill(typed);
      await target.press('Tab');
      await expect(target.getAttribute('aria-invalid')).resolves.toBe('true');
      const describedBy = (await target.getAttribute('aria-describedby'))!;
      await expect(page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent()).resolves.toBe(message);
    }
    // the message of line 1 takes its own space: it covers no cell of line 2
    const messageBox = (await budget(page).locator('.budget-line-errors').first().boundingBox())!;
    const nextLine = (await cell(page, 1, 'description').boundingBox())!;
    expect(messageBox.y + messageBox.height).toBeLessThanOrEqual(nextLine.y);
    // the page says that these inputs are not saved, and the server has none of them
    await page.locator('.status__save', { hasText: '2 ungültige Eingaben, nicht gespeichert' }).waitFor();
    await budget(page).locator('.budget-editor__invalid', { hasText: '2 ungültige Eingaben, nicht gespeichert' }).waitFor();
    const stored = await storedBudget(lead, dossierId);
    expect(stored.content.lines.map((l: { amounts: Record<string, number> }) => l.amounts)).toEqual([{ [String(year)]: 120_000 }, {}]);

    // Leaving asks first: in the app (the link to the list) and in the browser (beforeunload); staying keeps the inputs.
    const dialogs: { type: string; message: string }[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push({ type: dialog.type(), message: dialog.message() });
      void dialog.dismiss();
    });
    await page.getByRole('link', { name: 'Alle Vorlagen' }).click();
    await waitFor(() => dialogs.length === 1, { message: 'leaving through the app did not ask' });
    expect(dialogs[0]).toEqual({
      type: 'confirm',
      message: '2 Eingaben sind ungültig und wurden nicht gespeichert. Wenn Sie die Seite verlassen, gehen sie verloren.',
    });
    expect(new URL(page.url()).pathname).toBe(`/dossiers/${dossierId}`);
    await page.close({ runBeforeUnload: true });
    await waitFor(() => dialogs.length === 2, { message: 'closing the page did not warn' });
    expect(dialogs[1]!.type).toBe('beforeunload');
    expect(page.isClosed()).toBe(false);
    await expect(english.inputValue()).resolves.toBe('12,500.00');

    // Corrected, the count goes and leaving no longer asks.
    await negative.fill('300');
    await negative.press('Enter');
    await english.focus();
    await english.press('Escape');
    await page.locator('.status__save', { hasText: /^gespeichert/ }).waitFor();
    await expect(budget(page).locator('.budget-editor__invalid').textContent()).resolves.toBe('');

    // The CSV beside the PDF export downloads the stored lines for Excel.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Finanzen als CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^Finanzen-[\w-]+\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFKostenart;einmalig/laufend;')).toBe(true);
    expect(csv).toContain('Wartung Sensoren');

    // At phone width the table scrolls inside its box; the section never widens the page.
    await page.setViewportSize({ width: 390, height: 900 });
    const widths = await page.evaluate(() => {
      const section = document.querySelector('#abschnitt-finanzen')!;
      const box = section.querySelector('.budget-editor__scroll')!;
      return { section: section.getBoundingClientRect().right, viewport: document.documentElement.clientWidth, box: box.scrollWidth > box.clientWidth };
    });
    expect(widths.section).toBeLessThanOrEqual(widths.viewport);
    expect(widths.box).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    expect(sabine.errors).toEqual([]);
    await sabine.context.close();
  }, 120_000);
});
