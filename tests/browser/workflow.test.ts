/**
 * The workflow in the browser: the lead starts co-signing, a signatory of the
 * finance office signs what its page shows, sees the lead's later change void
 * the signature and signs again; the clerk sees the checklist, releases, the
 * open editor of another user turns read-only without a reload, and the clerk
 * downloads the final PDF and finds the version in the version list.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createDossier } from '../../server/dossiers/create';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';
import { DEMO_TEMPLATE_ID } from '../../server/demo/seed';
import { loadTemplates } from '../../server/templates/loader';
import { api, createTestUser, login, projectRoot, TestClient, typeInto, users, waitFor } from '../support/server';
import { axeViolations, browserSuite, editorOf, openAs, openDossier, typeAtEnd } from './support';

const suite = browserSuite();

/** A complete dossier (the demo's texts) led by the smart-city office, the finance office involved; nothing signed yet. */
async function completeDossier(): Promise<string> {
  const template = (await loadTemplates(join(projectRoot, 'templates'))).get(DEMO_TEMPLATE_ID)!;
  const { mitzeichnung: _seededByTheServer, ...contents } = demoContents;
  const dossier = await createDossier(suite.server.storage, template, {
    title: 'Verstetigung der Sensorplattform',
    contents,
    leadDepartmentId: 'smart-city',
    involvedDepartmentIds: ['kaemmerei'],
  });
  return dossier.id;
}

const panel = (page: Page) => page.getByRole('region', { name: 'Mitzeichnung und Freigabe' });
const departmentState = (page: Page, department: string) => panel(page).locator('.department-state').filter({ hasText: department });

describe('workflow in the browser', () => {
  it('signs what the page shows, signs again after a change, releases, turns open editors read-only and downloads the final PDF', async () => {
    const dossierId = await completeDossier();
    const leadSession = await login(suite.server.url, users.lead);
    const signatorySession = await createTestUser(suite.server.url, { departmentId: 'kaemmerei', roles: ['signatory'] });

    // the lead starts co-signing from the panel
    const lead = await openAs(suite.browser, suite.server.url, leadSession);
    await openDossier(lead.page, suite.server.url, dossierId);
    await panel(lead.page).getByRole('button', { name: 'Mitzeichnung starten' }).click();
    await panel(lead.page).getByText('In Mitzeichnung', { exact: true }).waitFor();

    // the clerk's checklist: the missing signature is an error, marked in words, and blocks the release
    const clerk = await openAs(suite.browser, suite.server.url, users.clerk);
    await openDossier(clerk.page, suite.server.url, dossierId);
    await panel(clerk.page).getByRole('button', { name: 'Prüfen und freigeben' }).click();
    const release = clerk.page.getByRole('dialog', { name: 'Prüfen und freigeben' });
    await release.getByText(/^Noch nicht freigabereif/).waitFor();
    const blocking = release.locator('.checklist__item--error');
    await expect(blocking.first().textContent()).resolves.toMatch(/^✗Fehler:.*Kämmerei/);
    await expect(release.getByRole('button', { name: 'Freigeben' }).isDisabled()).resolves.toBe(true);
    await clerk.page.screenshot({ path: '/tmp/workflow-checklist-blocked.png' });
    expect(await axeViolations(clerk.page)).toEqual([]);
    await release.getByRole('button', { name: 'Abbrechen' }).click();

    // the signatory sees the department pending and what it signs
    const signer = await openAs(suite.browser, suite.server.url, signatorySession);
    await openDossier(signer.page, suite.server.url, dossierId);
    await departmentState(signer.page, 'Kämmerei').filter({ hasText: 'ausstehend' }).waitFor();
    await panel(signer.page).screenshot({ path: '/tmp/workflow-panel-cosigning.png' });
    await panel(signer.page).getByRole('button', { name: 'Mitzeichnen', exact: true }).click();
    const dialog = signer.page.getByRole('dialog', { name: 'Mitzeichnen für Kämmerei' });
    await dialog.waitFor();
    const covered = await dialog.locator('.sign-form__sections li').allTextContents();
    expect(covered).toEqual(['Beschlussvorschlag', 'Finanzielle Auswirkungen']);
    // a remark is asked for before anything is sent
    await dialog.getByLabel('Zustimmung mit Anmerkungen').check();
    await dialog.getByRole('button', { name: 'Mitzeichnen' }).click();
    await dialog.getByText('Bitte geben Sie Ihre Anmerkungen an.').waitFor();
    await dialog.getByRole('textbox', { name: 'Anmerkungen' }).fill('Die Folgekosten sind im Haushalt 2027 einzuplanen.');
    await signer.page.screenshot({ path: '/tmp/workflow-sign-dialog.png' });
    expect(await axeViolations(signer.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Mitzeichnen' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await departmentState(signer.page, 'Kämmerei').filter({ hasText: 'mitgezeichnet mit Anmerkungen' }).waitFor();
    // the lead's page follows without a reload
    await departmentState(lead.page, 'Kämmerei').filter({ hasText: 'mitgezeichnet mit Anmerkungen' }).waitFor();
    const signed = (await api(suite.server.url, `/api/dossiers/${dossierId}/signatures`, { session: leadSession })).body as {
      departmentId: string;
      state: string;
      decision: string;
      remark: string;
    }[];
    expect(signed.find((row) => row.departmentId === 'kaemmerei')).toMatchObject({
      state: 'valid',
      decision: 'agree-with-remarks',
      remark: 'Die Folgekosten sind im Haushalt 2027 einzuplanen.',
    });

    // the lead changes a signed section (through a provider client): the signature turns invalid on the signatory's open page
    const writer = new TestClient(suite.server.wsUrl, leadSession);
    const proposal = `${dossierId}/beschlussvorschlag`;
    writer.open(proposal);
    await writer.synced(proposal);
    typeInto(writer.doc(proposal), ' Der Betrieb wird jährlich evaluiert.');
    await writer.storedAll(proposal);
    writer.destroy();
    await departmentState(signer.page, 'Kämmerei').filter({ hasText: 'ungültig – geändert: Beschlussvorschlag' }).waitFor();
    await panel(signer.page).getByText('Seit Ihrer Mitzeichnung geändert: Beschlussvorschlag.').waitFor();
    // by keyboard this time
    await panel(signer.page).getByRole('button', { name: 'Erneut mitzeichnen' }).focus();
    await signer.page.keyboard.press('Enter');
    await dialog.waitFor();
    await expect(dialog.locator('.sign-form__changed li').allTextContents()).resolves.toEqual(['Beschlussvorschlag']);
    // word by word: the lead's sentence is marked as inserted, nothing else
    await dialog.locator('ins').filter({ hasText: 'Der Betrieb wird jährlich evaluiert.' }).waitFor();
    await expect(dialog.locator('del').count()).resolves.toBe(0);
    await signer.page.screenshot({ path: '/tmp/workflow-sign-diff.png' });
    expect(await axeViolations(signer.page)).toEqual([]);
    await editorOf(signer.page, 'beschlussvorschlag').filter({ hasText: 'Der Betrieb wird jährlich evaluiert.' }).waitFor();
    await dialog.getByLabel('Zustimmung', { exact: true }).focus();
    await signer.page.keyboard.press('Space');
    await expect(dialog.getByLabel('Zustimmung', { exact: true }).isChecked()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Mitzeichnen' }).focus();
    await signer.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await departmentState(signer.page, 'Kämmerei')
      .filter({ hasText: /^Kämmerei✓mitgezeichnet$/ })
      .waitFor();

    // the clerk: checklist, Vorlagen-Nr., release
    // the lead has an editor open and writable
    await expect(editorOf(lead.page, 'ausgangslage').getAttribute('contenteditable')).resolves.toBe('true');
    await lead.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await panel(clerk.page).getByRole('button', { name: 'Prüfen und freigeben' }).click();
    await release.getByText('Die Vorlage ist vollständig und kann freigegeben werden.').waitFor();
    const items = release.getByRole('list', { name: 'Prüfliste' }).locator('li');
    expect(await items.count()).toBeGreaterThan(0);
    // every item says in words whether it is met, an error or a warning
    for (const text of await items.allTextContents()) expect(text).toMatch(/^.(Erfüllt|Fehler|Hinweis):/);
    await expect(release.locator('.checklist__item--error').count()).resolves.toBe(0);
    await clerk.page.screenshot({ path: '/tmp/workflow-release-dialog.png' });
    expect(await axeViolations(clerk.page)).toEqual([]);
    await release.getByRole('button', { name: 'Freigeben' }).click();
    // the release renders the final PDF: on a loaded machine that takes a while
    await release.getByText(/Fassung 1 ist freigegeben, Vorlagen-Nr\. VO\/\d\d\/\d{5}\/SC\./).waitFor({ timeout: 120_000 });
    await release.getByRole('button', { name: 'Schließen' }).click();

    // the lead's open editor turns read-only, without a reload, and the status follows
    await waitFor(async () => (await editorOf(lead.page, 'ausgangslage').getAttribute('contenteditable')) === 'false', {
      message: "the lead's editor did not turn read-only",
    });
    await panel(lead.page).getByText('Freigegeben', { exact: true }).waitFor();
    await expect(lead.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);

    // the clerk downloads the final PDF: the stored bytes, with the released hash
    const [versionEntry] = (await api(suite.server.url, `/api/dossiers/${dossierId}/versions`, { session: leadSession })).body as {
      version: number;
      sha256: string;
    }[];
    expect(versionEntry!.version).toBe(1);
    await panel(clerk.page).getByText(versionEntry!.sha256).waitFor();
    const [download] = await Promise.all([clerk.page.waitForEvent('download'), panel(clerk.page).getByRole('button', { name: 'Endgültiges PDF' }).click()]);
    const pdf = await readFile((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(versionEntry!.sha256);
    await panel(clerk.page).getByText('Heruntergeladen; die Prüfsumme stimmt mit der freigegebenen überein.').waitFor();
    await panel(clerk.page).screenshot({ path: '/tmp/workflow-panel-released.png' });

    // the version list
    await panel(clerk.page).getByRole('button', { name: 'Fassungen' }).click();
    const versions = clerk.page.getByRole('dialog', { name: 'Fassungen' });
    await versions.getByRole('cell', { name: versionEntry!.sha256 }).waitFor();
    await versions.getByRole('row').filter({ hasText: 'Petra Schmid' }).waitFor();
    await clerk.page.screenshot({ path: '/tmp/workflow-versions.png' });
    expect(await axeViolations(clerk.page)).toEqual([]);
    await versions.getByRole('button', { name: 'Schließen' }).click();

    // a new revision: the lead's page is writable again, and the version list compares version 1 with the draft
    await panel(lead.page).getByRole('button', { name: 'Neufassung beginnen' }).click();
    await panel(lead.page).getByText('Neufassung, wird Fassung 2').waitFor();
    await waitFor(async () => (await editorOf(lead.page, 'ausgangslage').getAttribute('contenteditable')) === 'true', {
      message: "the lead's editor did not turn writable",
    });
    await typeAtEnd(lead.page, 'ausgangslage', ' Neu: Nutzungszahlen 2026.');
    await lead.page.locator('.status[data-save="saved"]').waitFor();
    await panel(clerk.page).getByText('Entwurf', { exact: true }).waitFor();
    await panel(clerk.page).getByRole('button', { name: 'Fassungen' }).click();
    await versions.getByRole('button', { name: 'Vergleichen (Fassung 1 mit Entwurf)' }).click();
    const report = versions.getByRole('region', { name: 'Änderungen von Fassung 1 zu aktueller Entwurf' });
    await report.locator('ins').filter({ hasText: 'Neu: Nutzungszahlen 2026.' }).waitFor();
    await versions.screenshot({ path: '/tmp/workflow-versions-compare.png' });
    expect(await axeViolations(clerk.page)).toEqual([]);
    await versions.getByRole('button', { name: 'Schließen' }).click();

    // the audit log says it in words
    await clerk.page.goto(`${suite.server.url}/protokoll`);
    const log = clerk.page.locator('.audit-table tbody tr').filter({ hasText: 'Verstetigung der Sensorplattform' });
    for (const sentence of [
      'Jana Becker hat die Mitzeichnung gestartet',
      `${signer.name} hat für Kämmerei mit Anmerkungen mitgezeichnet`,
      'Die Mitzeichnung von Kämmerei ist ungültig geworden: Beschlussvorschlag geändert',
      `${signer.name} hat für Kämmerei mitgezeichnet`,
      'Petra Schmid hat die Vorlage freigegeben',
      'Jana Becker hat eine Neufassung begonnen',
      'Jana Becker hat Ausgangslage und Problem geändert',
    ]) {
      await log.filter({ hasText: sentence }).first().waitFor();
    }
    await openDossier(clerk.page, suite.server.url, dossierId);

    // at tablet width too
    await clerk.page.setViewportSize({ width: 768, height: 1000 });
    await panel(clerk.page).screenshot({ path: '/tmp/workflow-panel-tablet.png' });
    await clerk.page.screenshot({ path: '/tmp/workflow-tablet.png' });
    expect(await axeViolations(clerk.page)).toEqual([]);

    expect([...lead.errors, ...signer.errors, ...clerk.errors]).toEqual([]);
    for (const user of [lead, signer, clerk]) await user.context.close();
  }, 400_000);
});
