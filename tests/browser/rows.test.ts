/**
 * Lists in the browser (Beratungsfolge, Anlagen): add, reorder and remove
 * rows; the other user sees the new order and the server stores it.
 */
import { describe, expect, it } from 'vitest';
import { api, createTestDossier, login, users, waitFor } from '../support/server';
import { browserSuite, openAs, openDossier } from './support';

const suite = browserSuite();

describe('row lists in the browser', () => {
  it('moves Beratungsfolge rows and Anlagen for everyone, and stores the order', async () => {
    const dossierId = await createTestDossier(suite.server.url);
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    const tobias = await openAs(suite.browser, suite.server.url, users.leadColleague);
    await Promise.all([openDossier(jana.page, suite.server.url, dossierId), openDossier(tobias.page, suite.server.url, dossierId)]);

    // the template seeds Vorberatung in the committee, then the decision in the council
    await jana.page.getByRole('button', { name: 'Zeile 1 nach unten' }).click();

    const page = jana.page;
    const attachments = page.locator('.attachment');
    const initial = await attachments.count();
    for (const [index, title] of ['Evaluationsbericht', 'Betriebskonzept', 'Kostenaufstellung'].entries()) {
      await page.getByRole('button', { name: 'Anlage hinzufügen' }).click();
      // the new row renders after the click: wait for it, never count at once
      const count = initial + index + 1;
      await attachments.nth(count - 1).waitFor();
      await expect(attachments.count()).resolves.toBe(count);
      await page.getByLabel(`Bezeichnung der Anlage ${count}`).fill(title);
    }
    await page.getByRole('button', { name: 'Anlage 3 nach oben' }).click();
    await page.getByRole('button', { name: 'Anlage 1 entfernen' }).click();

    const titles = (user: typeof jana) =>
      user.page.locator('.attachment__title input').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    await waitFor(async () => JSON.stringify(await titles(tobias)) === JSON.stringify(['Kostenaufstellung', 'Betriebskonzept']), {
      message: 'the other user did not get the new order',
    });

    const session = await login(suite.server.url, users.lead);
    await waitFor(
      async () => {
        const { body } = await api(suite.server.url, `/api/dossiers/${dossierId}`, { session });
        const content = (id: string) => body.sections.find((s: { id: string }) => s.id === id).content;
        return (
          JSON.stringify(content('beratungsfolge').rows.map((r: { role: string }) => r.role)) === JSON.stringify(['entscheidung', 'vorberatung']) &&
          JSON.stringify(content('anlagen').items.map((i: { title: string }) => i.title)) === JSON.stringify(['Kostenaufstellung', 'Betriebskonzept'])
        );
      },
      { message: 'the stored order is not the shown one' },
    );
    expect([...jana.errors, ...tobias.errors]).toEqual([]);
    await jana.context.close();
    await tobias.context.close();
  }, 60_000);
});
