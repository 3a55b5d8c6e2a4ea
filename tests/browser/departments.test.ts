/**
 * Beteiligte Dienststellen in the browser: the lead picks departments from the
 * city's list with the keyboard, the Mitzeichnung names them, and a change that
 * locks a department out of a nichtöffentlich Vorlage is written only after
 * the lead confirms the dialog that names it.
 */
import { describe, expect, it } from 'vitest';
import { createTestDossier, login, users } from '../support/server';
import { axeViolations, browserSuite, openAs, openDossier } from './support';

const suite = browserSuite();

describe('Beteiligte Dienststellen', () => {
  it('are picked from the city’s departments, and taking access away asks first, naming who loses it', async () => {
    const jana = await login(suite.server.url, users.lead);
    const dossierId = await createTestDossier(suite.server.url, { session: jana, involvedDepartmentIds: ['rechtsamt'] });
    const lead = await openAs(suite.browser, suite.server.url, users.lead);
    const page = lead.page;
    await openDossier(page, suite.server.url, dossierId);
    const picker = page.getByRole('group', { name: 'Beteiligte Dienststellen' });
    const recorded = async () => (await suite.server.storage.dossiers.get(dossierId))!;

    // the city's departments, the lead's own not among them; the one given at creation is ticked
    await picker.getByRole('checkbox', { name: 'Rechtsamt' }).waitFor();
    expect(await picker.getByRole('checkbox', { name: 'Rechtsamt' }).isChecked()).toBe(true);
    expect(await picker.getByRole('checkbox', { name: 'Amt für Digitalisierung und Smart City' }).count()).toBe(0);

    // picking one with the keyboard while öffentlich takes nobody's access: written at once
    await picker.getByRole('checkbox', { name: 'Kämmerei' }).focus();
    await page.keyboard.press('Space');
    const mitzeichnung = page.locator('#abschnitt-mitzeichnung');
    await mitzeichnung.getByRole('row', { name: 'Kämmerei ausstehend' }).waitFor();
    await mitzeichnung.getByRole('row', { name: 'Rechtsamt ausstehend' }).waitFor();
    await expect.poll(async () => (await recorded()).involvedDepartmentIds).toEqual(['rechtsamt', 'kaemmerei']);

    // turning nichtöffentlich locks out every other department: the dialog names them; cancel writes nothing
    await page.getByLabel('Öffentlichkeit').selectOption('nichtoeffentlich');
    const dialog = page.getByRole('dialog', { name: 'Zugriff entziehen?' });
    await dialog.waitFor();
    const named = await dialog.getByRole('listitem').allTextContents();
    expect(named).toEqual(expect.arrayContaining(['Amt für Klimaschutz', 'Personal- und Organisationsamt', 'Stadtrat']));
    expect(named).not.toContain('Kämmerei');
    expect(named).not.toContain('Rechtsamt');
    expect(named).not.toContain('Sitzungsdienst');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'tests/.artifacts/departments-dialog.png' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByLabel('Öffentlichkeit').inputValue()).toBe('oeffentlich');
    expect((await recorded()).public).toBe(true);

    // confirmed, it is written
    await page.getByLabel('Öffentlichkeit').selectOption('nichtoeffentlich');
    await dialog.getByRole('button', { name: 'Ändern und Zugriff entziehen' }).click();
    await expect.poll(async () => (await recorded()).public).toBe(false);

    // now taking the Kämmerei off the list locks it out: asked again, naming only the Kämmerei (the box stays ticked meanwhile)
    await picker.getByRole('checkbox', { name: 'Kämmerei' }).click();
    await dialog.waitFor();
    expect(await dialog.getByRole('listitem').allTextContents()).toEqual(['Kämmerei']);
    await dialog.getByRole('button', { name: 'Abbrechen' }).click();
    expect(await picker.getByRole('checkbox', { name: 'Kämmerei' }).isChecked()).toBe(true);
    expect((await recorded()).involvedDepartmentIds).toEqual(['rechtsamt', 'kaemmerei']);
    await picker.getByRole('checkbox', { name: 'Kämmerei' }).click();
    await dialog.getByRole('button', { name: 'Ändern und Zugriff entziehen' }).click();
    await expect.poll(async () => (await recorded()).involvedDepartmentIds).toEqual(['rechtsamt']);
    await mitzeichnung.getByRole('row', { name: 'Kämmerei ausstehend' }).waitFor({ state: 'detached' });

    // adding a department gives access: no question
    await picker.getByRole('checkbox', { name: 'Amt für Klimaschutz' }).check();
    await expect.poll(async () => (await recorded()).involvedDepartmentIds).toEqual(['rechtsamt', 'klimaschutz']);
    expect(await dialog.isVisible()).toBe(false);
    expect(lead.errors).toEqual([]);
    await lead.context.close();
  }, 90_000);
});
