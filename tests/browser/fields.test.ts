/**
 * Short form fields and undo, in two browsers: two people typing into the same
 * Kopf field at once never store an interleaving (one of them holds the field,
 * the other sees it taken, with the holder's name); each sees the other in the
 * field. Undo takes back the last sentence, in rich text and in a field, and
 * never another user's text.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, createTestDossier, login, users, waitFor, type Session } from '../support/server';
import { browserSuite, openAs, openDossier, placeCaret, textOf, waitForText, type User } from './support';

const suite = browserSuite();

const headerInput = (page: Page, fieldId: string) => page.locator(`#header-${fieldId}`);
const editorsOn = (page: Page, fieldId: string) => page.locator(`.shared-field[data-field-key="${fieldId}"] .shared-field__editors`);

async function storedHeader(session: Session, dossierId: string): Promise<Record<string, unknown>> {
  const { body } = await api(suite.server.url, `/api/dossiers/${dossierId}`, { session });
  return (body.sections as { id: string; content: { fields: Record<string, unknown> } }[]).find((s) => s.id === 'kopf')!.content.fields;
}

async function waitForValue(user: User, fieldId: string, expected: string): Promise<void> {
  let value = '';
  await waitFor(
    async () => {
      value = await headerInput(user.page, fieldId).inputValue();
      return value === expected;
    },
    { timeout: 15_000, message: () => `${user.name} sees "${value}" in ${fieldId}, not "${expected}"` },
  );
}

async function waitForExactText(user: User, expected: string): Promise<void> {
  let text = '';
  await waitFor(
    async () => {
      text = await textOf(user, 'ausgangslage');
      return text === expected;
    },
    { timeout: 15_000, message: () => `${user.name} sees "${text}", not "${expected}"` },
  );
}

describe('form fields two people may edit', () => {
  it('stores one person’s text when two type into the same field at once, and shows each the other in it', async () => {
    const dossierId = await createTestDossier(suite.server.url);
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    const tobias = await openAs(suite.browser, suite.server.url, users.leadColleague);
    await Promise.all([openDossier(jana.page, suite.server.url, dossierId), openDossier(tobias.page, suite.server.url, dossierId)]);

    const texts = new Map([
      [jana, 'Bürgermeisterin Dr. Kraus'],
      [tobias, 'Referent für Digitales Schulz'],
    ]);
    await Promise.all(
      [jana, tobias].map(async (user) => {
        await headerInput(user.page, 'berichterstattung').focus();
        await user.page.keyboard.type(texts.get(user)!, { delay: 20 });
      }),
    );

    // Both still in the field: each sees the other's name on it; exactly one of them may type.
    await editorsOn(jana.page, 'berichterstattung').filter({ hasText: tobias.name }).waitFor();
    await editorsOn(tobias.page, 'berichterstattung').filter({ hasText: jana.name }).waitFor();
    const readOnly = await Promise.all([jana, tobias].map((user) => headerInput(user.page, 'berichterstattung').getAttribute('readonly')));
    expect(readOnly.filter((attribute) => attribute !== null)).toHaveLength(1);
    const holder = readOnly[0] === null ? jana : tobias;
    const other = holder === jana ? tobias : jana;
    await expect(other.page.locator('.shared-field[data-field-key="berichterstattung"]').getAttribute('class')).resolves.toContain('shared-field--taken');

    // Everyone ends with the holder's text, never a mix of both; the server stores it.
    const winner = texts.get(holder)!;
    await Promise.all([waitForValue(jana, 'berichterstattung', winner), waitForValue(tobias, 'berichterstattung', winner)]);
    const lead = await login(suite.server.url, users.lead);
    await waitFor(async () => (await storedHeader(lead, dossierId)).berichterstattung === winner, {
      timeout: 15_000,
      message: 'the holder’s text was not stored',
    });

    // The holder leaves: the field passes to the other, who was waiting in it, and who may now add to it.
    await holder.page.keyboard.press('Tab');
    await waitFor(async () => (await headerInput(other.page, 'berichterstattung').getAttribute('readonly')) === null, {
      message: 'the field did not pass to the one waiting in it',
    });
    await other.page.keyboard.press('End');
    await other.page.keyboard.type(' (Vertretung)');
    await waitForValue(holder, 'berichterstattung', `${winner} (Vertretung)`);

    for (const user of [jana, tobias]) expect(user.errors).toEqual([]);
    await jana.context.close();
    await tobias.context.close();
  }, 180_000);

  it('undoes the last sentence, in rich text and in a field, and never another user’s text', async () => {
    const dossierId = await createTestDossier(suite.server.url);
    const jana = await openAs(suite.browser, suite.server.url, users.lead);
    const tobias = await openAs(suite.browser, suite.server.url, users.leadColleague);
    await Promise.all([openDossier(jana.page, suite.server.url, dossierId), openDossier(tobias.page, suite.server.url, dossierId)]);

    // Rich text: Jana types two sentences at a normal pace while Tobias writes at the start of the same paragraph.
    await placeCaret(jana.page, 'ausgangslage', 'end');
    await jana.page.keyboard.type('Vorab.');
    await waitForText(tobias, 'ausgangslage', 'Vorab.');
    await placeCaret(tobias.page, 'ausgangslage', 'start');
    await Promise.all([
      jana.page.keyboard.type(' Der Rat tagt am Montag. Die Sitzung ist öffentlich.', { delay: 30 }),
      tobias.page.keyboard.type('Hinweis von Tobias. ', { delay: 30 }),
    ]);
    const full = 'Hinweis von Tobias. Vorab. Der Rat tagt am Montag. Die Sitzung ist öffentlich.';
    for (const user of [jana, tobias]) await waitForText(user, 'ausgangslage', full);

    await jana.page.keyboard.press('Control+z');
    for (const user of [jana, tobias]) await waitForExactText(user, 'Hinweis von Tobias. Vorab. Der Rat tagt am Montag. ');
    await jana.page.keyboard.press('Control+z');
    await waitForExactText(tobias, 'Hinweis von Tobias. Vorab. ');
    // Jana's undo reaches back only to her own typing: Tobias's sentence stays whatever she undoes
    for (let i = 0; i < 5; i += 1) await jana.page.keyboard.press('Control+z');
    await jana.page.keyboard.type('Neu.');
    await waitFor(async () => (await textOf(tobias, 'ausgangslage')).includes('Neu.'), { message: 'Jana’s new text did not arrive' });
    expect(await textOf(tobias, 'ausgangslage')).toContain('Hinweis von Tobias. ');

    // A field: the same steps.
    await headerInput(jana.page, 'aktenzeichen').focus();
    await jana.page.keyboard.type('Akte eins. Akte zwei.', { delay: 30 });
    await waitForValue(tobias, 'aktenzeichen', 'Akte eins. Akte zwei.');
    await jana.page.keyboard.press('Control+z');
    await waitForValue(tobias, 'aktenzeichen', 'Akte eins. ');
    await expect(headerInput(jana.page, 'aktenzeichen').inputValue()).resolves.toBe('Akte eins. ');
    await jana.page.keyboard.press('Control+y');
    await waitForValue(tobias, 'aktenzeichen', 'Akte eins. Akte zwei.');
    await jana.page.keyboard.press('Control+z');
    await waitForValue(tobias, 'aktenzeichen', 'Akte eins. ');
    await jana.page.keyboard.press('Tab');

    // Tobias adds to the field after her; her undo afterwards leaves his text alone.
    await headerInput(tobias.page, 'aktenzeichen').focus();
    await tobias.page.keyboard.press('End');
    await tobias.page.keyboard.type('Nachtrag von Tobias.');
    await tobias.page.keyboard.press('Tab');
    await waitForValue(jana, 'aktenzeichen', 'Akte eins. Nachtrag von Tobias.');
    await headerInput(jana.page, 'aktenzeichen').focus();
    for (let i = 0; i < 3; i += 1) await jana.page.keyboard.press('Control+z');
    await jana.page.keyboard.press('End');
    await jana.page.keyboard.type(' Ende.');
    await waitForValue(tobias, 'aktenzeichen', 'Akte eins. Nachtrag von Tobias. Ende.');

    for (const user of [jana, tobias]) expect(user.errors).toEqual([]);
    await jana.context.close();
    await tobias.context.close();
  }, 180_000);
});
