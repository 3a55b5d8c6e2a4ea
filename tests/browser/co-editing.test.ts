/**
 * Two users in two browser contexts edit the same dossier: text typed in one
 * appears in the other, in the same section and in different sections at
 * once; carets carry names; what was typed survives a reload and a server
 * restart.
 */
import { describe, expect, it } from 'vitest';
import { createTestDossier, startTestServer, users } from '../support/server';
import { browserSuite, openAs, openDossier, placeCaret, textOf, typeAtEnd, waitForText } from './support';

const suite = browserSuite();

describe('co-editing in two browsers', () => {
  it('shows each user the other one’s text, caret and whereabouts, and keeps everything across reload and restart', async () => {
    const dossierId = await createTestDossier(suite.server.url);
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    const tobias = await openAs(suite.browser, suite.server.url, users.leadColleague);
    await Promise.all([openDossier(jana.page, suite.server.url, dossierId), openDossier(tobias.page, suite.server.url, dossierId)]);

    // Jana starts the section with two paragraphs; Tobias sees them.
    await typeAtEnd(jana.page, 'ausgangslage', 'Die Pegel-Warnung schützt die Altstadtkeller.');
    await jana.page.keyboard.press('Enter');
    await jana.page.keyboard.type('Ab 2027 fehlt die Förderung.');
    await waitForText(tobias, 'ausgangslage', 'Die Pegel-Warnung schützt die Altstadtkeller.', 'Ab 2027 fehlt die Förderung.');

    // Then both type into the same section at the same time, each in their own paragraph
    // (two people typing at the very same spot at once interleave their letters, in any
    // CRDT editor), and Tobias into a second section as well.
    await Promise.all([
      typeAtEnd(jana.page, 'ausgangslage', ' Der Betrieb kostet 84.000 € im Jahr.'),
      (async () => {
        await typeAtEnd(tobias.page, 'alternativen', 'Ohne Verstetigung endet der Betrieb am 31.12.');
        await placeCaret(tobias.page, 'ausgangslage', 'start');
        await tobias.page.keyboard.press('End');
        await tobias.page.keyboard.type(' Die Kämmerei prüft die Folgekosten.');
      })(),
    ]);
    for (const user of [jana, tobias]) {
      await waitForText(
        user,
        'ausgangslage',
        'Die Pegel-Warnung schützt die Altstadtkeller. Die Kämmerei prüft die Folgekosten.',
        'Ab 2027 fehlt die Förderung. Der Betrieb kostet 84.000 € im Jahr.',
      );
      await waitForText(user, 'alternativen', 'Ohne Verstetigung endet der Betrieb am 31.12.');
    }
    await expect(textOf(jana, 'ausgangslage')).resolves.toBe(await textOf(tobias, 'ausgangslage'));

    // Jana keeps working in "Ausgangslage": Tobias sees her named caret there and her avatar saying where she is.
    await typeAtEnd(jana.page, 'ausgangslage', ' Ergänzung.');
    await tobias.page.locator('#abschnitt-ausgangslage .collaboration-carets__label', { hasText: 'Jana Becker' }).waitFor();
    await tobias.page.getByRole('img', { name: 'Jana Becker – in „Ausgangslage und Problem“' }).waitFor();
    await tobias.page.getByRole('navigation', { name: 'Inhalt' }).locator('.toc__here[title*="Jana Becker"] .avatar', { hasText: 'JB' }).waitFor();

    // A structured part: Tobias fills in a header field, Jana sees it.
    await tobias.page.getByLabel('Aktenzeichen').fill('SC-0815/2026');
    await jana.page.waitForFunction(() => (document.getElementById('header-aktenzeichen') as HTMLInputElement | null)?.value === 'SC-0815/2026');

    // He picks an involved department; Jana's Mitzeichnung gets its open row at once.
    const mitzeichnung = jana.page.locator('#abschnitt-mitzeichnung');
    await mitzeichnung.getByText('Keine beteiligten Dienststellen eingetragen. Sie werden im Kopf unter „Beteiligte Dienststellen“ eingetragen.').waitFor();
    await tobias.page.getByRole('group', { name: 'Beteiligte Dienststellen' }).getByRole('checkbox', { name: 'Kämmerei' }).check();
    await mitzeichnung.getByRole('row', { name: 'Kämmerei ausstehend' }).waitFor();

    // The server reports the edits stored; both pages say so.
    for (const user of [jana, tobias]) await user.page.locator('.status[data-save="saved"]', { hasText: /gespeichert um/ }).waitFor();

    await jana.page.reload();
    await openDossier(jana.page, suite.server.url, dossierId);
    await waitForText(jana, 'ausgangslage', 'Die Pegel-Warnung schützt die Altstadtkeller.', 'Die Kämmerei prüft die Folgekosten.', 'Ergänzung.');
    await waitForText(jana, 'alternativen', 'Ohne Verstetigung endet der Betrieb am 31.12.');

    // Stored on the server, not only held in memory: a restarted server serves the same text.
    const expected = await textOf(jana, 'ausgangslage');
    await jana.context.close();
    await tobias.context.close();
    await suite.server.close();
    suite.server = await startTestServer({ clientDir: suite.clientDir, dataDir: suite.server.dataDir });
    const meier = await openAs(suite.browser, suite.server.url, users.viewer);
    await openDossier(meier.page, suite.server.url, dossierId);
    await expect(textOf(meier, 'ausgangslage')).resolves.toBe(expected);
    await expect(meier.page.getByLabel('Aktenzeichen').inputValue()).resolves.toBe('SC-0815/2026');

    expect([...jana.errors, ...tobias.errors, ...meier.errors]).toEqual([]);
    await meier.context.close();
  }, 120_000);
});
