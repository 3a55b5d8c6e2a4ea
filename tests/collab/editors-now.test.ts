/**
 * "Who is editing now" on the dossier list, in one process: everybody with a section of the
 * dossier open, once however many sections and tabs they have open, with the sections they
 * edit (their caret is in) — and nobody once they have left. Across processes:
 * presence-across-processes.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import type { Editor } from '../../dossier/rest';
import { api, createTestDossier, login, startTestServer, TestClient, users, waitFor, type Session, type TestServer } from '../support/server';

let server: TestServer;
let lead: Session;
let reader: Session;
const clients: TestClient[] = [];
beforeAll(async () => {
  server = await startTestServer();
  lead = await login(server.url, users.lead);
  reader = await login(server.url, users.viewer);
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server.close();
});

async function opened(session: Session, ...names: string[]): Promise<TestClient> {
  const client = new TestClient(server.wsUrl, session);
  clients.push(client);
  for (const name of names) client.open(name);
  await Promise.all(names.map((name) => client.synced(name)));
  return client;
}
const editing = (client: TestClient, name: string, value: boolean) => client.providers.get(name)!.setAwarenessField('editing', value);

/** The editors of each dossier as the list shows them, sorted by name. */
async function editorsOf(...dossierIds: string[]): Promise<Editor[][]> {
  const { body } = await api(server.url, '/api/dossiers', { session: lead });
  const list = body as { id: string; editors: Editor[] }[];
  return dossierIds.map((id) => [...list.find((dossier) => dossier.id === id)!.editors].sort((a, b) => a.name.localeCompare(b.name)));
}
const summary = (editors: Editor[]) => editors.map((editor) => `${editor.name}: ${[...editor.sections].sort().join(', ')}`);

describe('who is editing now, in one process', () => {
  it('lists each person once per dossier, with the sections they edit, and drops them when they leave', async () => {
    const first = await createTestDossier(server.url, { session: lead, title: 'Verstetigung Sensorik' });
    const second = await createTestDossier(server.url, { session: lead, title: 'Parkraumkonzept' });
    const [ausgangslage, betreff, other] = [documentName(first, 'ausgangslage'), documentName(first, 'betreff'), documentName(second, 'ausgangslage')];

    const tab = await opened(lead, ausgangslage, betreff);
    const secondTab = await opened(lead, ausgangslage);
    const eva = await opened(reader, ausgangslage);
    editing(tab, ausgangslage, true);
    editing(tab, betreff, true);
    editing(secondTab, ausgangslage, true);
    // the reader's caret is nowhere: she publishes a state that edits nothing
    editing(eva, ausgangslage, false);
    await waitFor(async () => summary((await editorsOf(first))[0]!).length === 2 && (await editorsOf(first))[0]!.some((e) => e.sections.length === 2), {
      message: 'the editing did not show',
    });
    const [inFirst, inSecond] = await editorsOf(first, second);
    // the lead once, both sections once each; the reader, who only reads, with none
    expect(summary(inFirst!)).toEqual(['Dr. Eva Lange: ', `${lead.user.displayName}: ausgangslage, betreff`]);
    const jana = inFirst!.find((editor) => editor.id === lead.user.id)!;
    expect(jana.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(inFirst!.find((editor) => editor.id === reader.user.id)!.name).toBe(reader.user.displayName);
    expect(inSecond).toEqual([]);

    // the caret leaves a section; the other dossier gets someone
    editing(tab, betreff, false);
    const elsewhere = await opened(reader, other);
    editing(elsewhere, other, true);
    await waitFor(async () => summary((await editorsOf(second))[0]!).length === 1, { message: 'the second dossier shows nobody' });
    const [afterFirst, afterSecond] = await editorsOf(first, second);
    expect(summary(afterFirst!)).toEqual(['Dr. Eva Lange: ', `${lead.user.displayName}: ausgangslage`]);
    expect(summary(afterSecond!)).toEqual(['Dr. Eva Lange: ausgangslage']);

    // one tab of two closes: the other still shows the lead, editing
    editing(tab, betreff, true);
    await waitFor(async () => JSON.stringify(await editorsOf(first)).includes('betreff'), { message: 'the caret in Betreff did not show' });
    tab.destroy();
    await waitFor(async () => !JSON.stringify(await editorsOf(first)).includes('betreff'), { message: 'the closed tab is still listed' });
    expect(summary((await editorsOf(first))[0]!)).toEqual(['Dr. Eva Lange: ', `${lead.user.displayName}: ausgangslage`]);

    for (const client of [secondTab, eva, elsewhere]) client.destroy();
    await waitFor(async () => (await editorsOf(first, second)).every((editors) => editors.length === 0), { message: 'people who left are still shown' });
  });
});
