/**
 * What storing a section records about its dossier: the title, read as plain text from the
 * section the template names for it (the Betreff), at most 500 characters; other sections leave
 * the title alone. Real server, real providers, the dossier as the REST API then shows it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import { api, createTestDossier, login, startTestServer, TestClient, typeInto, users, type Session, type TestServer } from '../support/server';

let server: TestServer;
let lead: Session;
const clients: TestClient[] = [];
beforeAll(async () => {
  server = await startTestServer();
  lead = await login(server.url, users.lead);
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server.close();
});

const titleOf = async (dossierId: string) => ((await api(server.url, `/api/dossiers/${dossierId}`, { session: lead })).body as { title: string }).title;

describe('a stored section and its dossier', () => {
  it('takes the title from the Betreff as plain text, at most 500 characters, and from no other section', async () => {
    const dossierId = await createTestDossier(server.url, { session: lead, title: 'Alter Titel' });
    const betreff = documentName(dossierId, 'betreff');
    const ausgangslage = documentName(dossierId, 'ausgangslage');
    const client = new TestClient(server.wsUrl, lead);
    clients.push(client);
    client.open(betreff);
    client.open(ausgangslage);
    await Promise.all([client.synced(betreff), client.synced(ausgangslage)]);

    typeInto(client.doc(ausgangslage), 'Dies ist kein Titel.');
    await client.storedAll(ausgangslage);
    expect(await titleOf(dossierId)).toBe('Alter Titel');

    const fragment = client.doc(betreff).getXmlFragment('content');
    fragment.delete(0, fragment.length);
    typeInto(client.doc(betreff), '  Verstetigung   der Umweltsensorik  ');
    await client.storedAll(betreff);
    expect(await titleOf(dossierId)).toBe('Verstetigung der Umweltsensorik');

    typeInto(client.doc(betreff), ` ${'Sehr langer Betreff '.repeat(40)}`);
    await client.storedAll(betreff);
    const long = await titleOf(dossierId);
    expect(long).toHaveLength(500);
    expect(long.startsWith('Verstetigung der Umweltsensorik Sehr langer Betreff')).toBe(true);
  });
});
