/**
 * GET /api/search against a real server and SQLite file (FTS5): a word that stands only in a
 * section's body is found with its passage, the index follows later stores, the answer holds
 * only Vorlagen the user may see, and odd queries never fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentName, headerRoots } from '../../dossier/layout';
import type { SearchAnswer } from '../../dossier/rest';
import { api, createTestDossier, login, startTestServer, TestClient, typeInto, users, type Session, type TestServer } from '../support/server';

let server: TestServer;
let lead: Session;
let dossierId: string;
let hiddenId: string;
let client: TestClient;

/** Types into a section of a dossier and waits until the server has stored it. */
async function write(id: string, sectionId: string, text: string) {
  const name = documentName(id, sectionId);
  if (!client.providers.has(name)) {
    client.open(name);
    await client.synced(name);
  }
  typeInto(client.doc(name), text);
  await client.storedAll(name);
}

const search = async (query: string, session: Session = lead) => {
  const { status, body } = await api(server.url, `/api/search?q=${encodeURIComponent(query)}`, { session });
  return { status, body: body as SearchAnswer & { error?: string } };
};

beforeAll(async () => {
  server = await startTestServer();
  lead = await login(server.url, users.lead);
  client = new TestClient(server.wsUrl, lead);
  dossierId = await createTestDossier(server.url, { session: lead, title: 'Verstetigung der Sensorplattform' });
  await write(dossierId, 'ausgangslage', 'Die Pegelmessstellen am Mühlbach melden seit 2024 alle zehn Minuten.');
  // the same word in a nichtöffentlich Vorlage that only the smart-city office and the Kämmerei may see
  hiddenId = await createTestDossier(server.url, { session: lead, title: 'Personalangelegenheit', involvedDepartmentIds: ['kaemmerei'] });
  const kopf = documentName(hiddenId, 'kopf');
  client.open(kopf);
  await client.synced(kopf);
  headerRoots(client.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
  await client.storedAll(kopf);
  await write(hiddenId, 'ausgangslage', 'Vertraulich: Pegelmessstellen werden neu ausgeschrieben.');
});
afterAll(async () => {
  client?.destroy();
  await server?.close();
});

describe('GET /api/search', () => {
  it('finds a word that stands only in a section body, as the start of a word, with its passage marked', async () => {
    const { status, body } = await search('pegelmess');
    expect(status).toBe(200);
    expect(body.terms).toEqual(['pegelmess']);
    const result = body.results.find((r) => r.dossierId === dossierId);
    expect(result?.hits[0]).toMatchObject({ sectionId: 'ausgangslage', sectionTitle: expect.any(String) });
    const passage = result!.hits[0]!.passage;
    expect(passage.filter((part) => part.match).map((part) => part.text)).toEqual(['Pegelmessstellen']);
    expect(passage.map((part) => part.text).join('')).toContain('am Mühlbach melden');
    // every word must match: a second word that is not there finds nothing
    expect((await search('Pegelmessstellen Hochwasserrückhaltebecken')).body.results).toEqual([]);
    // accents and case are ignored
    expect((await search('MUHLBACH')).body.results.map((r) => r.dossierId)).toContain(dossierId);
  });

  it('follows later changes: a new word is found once stored, a removed one no longer', async () => {
    expect((await search('Schleusenwärter')).body.results).toEqual([]);
    await write(dossierId, 'alternativen', 'Der Schleusenwärter liest die Werte ab.');
    expect((await search('Schleusenwärter')).body.results.map((r) => r.dossierId)).toEqual([dossierId]);
    // the text replaced (a deletion alone would not advance this client's clock, which storedAll waits for)
    const name = documentName(dossierId, 'alternativen');
    const fragment = client.doc(name).getXmlFragment('content');
    client.doc(name).transact(() => fragment.delete(0, fragment.length));
    await write(dossierId, 'alternativen', 'Eine Fischtreppe ersetzt die Schleuse.');
    expect((await search('Fischtreppe')).body.results.map((r) => r.dossierId)).toEqual([dossierId]);
    expect((await search('Schleusenwärter')).body.results).toEqual([]);
  });

  it('answers only with Vorlagen the user may see', async () => {
    expect((await search('Pegelmessstellen')).body.results.map((r) => r.dossierId).sort()).toEqual([dossierId, hiddenId].sort());
    const finance = await login(server.url, users.finance);
    expect((await search('Pegelmessstellen', finance)).body.results.map((r) => r.dossierId).sort()).toEqual([dossierId, hiddenId].sort());
    const legal = await login(server.url, users.legal);
    const forLegal = await search('Pegelmessstellen', legal);
    expect(forLegal.body.results.map((r) => r.dossierId)).toEqual([dossierId]);
    expect(JSON.stringify(forLegal.body)).not.toContain('Vertraulich');
    // a councillor reads released Vorlagen only: a draft is not found
    const councillor = await login(server.url, users.reader);
    expect((await search('Pegelmessstellen', councillor)).body.results).toEqual([]);
  });

  it('takes any text as words, never as query syntax, and says what is wrong with a missing or over-long query', async () => {
    for (const query of ['"Pegel', 'Pegel* OR NEAR(a b)', 'pegel AND -mühlbach', '^Pegel:', '()', '"""']) {
      const { status, body } = await search(query);
      expect(status, query).toBe(200);
      expect(Array.isArray(body.results), query).toBe(true);
    }
    expect((await search('pe')).body).toEqual({ terms: [], results: [] });
    // the shortest query is three letters, spaces around them do not count
    expect((await search(' pe ')).body).toEqual({ terms: [], results: [] });
    expect((await search('peg')).body.terms).toEqual(['peg']);
    // at most 200 characters
    expect((await search(`Pegel ${'x'.repeat(194)}`)).status).toBe(200);
    const missing = await api(server.url, '/api/search', { session: lead });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/Suchbegriff/);
    const long = await search('x'.repeat(201));
    expect(long.status).toBe(400);
    expect(long.body.error).toBe('Der Suchbegriff ist zu lang (höchstens 200 Zeichen).');
    const anonymous = await fetch(`${server.url}/api/search?q=Pegel`);
    expect(anonymous.status).toBe(401);
  });
});
