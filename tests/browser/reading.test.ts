/**
 * Reading and writing habits in a real browser: the list, a draft and a
 * released Vorlage read from 390 px up without sideways scrolling (list as
 * cards, table of contents folded away), axe-core finds nothing serious and
 * no heading out of order, for an author and a councillor; the page has one
 * formatting toolbar that follows the focused field (Alt+F10 there, Escape
 * back), Ctrl+K opens the link input and "www." becomes https://.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { doc, p } from '../../dossier/rich-text';
import { createDossier } from '../../server/dossiers/create';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';
import { DEMO_TEMPLATE_ID } from '../../server/demo/seed';
import { loadTemplates } from '../../server/templates/loader';
import { api, createTestDossier, login, projectRoot, users, waitFor, type Session } from '../support/server';
import { axeViolations, browserSuite, editorOf, openAs, openDossier, placeCaret, type User } from './support';

const suite = browserSuite();
const screenshots = '/tmp/ratsdossier-reading';
mkdirSync(screenshots, { recursive: true });

let draftId = '';
let releasedId = '';

/** A complete Vorlage (the demo's texts) of the smart-city office with the Kämmerei involved. */
async function completeDossier(title: string): Promise<string> {
  const template = (await loadTemplates(join(projectRoot, 'templates'))).get(DEMO_TEMPLATE_ID)!;
  const { mitzeichnung: _seededByTheServer, ...contents } = demoContents;
  const dossier = await createDossier(suite.server.storage, template, {
    title,
    contents: { ...contents, betreff: doc(p(title)) },
    leadDepartmentId: 'smart-city',
    involvedDepartmentIds: ['kaemmerei'],
  });
  return dossier.id;
}

/** Co-signing, the Kämmerei's signature and the clerk's release, through the REST API. */
async function release(dossierId: string): Promise<void> {
  const lead = await login(suite.server.url, users.lead);
  const signatory = await login(suite.server.url, users.signatoryFinance);
  const clerk = await login(suite.server.url, users.clerk);
  const hashes = async (session: Session) =>
    Object.fromEntries(
      (await api(suite.server.url, `/api/dossiers/${dossierId}`, { session })).body.sections.map((s: { id: string; contentHash: string }) => [
        s.id,
        s.contentHash,
      ]),
    );
  const steps = [
    () => api(suite.server.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'POST', session: lead }),
    async () =>
      api(suite.server.url, `/api/dossiers/${dossierId}/signatures`, {
        method: 'POST',
        session: signatory,
        json: { contentHashes: await hashes(signatory), decision: 'agree' },
      }),
    () => api(suite.server.url, `/api/dossiers/${dossierId}/release`, { method: 'POST', session: clerk, json: {} }),
  ];
  for (const step of steps) {
    const { status, body } = await step();
    if (status >= 300) throw new Error(`release failed: ${status} ${JSON.stringify(body)}`);
  }
}

beforeAll(async () => {
  draftId = await completeDossier('Verstetigung der Sensorplattform für freie Parkplätze in der Altstadt');
  releasedId = await completeDossier('Verstetigung des Labors der kreativen Köpfe');
  await release(releasedId);
}, 180_000);

/** Fails naming the elements that reach past the right edge of the window. */
async function expectNoSidewaysScrolling(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 8)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className} (${Math.round(element.getBoundingClientRect().right)} px)`),
  }));
  expect(scrollWidth, `${what} scrolls sideways: ${wide.join(', ')}`).toBeLessThanOrEqual(innerWidth);
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page, { also: ['heading-order'] })).toEqual([]);
}

async function openList(user: User): Promise<void> {
  await user.page.goto(suite.server.url);
  await user.page.locator('.dossier-table, .dossier-cards').first().waitFor();
}

describe('reading on tablets and phones', () => {
  it.each([
    { role: 'author', username: users.lead, dossier: () => draftId, name: 'draft' },
    { role: 'councillor', username: users.reader, dossier: () => releasedId, name: 'released' },
  ])(
    'the list and a $name Vorlage read well at 1400, 390 and 360 px ($role)',
    async ({ role, username, dossier }) => {
      const user = await openAs(suite.browser, suite.server.url, username);
      const { page } = user;
      for (const width of [1400, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await openList(user);
        // the header keeps every control in view: it wraps instead of cutting off "Abmelden"
        const signOut = await page.getByRole('button', { name: 'Abmelden' }).boundingBox();
        expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(width);
        await expect(page.locator(width < 900 ? '.dossier-cards' : '.dossier-table').count()).resolves.toBe(1);
        await expectNoSidewaysScrolling(page, `the list at ${width} px`);
        await expectAccessible(page);
        await page.screenshot({ path: `${screenshots}/list-${role}-${width}.png`, fullPage: true });

        await openDossier(page, suite.server.url, dossier());
        await expectNoSidewaysScrolling(page, `the Vorlage at ${width} px`);
        const toc = page.getByRole('navigation', { name: 'Inhalt' });
        if (width < 1000) {
          // folded away above the text: one button, the sections behind it
          const toggle = toc.getByRole('button', { name: 'Inhalt' });
          await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
          await expect(toc.getByRole('link').count()).resolves.toBe(0);
          await expectAccessible(page);
          await page.screenshot({ path: `${screenshots}/dossier-${role}-${width}.png` });
          await toggle.click();
          await toc.getByRole('link', { name: /^Alternativen/ }).click();
          // a jump folds it again and lands in the section
          await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
          await expect(page.evaluate(() => document.activeElement?.closest('section')?.id)).resolves.toBe('abschnitt-alternativen');
          await expectNoSidewaysScrolling(page, `the Vorlage at ${width} px, scrolled to a section`);
          await page.screenshot({ path: `${screenshots}/dossier-${role}-${width}-section.png` });
          await page.locator('#abschnitt-finanzen').scrollIntoViewIfNeeded();
          await page.screenshot({ path: `${screenshots}/dossier-${role}-${width}-budget.png` });
        } else {
          await expect(toc.getByRole('button').count()).resolves.toBe(0);
          await toc.getByRole('link', { name: /^Alternativen/ }).waitFor();
          await expectAccessible(page);
          await page.screenshot({ path: `${screenshots}/dossier-${role}-${width}.png` });
        }
        // a councillor reads a released Vorlage: nothing to format
        await expect(page.getByRole('toolbar').count()).resolves.toBe(role === 'author' ? 1 : 0);
      }

      // the smallest phones: still nothing to scroll sideways
      await page.setViewportSize({ width: 360, height: 800 });
      await openList(user);
      await expectNoSidewaysScrolling(page, 'the list at 360 px');
      await openDossier(page, suite.server.url, dossier());
      await expectNoSidewaysScrolling(page, 'the Vorlage at 360 px');
      if (role === 'councillor') {
        // the released versions, on a phone
        await page.getByRole('button', { name: 'Fassungen' }).click();
        const versions = page.getByRole('dialog', { name: 'Fassungen' });
        await versions.getByRole('row').nth(1).waitFor();
        await expectNoSidewaysScrolling(page, 'the versions at 360 px');
        await expectAccessible(page);
        await page.screenshot({ path: `${screenshots}/versions-${role}-360.png` });
        await versions.getByRole('button', { name: 'Schließen' }).click();
      }
      expect(user.errors).toEqual([]);
      await user.context.close();
    },
    240_000,
  );
});

describe('editor habits', () => {
  it('has one toolbar that follows the focused section: Alt+F10 goes there, Escape back, a button formats that section', async () => {
    const lead = await openAs(suite.browser, suite.server.url, users.lead);
    const { page } = lead;
    await openDossier(page, suite.server.url, draftId);
    const toolbar = page.getByRole('toolbar');
    await expect(toolbar.count()).resolves.toBe(1);
    // before any field had focus it formats nothing and says so
    await toolbar.getByText('Zum Formatieren in einen Textabschnitt klicken.').waitFor();
    await expect(toolbar.getByRole('button', { name: 'Fett' }).getAttribute('aria-disabled')).resolves.toBe('true');

    // keyboard: write, select, Alt+F10, Home to "Fett", Enter
    await placeCaret(page, 'ausgangslage', 'end');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Die Sensoren melden freie Stellplätze.');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Alt+F10');
    await expect(page.evaluate(() => document.activeElement?.closest('[role="toolbar"]')?.getAttribute('aria-label'))).resolves.toBe(
      'Formatierung für „Ausgangslage und Problem“',
    );
    await page.keyboard.press('Home');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('Fett');
    await page.keyboard.press('Enter');
    await editorOf(page, 'ausgangslage').locator('strong', { hasText: 'Die Sensoren melden freie Stellplätze.' }).waitFor();
    await expect(toolbar.getByRole('button', { name: 'Fett' }).getAttribute('aria-pressed')).resolves.toBe('true');
    // Escape goes back to the text, where typing goes on
    await page.keyboard.press('Escape');
    await expect(page.evaluate(() => document.activeElement?.closest('section')?.id)).resolves.toBe('abschnitt-ausgangslage');
    await page.screenshot({ path: `${screenshots}/toolbar-1400.png` });

    // the mouse: another section gets focus, the toolbar's button formats that one and no other
    await placeCaret(page, 'alternativen', 'end');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Ohne Verstetigung endet der Dienst.');
    await page.keyboard.press('Shift+Home');
    await toolbar.getByText('für „Alternativen“', { exact: false }).waitFor();
    await toolbar.getByRole('button', { name: 'Kursiv' }).click();
    await editorOf(page, 'alternativen').locator('em', { hasText: 'Ohne Verstetigung endet der Dienst.' }).waitFor();
    await expect(editorOf(page, 'ausgangslage').locator('em').count()).resolves.toBe(0);

    // a section of another department: the toolbar says why it does nothing
    await editorOf(page, 'finanzen').click();
    await toolbar.getByText('„Stellungnahme der Kämmerei“ ist schreibgeschützt.').waitFor();
    await expect(toolbar.getByRole('button', { name: 'Fett' }).getAttribute('aria-disabled')).resolves.toBe('true');

    // an empty Vorlage is no longer thousands of pixels of toolbars
    await page.setViewportSize({ width: 390, height: 900 });
    await page.locator('.toolbar').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshots}/toolbar-390.png` });
    expect(lead.errors).toEqual([]);
    await lead.context.close();
  }, 120_000);

  it('keeps an empty Vorlage short and tells presence from missing sections in the table of contents', async () => {
    const dossierId = await createTestDossier(suite.server.url, { title: 'Leere Vorlage zum Messen' });
    const lead = await openAs(suite.browser, suite.server.url, users.lead);
    const colleague = await openAs(suite.browser, suite.server.url, users.leadColleague);
    await openDossier(lead.page, suite.server.url, dossierId);
    // with a toolbar on each of its ten rich-text fields it was about 5,400 px tall (some 420 px of them toolbars)
    await expect(lead.page.getByRole('toolbar').count()).resolves.toBe(1);
    await expect(lead.page.evaluate(() => document.documentElement.scrollHeight)).resolves.toBeLessThan(5300);
    await lead.page.screenshot({ path: `${screenshots}/empty-1400.png`, fullPage: true });

    await openDossier(colleague.page, suite.server.url, dossierId);
    await editorOf(colleague.page, 'ausgangslage').click();
    const toc = lead.page.getByRole('navigation', { name: 'Inhalt' });
    // missing: a word; presence: the other's initials, named for screen readers
    const entry = toc.getByRole('link', { name: 'Ausgangslage und Problem – Pflichtabschnitt, noch leer – hier: Tobias Wagner' });
    await entry.waitFor();
    await expect(entry.locator('.toc__missing [aria-hidden="true"]').textContent()).resolves.toBe('fehlt');
    await expect(entry.locator('.toc__here .avatar').textContent()).resolves.toBe('TW');
    await toc.screenshot({ path: `${screenshots}/toc-presence-missing.png` });
    expect([...lead.errors, ...colleague.errors]).toEqual([]);
    await lead.context.close();
    await colleague.context.close();
  }, 120_000);

  it('acts where the browser shows the selection, even when a key arrives before the browser reported the move', async () => {
    const dossierId = await completeDossier('Vorlage zum Prüfen der Auswahl vor dem Tastendruck');
    const lead = await openAs(suite.browser, suite.server.url, users.lead);
    const { page } = lead;
    await openDossier(page, suite.server.url, dossierId);
    await placeCaret(page, 'alternativen', 'start');
    // the browser moves the selection and a key follows in the same task, before the queued selectionchange: as on a busy
    // page, where Enter after Ctrl+End split the paragraph at the old caret and Alt+F10 took an empty selection to the toolbar
    const pressAfterMoving = (key: string, ctrlKey: boolean) =>
      page.evaluate(
        ([key, ctrlKey]) => {
          const editor = document.querySelector('#abschnitt-alternativen .ProseMirror')!;
          const walker = document.createTreeWalker(editor.lastElementChild!, NodeFilter.SHOW_TEXT);
          const texts: Text[] = [];
          while (walker.nextNode()) texts.push(walker.currentNode as Text);
          const last = texts.at(-1)!;
          // Shift+Home on the last paragraph for Ctrl+B, Ctrl+End for Enter
          if (ctrlKey) getSelection()!.setBaseAndExtent(last, last.length, texts[0]!, 0);
          else getSelection()!.collapse(last, last.length);
          editor.dispatchEvent(new KeyboardEvent('keydown', { key, ctrlKey, bubbles: true, cancelable: true }));
          return editor.lastElementChild!.textContent;
        },
        [key, ctrlKey] as const,
      );
    const lastParagraph = await pressAfterMoving('b', true);
    await editorOf(page, 'alternativen').locator('> :last-child strong', { hasText: lastParagraph! }).waitFor();
    await pressAfterMoving('Enter', false);
    await page.keyboard.type('Ein neuer Absatz am Ende.');
    await waitFor(async () => (await editorOf(page, 'alternativen').locator('> :last-child').textContent()) === 'Ein neuer Absatz am Ende.', {
      message: 'the paragraph typed after Enter is not the last one',
    });
    expect(lead.errors).toEqual([]);
    await lead.context.close();
  }, 120_000);

  it('opens the link input with Ctrl+K, refuses javascript: and stores "www." as https://', async () => {
    const lead = await openAs(suite.browser, suite.server.url, users.lead);
    const { page } = lead;
    await openDossier(page, suite.server.url, draftId);
    await placeCaret(page, 'wirkung', 'end');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Stadtportal');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Link einfügen' });
    await dialog.waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('link-href');
    await page.keyboard.type('javascript:alert(1)');
    await page.keyboard.press('Enter');
    await dialog.getByRole('alert').filter({ hasText: 'Bitte eine Web- oder E-Mail-Adresse eingeben' }).waitFor();
    await dialog.getByLabel('Adresse (URL)').fill('www.musterstadt.de');
    await page.screenshot({ path: `${screenshots}/link-dialog.png` });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await editorOf(page, 'wirkung').locator('a[href="https://www.musterstadt.de"]', { hasText: 'Stadtportal' }).waitFor();
    await expect(editorOf(page, 'wirkung').locator('a[href^="javascript"]').count()).resolves.toBe(0);

    // stored on the server as a full address
    const session = await login(suite.server.url, users.lead);
    await waitFor(
      async () => {
        const { body } = await api(suite.server.url, `/api/dossiers/${draftId}`, { session });
        const wirkung = (body.sections as { id: string; content: unknown }[]).find((s) => s.id === 'wirkung');
        return JSON.stringify(wirkung?.content).includes('"href":"https://www.musterstadt.de"');
      },
      { timeout: 20_000, message: 'the link was not stored as https://www.musterstadt.de' },
    );
    expect(lead.errors).toEqual([]);
    await lead.context.close();
  }, 120_000);
});
