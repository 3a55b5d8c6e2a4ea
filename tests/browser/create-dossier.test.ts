/**
 * A new user in a real browser: signs in, creates a dossier from the
 * template with the keyboard, and finds every section with its title and
 * guidance. axe-core checks both pages; the build is checked for its split.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Template } from '../../dossier/template';
import { DEMO_PASSWORD } from '../../server/demo/people';
import { api, login, users } from '../support/server';
import { axeViolations, browserSuite, firstPageChunks } from './support';

const suite = browserSuite();

describe('creating a dossier in the browser', () => {
  it('signs in, creates a dossier from the template and shows every section with its title and guidance', async () => {
    const template = (await api(suite.server.url, '/api/templates/verstetigung-smart-city', { session: await login(suite.server.url, users.lead) }))
      .body as Template;
    const context = await suite.browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(suite.server.url);
    // Not signed in: the login page, answered with the keyboard only; a wrong password is refused with a message.
    await page.waitForURL(/\/login\?next=%2F$/);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await page.keyboard.type(users.lead);
    await page.keyboard.press('Tab');
    await page.keyboard.type('falsches-passwort');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Benutzername oder Passwort ist falsch.' }).waitFor();
    await page.getByLabel('Passwort').fill(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${suite.server.url}/`);
    await page.getByText('Jana Becker').waitFor();
    await page.getByText('Amt für Digitalisierung und Smart City').waitFor();
    await page.getByText('Noch keine Vorlagen.').waitFor();

    await page.getByRole('button', { name: 'Neue Vorlage' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Neue Beschlussvorlage' });
    await dialog.waitFor();
    // the templates load after the dialog opens
    await dialog.getByLabel('Vorlagenmuster', { exact: true }).locator('option[value="verstetigung-smart-city"]').waitFor({ state: 'attached' });
    await expect(dialog.getByLabel('Vorlagenmuster', { exact: true }).inputValue()).resolves.toBe('verstetigung-smart-city');
    // The subject field has focus; a too-short subject is refused with a message.
    await page.keyboard.type('Ab');
    await dialog.getByRole('button', { name: 'Vorlage anlegen' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'mindestens 3 Zeichen' }).waitFor();
    await page.keyboard.type('gabe der Parkraumsensorik – Verstetigung');
    await dialog.getByRole('button', { name: 'Vorlage anlegen' }).focus();
    await page.keyboard.press('Enter');

    await page.waitForFunction(() => /^\/dossiers\/[a-z0-9]+$/.test(location.pathname));
    await page.locator('.status[data-connection="connected"]').waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('.section__body[aria-busy="true"]').length === 0 && document.querySelectorAll('.section').length > 0,
    );
    await expect(page.locator('#dossier-title').textContent()).resolves.toBe('Abgabe der Parkraumsensorik – Verstetigung');

    for (const section of template.sections) {
      const block = page.locator(`#abschnitt-${section.id}`);
      await expect(block.locator('.section__title').textContent()).resolves.toBe(section.title);
      const guidance = await block.locator('.guidance li').allTextContents();
      expect(guidance).toEqual(section.guidance);
    }
    // The Kopf: the creator's department leads; "fehlt" names the fields still empty; öffentlich/nichtöffentlich is the Öffentlichkeit.
    const kopf = page.locator('#abschnitt-kopf');
    await expect(kopf.getByLabel('Federführende Dienststelle').inputValue()).resolves.toBe('Amt für Digitalisierung und Smart City');
    await expect(kopf.getByLabel('Öffentlichkeit').inputValue()).resolves.toBe('oeffentlich');
    await expect(kopf.locator('.badge--missing').textContent()).resolves.toBe('fehlt: Datum, Aktenzeichen, Berichterstatter/in');
    await kopf.getByLabel('Aktenzeichen').fill('SC-0042/2026');
    await kopf.locator('.badge--missing', { hasText: /^fehlt: Datum, Berichterstatter\/in$/ }).waitFor();
    // The server seeded the subject into the Betreff section; the client seeded nothing.
    await expect(page.locator('#abschnitt-betreff .ProseMirror').textContent()).resolves.toBe('Abgabe der Parkraumsensorik – Verstetigung');
    // Required sections still empty are marked in the table of contents, filled ones are not.
    const toc = page.getByRole('navigation', { name: 'Inhalt' });
    await toc.getByRole('link', { name: /Ausgangslage und Problem – Pflichtabschnitt, noch leer/ }).waitFor();
    // the count is an ICU plural message, formatted by IntlMessageFormat under the page's CSP (no eval)
    await page.locator('.toc__summary', { hasText: /^([2-9]|\d\d) Pflichtabschnitte noch leer$/ }).waitFor();
    // the table of contents refreshes on a timer: wait for the filled section's entry, then count it
    await toc.getByRole('link', { name: 'Betreff', exact: true }).waitFor();
    await expect(toc.getByRole('link', { name: 'Betreff', exact: true }).count()).resolves.toBe(1);
    // The TOC jumps to a section and moves focus there.
    await toc.getByRole('link', { name: /^Alternativen/ }).click();
    await expect(page.evaluate(() => document.activeElement?.closest('section')?.id)).resolves.toBe('abschnitt-alternativen');

    // Keyboard only: write, select, Alt+F10 into the page's toolbar, arrow to a button, Enter.
    const editor = page.locator('#abschnitt-ausgangslage .ProseMirror');
    await editor.focus();
    await page.keyboard.type('Die Sensoren melden freie Stellplätze.');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Alt+F10');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('Fett');
    await page.keyboard.press('ArrowRight');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('Kursiv');
    await page.keyboard.press('Enter');
    await editor.locator('em', { hasText: 'Die Sensoren melden freie Stellplätze.' }).waitFor();
    await expect(page.locator('[role="toolbar"] [aria-label="Kursiv"]').getAttribute('aria-pressed')).resolves.toBe('true');
    // Once written, the section is no longer marked as missing.
    await toc.getByRole('link', { name: 'Ausgangslage und Problem', exact: true }).waitFor();

    // PDF export: the page downloads the file and shows the SHA-256 the server computed for it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'PDF exportieren' }).click()]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.locator('#export-state code').waitFor();
    await expect(page.locator('#export-state code').textContent()).resolves.toBe(createHash('sha256').update(pdf).digest('hex'));

    const dossierViolations = await axeViolations(page);
    const screenshots = join(tmpdir(), 'ratsdossier-screenshots');
    mkdirSync(screenshots, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(screenshots, 'dossier-new.png') });

    await page.getByRole('link', { name: 'Alle Vorlagen' }).click();
    await page.getByRole('link', { name: 'Abgabe der Parkraumsensorik – Verstetigung' }).waitFor();
    await page.getByLabel('Status').selectOption('released');
    await page.getByText('Keine Vorlage passt zu Suche und Filter.').waitFor();
    await page.getByLabel('Status').selectOption('draft');
    await page.getByLabel('Suche').fill('parkraum');
    await page.getByRole('link', { name: 'Abgabe der Parkraumsensorik – Verstetigung' }).waitFor();
    const listViolations = await axeViolations(page);
    await page.screenshot({ path: join(screenshots, 'list.png') });

    expect(dossierViolations).toEqual([]);
    expect(listViolations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('keeps the editor stack out of what the first page loads and bundles exactly one copy of Yjs', () => {
    const assets = join(suite.clientDir, 'assets');
    const source = (name: string) => readFileSync(join(assets, name), 'utf8');
    // Yjs warns with this text when a second copy is imported; each copy carries it once.
    const chunks = readdirSync(assets).filter((name) => name.endsWith('.js'));
    expect(chunks.filter((name) => source(name).includes('Yjs was already imported')).length).toBe(1);

    const firstPage = firstPageChunks(suite.clientDir);
    expect(firstPage.chunks.filter((name) => /Yjs was already imported|prosemirror/.test(source(name)))).toEqual([]);
    // …which the dossier page loads when it is opened.
    expect(source(firstPage.entry).includes('./DossierPage-')).toBe(true);
  });
});
