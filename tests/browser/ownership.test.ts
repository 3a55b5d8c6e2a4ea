/**
 * Section ownership as a finance user sees it in the browser: the problem
 * section is read-only and marked so, the budget section's statement is
 * editable and what is typed there reaches the server.
 */
import { describe, expect, it } from 'vitest';
import { api, createTestDossier, login, users, waitFor } from '../support/server';
import { browserSuite, openAs, openDossier } from './support';

const suite = browserSuite();

describe('section ownership in the browser', () => {
  it('shows a finance user the problem section read-only and lets them write the budget section', async () => {
    const dossierId = await createTestDossier(suite.server.url);
    const sabine = await openAs(suite.browser, suite.server.url, users.finance);
    const { page } = sabine;
    await openDossier(page, suite.server.url, dossierId);

    const problem = page.locator('#abschnitt-ausgangslage');
    await expect(problem.locator('.ProseMirror').getAttribute('contenteditable')).resolves.toBe('false');
    await expect(problem.locator('.badge--readonly').textContent()).resolves.toBe('nur lesen');
    await expect(problem.locator('[role="toolbar"]').count()).resolves.toBe(0);
    // typing into it changes nothing
    await problem.locator('.ProseMirror').click();
    await page.keyboard.type('Darf die Kämmerei nicht schreiben.');
    await expect(problem.locator('.ProseMirror').textContent()).resolves.not.toContain('Darf die Kämmerei nicht schreiben.');

    const budget = page.locator('#abschnitt-finanzen');
    await expect(budget.locator('.badge--readonly').count()).resolves.toBe(0);
    const statement = budget.locator('.ProseMirror');
    await expect(statement.getAttribute('contenteditable')).resolves.toBe('true');
    await statement.click();
    await page.keyboard.type('Die Kämmerei hat die Kosten geprüft.');
    await page.locator('.status[data-save="saved"]', { hasText: /gespeichert um/ }).waitFor();

    const lead = await login(suite.server.url, users.lead);
    await waitFor(
      async () => {
        const { body } = await api(suite.server.url, `/api/dossiers/${dossierId}`, { session: lead });
        const sections = body.sections as { id: string; content: unknown }[];
        return JSON.stringify(sections.find((s) => s.id === 'finanzen')!.content).includes('Die Kämmerei hat die Kosten geprüft.');
      },
      { message: 'the statement did not reach the server' },
    );
    const { body } = await api(suite.server.url, `/api/dossiers/${dossierId}`, { session: lead });
    expect(JSON.stringify(body.sections.find((s: { id: string }) => s.id === 'ausgangslage').content)).not.toContain('Kämmerei');

    expect(sabine.errors).toEqual([]);
    await sabine.context.close();
  }, 60_000);
});
