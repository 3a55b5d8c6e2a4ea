/**
 * The "Verlauf" in a real browser: the lead opens the drafting history from
 * the dossier bar, sees the snapshots with time and authors, opens an older
 * one read-only and restores a section after confirming; a colleague with
 * the dossier open sees the restored text arrive without a reload. Keyboard
 * only, and axe finds nothing serious in the dialog.
 */
import { describe, expect, it } from 'vitest';
import { createTestDossier, users, waitFor } from '../support/server';
import { axeViolations, browserSuite, openAs, openDossier, placeCaret, textOf, waitForText } from './support';

// every stored change with new content is a snapshot of its own
const suite = browserSuite({ historyIntervalMs: 0 });

describe('the Verlauf', () => {
  it('lists snapshots, opens one read-only and restores a section that another editor sees live', async () => {
    const dossierId = await createTestDossier(suite.server.url);
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    const tobias = await openAs(suite.browser, suite.server.url, users.leadColleague);
    await Promise.all([openDossier(jana.page, suite.server.url, dossierId), openDossier(tobias.page, suite.server.url, dossierId)]);
    const snapshots = async () => (await suite.server.storage.history.listSnapshots(dossierId)).length;

    // inserted at once (not typed key by key), so that each is one change and one snapshot
    await placeCaret(jana.page, 'ausgangslage', 'end');
    await jana.page.keyboard.insertText('Die erste Fassung.');
    await waitFor(async () => (await snapshots()) === 1, { timeout: 30_000, message: 'no first snapshot' });
    await jana.page.keyboard.insertText(' Ein später Zusatz.');
    await waitFor(async () => (await snapshots()) === 2, { timeout: 30_000, message: 'no second snapshot' });
    await waitForText(tobias, 'ausgangslage', 'Die erste Fassung. Ein später Zusatz.');

    const page = jana.page;
    await page.getByRole('button', { name: 'Verlauf' }).click();
    const dialog = page.getByRole('dialog', { name: 'Verlauf der Bearbeitung' });
    const list = dialog.getByRole('list', { name: 'Festgehaltene Stände, der neueste zuerst' });
    await waitFor(async () => (await list.getByRole('listitem').count()) === 2, { message: 'the list does not show two snapshots' });
    await expect(list.getByRole('listitem').first().innerText()).resolves.toMatch(
      /Stand vom \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2}\s+Bearbeitet von Jana Becker/,
    );
    expect(await axeViolations(page)).toEqual([]);

    // the older snapshot, opened with the keyboard
    await list.getByRole('button').last().focus();
    await page.keyboard.press('Enter');
    await dialog.getByRole('heading', { name: /^Stand vom / }).waitFor();
    const section = dialog.getByRole('region', { name: 'Ausgangslage und Problem' });
    await expect(section.innerText()).resolves.toContain('Die erste Fassung.');
    await expect(section.innerText()).resolves.not.toContain('später Zusatz');
    await expect(dialog.locator('[contenteditable="true"], input, textarea').count()).resolves.toBe(0);
    // the Mitzeichnung is the workflow's: nobody restores it
    await expect(dialog.getByRole('region', { name: 'Mitzeichnung' }).getByRole('button').count()).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await section.getByRole('button', { name: 'Diesen Abschnitt wiederherstellen' }).click();
    await section.getByText('Der Abschnitt „Ausgangslage und Problem“ wird für alle durch den Stand vom').waitFor();
    // the confirming button has the focus
    await page.keyboard.press('Enter');
    await dialog.getByText('Der Abschnitt „Ausgangslage und Problem“ wurde wiederhergestellt.').waitFor();

    await waitFor(async () => (await textOf(tobias, 'ausgangslage')) === 'Die erste Fassung.', { timeout: 30_000, message: 'Tobias does not see the restore' });
    await page.keyboard.press('Escape');
    await waitFor(async () => (await textOf(jana, 'ausgangslage')) === 'Die erste Fassung.', { timeout: 30_000 });
    expect([...jana.errors, ...tobias.errors]).toEqual([]);
    await jana.context.close();
    await tobias.context.close();
  }, 120_000);
});
