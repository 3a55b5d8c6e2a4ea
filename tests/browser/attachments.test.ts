/**
 * Files of Anlagen in the browser: uploaded through the Anlagen section, listed with a download link for the
 * uploader and, live, for a co-editor; a file whose content is not what its name says gets the server's German
 * message in the section and changes nothing. Screenshots of the section at 1400 px and 390 px go to
 * $SCREENSHOT_DIR when it is set.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docxBytes, pngBytes, xlsxBytes } from '../support/files';
import { createTestDossier, login, users } from '../support/server';
import { browserSuite, openAs, openDossier } from './support';

const suite = browserSuite();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('Anlagen with files in the browser', () => {
  it('uploads a file into an Anlage; uploader and co-editor see it with a download link; a mislabelled file is refused', async () => {
    const dossierId = await createTestDossier(suite.server.url, { title: 'Anlagen im Browser' });
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    const tobias = await openAs(suite.browser, suite.server.url, users.leadColleague);
    await Promise.all([openDossier(jana.page, suite.server.url, dossierId), openDossier(tobias.page, suite.server.url, dossierId)]);
    const page = jana.page;

    await page.getByRole('button', { name: 'Anlage hinzufügen' }).click();
    await page.getByLabel('Bezeichnung der Anlage 1').fill('Kostenaufstellung');
    const xlsx = xlsxBytes();
    await page.getByLabel('Datei für Anlage 1 hochladen').setInputFiles({
      name: 'Kostenübersicht 2026.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: xlsx,
    });
    const link = (user: typeof jana) => user.page.getByRole('link', { name: 'Kostenübersicht 2026.xlsx herunterladen' });
    await link(jana).waitFor();
    await link(tobias).waitFor();
    const downloaded = await jana.page.request.get(new URL((await link(jana).getAttribute('href'))!, suite.server.url).href);
    expect(downloaded.status()).toBe(200);
    expect(sha256(await downloaded.body())).toBe(sha256(xlsx));
    await expect(page.getByLabel('Datei der Anlage 1 ersetzen').count()).resolves.toBe(1);

    // a second Anlage, without a title: it takes the file's name; a PNG called .pdf is refused first
    await page.getByRole('button', { name: 'Anlage hinzufügen' }).click();
    await page.getByLabel('Datei für Anlage 2 hochladen').setInputFiles({ name: 'Lageplan.pdf', mimeType: 'application/pdf', buffer: pngBytes() });
    await expect(page.getByRole('alert').filter({ hasText: 'ist dem Inhalt nach ein PNG-Bild' }).textContent()).resolves.toContain('Lageplan.pdf');
    expect(await suite.server.storage.attachments.list(dossierId)).toHaveLength(1);
    await page.getByLabel('Datei für Anlage 2 hochladen').setInputFiles({
      name: 'Stellungnahme.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: docxBytes('Stellungnahme'),
    });
    await tobias.page.getByRole('link', { name: 'Stellungnahme.docx herunterladen' }).waitFor();
    await expect(tobias.page.getByLabel('Bezeichnung der Anlage 2').inputValue()).resolves.toBe('Stellungnahme');
    await expect(page.getByRole('alert').count()).resolves.toBe(0);

    // a reader of the draft who may not write the section sees the files, without upload buttons
    const legal = await openAs(suite.browser, suite.server.url, await login(suite.server.url, users.legal));
    await openDossier(legal.page, suite.server.url, dossierId);
    await legal.page.getByRole('link', { name: 'Stellungnahme.docx herunterladen' }).waitFor();
    await expect(legal.page.locator('#abschnitt-anlagen input[type="file"]').count()).resolves.toBe(0);

    const shots = process.env.SCREENSHOT_DIR;
    if (shots) {
      const section = page.locator('#abschnitt-anlagen');
      await section.screenshot({ path: join(shots, 'anlagen-1400.png') });
      await page.setViewportSize({ width: 390, height: 900 });
      await section.screenshot({ path: join(shots, 'anlagen-390.png') });
      await legal.page.locator('#abschnitt-anlagen').screenshot({ path: join(shots, 'anlagen-readonly-1400.png') });
    }
    // nothing is wider than the phone's screen
    await page.setViewportSize({ width: 390, height: 900 });
    const overflow = await page.locator('#abschnitt-anlagen').evaluate((section) => section.scrollWidth - section.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    expect([...jana.errors, ...tobias.errors, ...legal.errors]).toEqual([]);
    for (const user of [jana, tobias, legal]) await user.context.close();
  }, 180_000);
});
