/**
 * A lost connection for real: one browser reaches the server through a TCP
 * proxy that the test cuts and restores. Edits made while cut off stay in the
 * page and in this browser's local copy, the page says so, and after
 * reconnecting — or after closing the tab and opening the dossier again —
 * both browsers converge with nothing lost.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDossier, login, TestClient, typeInto, users, waitFor } from '../support/server';
import { browserSuite, newTab, openAs, openDossier, TcpProxy, textOf, typeAtEnd, waitForText } from './support';

const suite = browserSuite();
let proxy: TcpProxy;
beforeAll(async () => {
  proxy = new TcpProxy(suite.server.port);
  await proxy.start();
});
afterAll(() => proxy?.close());

/** A section as the server has stored it, as JSON text. */
async function storedSection(dossierId: string, sectionId: string): Promise<string> {
  const { body } = await api(suite.server.url, `/api/dossiers/${dossierId}`, { session: await login(suite.server.url, users.leadColleague) });
  return JSON.stringify(body.sections.find((s: { id: string }) => s.id === sectionId).content);
}

/**
 * Barrier before asserting that an edit did not reach the server or Tobias: the server has stored his later
 * edit and told his page so — anything it had received before would have reached both by then.
 */
async function storedAfter(dossierId: string, tobias: { page: Page }, sectionId: string, text: string): Promise<string> {
  await waitFor(async () => (await storedSection(dossierId, sectionId)).includes(text), { message: `${text} was not stored` });
  await tobias.page.locator('.status[data-save="saved"]').waitFor();
  return storedSection(dossierId, sectionId);
}

/** A new dossier opened by Jana through the proxy (which the test can cut) and by Tobias directly. */
async function janaBehindProxyTobiasDirect() {
  const dossierId = await createTestDossier(suite.server.url);
  const jana = await openAs(suite.browser, suite.server.url, users.lead);
  const tobias = await openAs(suite.browser, suite.server.url, users.leadColleague);
  await openDossier(jana.page, proxy.url, dossierId);
  await openDossier(tobias.page, suite.server.url, dossierId);
  return { dossierId, jana, tobias };
}

describe('offline edits', () => {
  it('keeps edits made while the connection is cut and merges them on reconnect', async () => {
    const { dossierId, jana, tobias } = await janaBehindProxyTobiasDirect();

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
    // While cut off, Jana's page keeps her edits, in this browser too, and says so; Tobias cannot have them.
    await jana.page.locator('.status[data-save="local"]', { hasText: 'in diesem Browser gesichert' }).waitFor();
    expect(await storedAfter(dossierId, tobias, 'ausgangslage', 'Tobias war online.')).not.toContain('Offline geschrieben.');
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

  it('keeps edits in this browser when the tab is closed while offline, and sends them when the dossier is opened again', async () => {
    const { dossierId, jana, tobias } = await janaBehindProxyTobiasDirect();
    const section = `${dossierId}/zielgruppen`;

    await typeAtEnd(jana.page, 'zielgruppen', 'Schulen und Vereine.');
    await waitForText(tobias, 'zielgruppen', 'Schulen und Vereine.');
    await jana.page.locator('.status[data-save="saved"]').waitFor();
    // what the server has stored is not kept in the browser (the copy written while typing goes right after the store)
    await waitFor(async () => (await localCopies(jana.page)).length === 0, { message: 'the local copy was not deleted after the server stored it' });

    proxy.pause();
    await jana.page.locator('.status[data-connection="offline"]').waitFor();
    await typeAtEnd(jana.page, 'zielgruppen', ' Offline ergänzt.');
    await jana.page.locator('.status[data-save="local"]', { hasText: 'in diesem Browser gesichert' }).waitFor();
    await expect(localCopies(jana.page)).resolves.toEqual([section]);

    // She closes the tab while still cut off; nothing would be lost, so the page does not object.
    const dialogs: string[] = [];
    jana.page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    const closed = jana.page.waitForEvent('close');
    await jana.page.close({ runBeforeUnload: true });
    await closed;
    expect(dialogs).toEqual([]);
    await typeAtEnd(tobias.page, 'wirkung', 'Nach dem Schließen.');
    await storedAfter(dossierId, tobias, 'wirkung', 'Nach dem Schließen.');
    expect(await storedSection(dossierId, 'zielgruppen')).not.toContain('Offline ergänzt.');
    await expect(textOf(tobias, 'zielgruppen')).resolves.not.toContain('Offline ergänzt.');

    // The network is back; she opens the dossier again: her edit is merged in, sent, stored, and the copy is gone.
    proxy.resume();
    jana.page = await newTab(jana.context, jana.errors);
    await openDossier(jana.page, proxy.url, dossierId);
    await waitForText(jana, 'zielgruppen', 'Schulen und Vereine. Offline ergänzt.');
    await waitForText(tobias, 'zielgruppen', 'Schulen und Vereine. Offline ergänzt.');
    await jana.page.locator('.status[data-save="saved"]').waitFor();
    await waitFor(async () => (await localCopies(jana.page)).length === 0, { message: 'the local copy was not deleted after the server stored it' });

    // Signing out deletes whatever copies of hers are left in this browser, and only hers.
    const janaId = await jana.page.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { user: { id: string } }).user.id);
    const leftovers = [`${janaId}\n${dossierId}/betreibermodell`, `ein-anderer-benutzer\n${section}`];
    await jana.page.evaluate(putLocalCopies, leftovers);
    await expect(localCopyKeys(jana.page)).resolves.toEqual([...leftovers].sort());
    await jana.page.getByRole('button', { name: 'Abmelden' }).click();
    await jana.page.waitForURL(/\/login/);
    await expect(localCopyKeys(jana.page)).resolves.toEqual([`ein-anderer-benutzer\n${section}`]);

    expect([...jana.errors, ...tobias.errors]).toEqual([]);
    await jana.context.close();
    await tobias.context.close();
  }, 120_000);

  it('keeps what two tabs of the same user wrote offline in the same section, both closed before the network is back', async () => {
    const { dossierId, jana, tobias } = await janaBehindProxyTobiasDirect();
    const second = await newTab(jana.context, jana.errors);
    await openDossier(second, proxy.url, dossierId);

    proxy.pause();
    for (const page of [jana.page, second]) await page.locator('.status[data-connection="offline"]').waitFor();
    await typeAtEnd(jana.page, 'betreibermodell', 'Aus dem ersten Tab.');
    await typeAtEnd(second, 'betreibermodell', 'Aus dem zweiten Tab.');
    for (const page of [jana.page, second]) await page.locator('.status[data-save="local"]').waitFor();
    for (const page of [jana.page, second]) await page.close();

    proxy.resume();
    jana.page = await newTab(jana.context, jana.errors);
    await openDossier(jana.page, proxy.url, dossierId);
    await waitForText(jana, 'betreibermodell', 'Aus dem ersten Tab.', 'Aus dem zweiten Tab.');
    await waitForText(tobias, 'betreibermodell', 'Aus dem ersten Tab.', 'Aus dem zweiten Tab.');
    await jana.page.locator('.status[data-save="saved"]').waitFor();
    await waitFor(async () => (await localCopies(jana.page)).length === 0, { message: 'the local copy was not deleted after the server stored it' });

    expect([...jana.errors, ...tobias.errors]).toEqual([]);
    await jana.context.close();
    await tobias.context.close();
  }, 120_000);

  it('says so when offline edits can no longer be saved because write access was taken away meanwhile, and lets the user discard them', async () => {
    const { dossierId, jana, tobias } = await janaBehindProxyTobiasDirect();
    await typeAtEnd(jana.page, 'zielgruppen', 'Gespeichert.');
    await waitForText(tobias, 'zielgruppen', 'Gespeichert.');
    await jana.page.locator('.status[data-save="saved"]').waitFor();

    proxy.pause();
    await jana.page.locator('.status[data-connection="offline"]').waitFor();
    await typeAtEnd(jana.page, 'zielgruppen', ' Nicht mehr erlaubt.');
    await jana.page.locator('.status[data-save="local"]').waitFor();

    // While she is cut off, the administration takes her author role (she keeps seeing the draft as a signatory).
    const admin = await login(suite.server.url, users.admin);
    const janaId = (await login(suite.server.url, users.lead)).user.id;
    const setRoles = (roles: string[]) => api(suite.server.url, `/api/users/${janaId}`, { method: 'PATCH', json: { roles }, session: admin });
    expect((await setRoles(['signatory'])).status).toBe(200);
    try {
      proxy.resume();
      const notice = jana.page.locator('#abschnitt-zielgruppen [role="alert"]', {
        hasText: 'Ihre Änderungen an diesem Abschnitt können nicht mehr gespeichert werden',
      });
      await notice.waitFor();
      await jana.page.locator('#abschnitt-zielgruppen .badge--readonly').waitFor();
      // Barrier: an edit sent after the refusal reaches Tobias (and Jana); had the server taken hers, it would have come first.
      const colleague = new TestClient(suite.server.wsUrl, await login(suite.server.url, users.leadColleague));
      const zielgruppen = `${dossierId}/zielgruppen`;
      colleague.open(zielgruppen);
      await colleague.synced(zielgruppen);
      typeInto(colleague.doc(zielgruppen), ' Nach der Sperre.');
      await colleague.storedAll(zielgruppen);
      colleague.destroy();
      await waitForText(tobias, 'zielgruppen', 'Nach der Sperre.');
      await waitForText(jana, 'zielgruppen', 'Nach der Sperre.');
      expect(await storedSection(dossierId, 'zielgruppen')).not.toContain('Nicht mehr erlaubt.');
      await expect(textOf(jana, 'zielgruppen')).resolves.toContain('Nicht mehr erlaubt.');
      await expect(textOf(tobias, 'zielgruppen')).resolves.not.toContain('Nicht mehr erlaubt.');
      const screenshots = join(tmpdir(), 'ratsdossier-screenshots');
      mkdirSync(screenshots, { recursive: true });
      await jana.page.locator('#abschnitt-zielgruppen').screenshot({ path: join(screenshots, 'unsavable.png') });
      // only the sections with such edits say so
      await expect(jana.page.locator('[role="alert"]', { hasText: 'können nicht mehr gespeichert werden' }).count()).resolves.toBe(1);

      const reloaded = jana.page.waitForEvent('load');
      await notice.getByRole('button', { name: 'Änderungen verwerfen' }).click();
      await reloaded;
      await jana.page.locator('.status[data-connection="connected"]').waitFor();
      await waitForText(jana, 'zielgruppen', 'Gespeichert.');
      await expect(textOf(jana, 'zielgruppen')).resolves.not.toContain('Nicht mehr erlaubt.');
      await expect(jana.page.locator('[role="alert"]', { hasText: 'können nicht mehr gespeichert werden' }).count()).resolves.toBe(0);
      await expect(localCopies(jana.page)).resolves.toEqual([]);
    } finally {
      await setRoles(['author']);
    }

    expect([...jana.errors, ...tobias.errors]).toEqual([]);
    await jana.context.close();
    await tobias.context.close();
  }, 120_000);
});

/** In the page: every key of the local copies (user id, newline, document name). */
function localCopyKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('ratsdossier');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('sections')) return resolve([]);
          const request = db.transaction('sections').objectStore('sections').getAllKeys();
          request.onsuccess = () => {
            db.close();
            resolve((request.result as string[]).sort());
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

/** In the page: puts (empty) local copies under these keys. */
function putLocalCopies(keys: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('ratsdossier');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const transaction = db.transaction('sections', 'readwrite');
      // an empty Yjs update
      for (const key of keys) transaction.objectStore('sections').put(new Uint8Array([0, 0]), key);
      transaction.oncomplete = () => {
        db.close();
        resolve();
      };
      transaction.onerror = () => reject(transaction.error);
    };
  });
}

/** The document names of the local copies this browser keeps. */
async function localCopies(page: Page): Promise<string[]> {
  return (await localCopyKeys(page)).map((key) => key.split('\n')[1]!);
}
