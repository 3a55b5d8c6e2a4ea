/**
 * A lost connection for real: one browser reaches the server through a TCP
 * proxy that the test cuts and restores. Edits made while cut off stay in the
 * page, the page says so, and after reconnecting both browsers converge with
 * nothing lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDossier, users } from '../support/server';
import { browserSuite, openAs, openDossier, TcpProxy, textOf, typeAtEnd, waitForText } from './support';

const suite = browserSuite();
let proxy: TcpProxy;
beforeAll(async () => {
  proxy = new TcpProxy(suite.server.port);
  await proxy.start();
});
afterAll(() => proxy?.close());


describe('offline edits', () => {
  it('keeps edits made while the connection is cut and merges them on reconnect', async () => {
    const dossierId = await createTestDossier(suite.server.url);
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    const tobias = await openAs(suite.browser, suite.server.url, users.leadColleague);
    await openDossier(jana.page, proxy.url, dossierId);
    await openDossier(tobias.page, suite.server.url, dossierId);

    await typeAtEnd(jana.page, 'ausgangslage', 'Vor der Trennung.');
    await waitForText(tobias, 'ausgangslage', 'Vor der Trennung.');

    proxy.pause();
    await jana.page.locator('.status[data-connection="offline"]', { hasText: 'offline – Änderungen werden synchronisiert' }).waitFor();

    // Both go on writing: Jana cut off, Tobias connected, in the same section and elsewhere.
    await typeAtEnd(jana.page, 'ausgangslage', ' Offline geschrieben.');
    await typeAtEnd(jana.page, 'betreibermodell', 'Betrieb durch den kommunalen IT-Dienstleister.');
    await jana.page.getByLabel('Aktenzeichen').fill('SC-0231/2026');
    await typeAtEnd(tobias.page, 'ausgangslage', ' Tobias war online.');
    await waitForText(jana, 'ausgangslage', 'Offline geschrieben.');
    // While cut off, Jana's page keeps her edits and says they are not saved; Tobias cannot have them.
    await jana.page.locator('.status[data-save="pending"]', { hasText: 'nicht gespeichert' }).waitFor();
    await expect(textOf(tobias, 'ausgangslage')).resolves.not.toContain('Offline geschrieben.');
    await expect(textOf(jana, 'ausgangslage')).resolves.not.toContain('Tobias war online.');

    proxy.resume();
    await jana.page.locator('.status[data-connection="connected"]').waitFor({ timeout: 30_000 });
    for (const user of [jana, tobias]) {
      await waitForText(user, 'ausgangslage', 'Vor der Trennung.', 'Offline geschrieben.', 'Tobias war online.');
      await waitForText(user, 'betreibermodell', 'Betrieb durch den kommunalen IT-Dienstleister.');
    }
    await tobias.page.waitForFunction(() => (document.getElementById('header-aktenzeichen') as HTMLInputElement | null)?.value === 'SC-0231/2026');
    await expect(textOf(jana, 'ausgangslage')).resolves.toBe(await textOf(tobias, 'ausgangslage'));
    await jana.page.locator('.status[data-save="saved"]', { hasText: 'gespeichert' }).waitFor();

    expect([...jana.errors, ...tobias.errors]).toEqual([]);
    await jana.context.close();
    await tobias.context.close();
  }, 120_000);
});
