import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { consultationRoots, consultationRowToY, documentName, headerRoots, readSection } from '../../dossier/layout';
import { loadTemplates } from '../../server/templates/loader';
import { findSection } from '../../dossier/template';
import {
  api,
  createTestDossier,
  login,
  projectRoot,
  startTestServer,
  TestClient,
  typeInto,
  users,
  waitFor,
  type Session,
  type TestServer,
} from '../support/server';
import { join } from 'node:path';

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;

let server: TestServer;
let lead: Session;
beforeAll(async () => {
  server = await startTestServer();
  lead = await login(server.url, users.lead);
});
afterAll(() => server.close());

/** A deterministic pseudo-random sequence, so a failure can be replayed from its seed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('three clients co-editing', () => {
  it('converge on the same and on different sections, and the stored state equals the live state', async () => {
    const dossierId = await createTestDossier(server.url, { session: lead });
    const names = ['ausgangslage', 'kopf', 'beratungsfolge'].map((section) => documentName(dossierId, section));
    const [problem, header, consultation] = names as [string, string, string];
    // three authors of the lead department, each signed in on their own
    const sessions = [lead, await login(server.url, users.leadColleague), await login(server.url, users.lead)];
    const clients = sessions.map((session) => new TestClient(server.wsUrl, session));
    for (const client of clients) for (const name of names) client.open(name);
    for (const client of clients) for (const name of names) await client.synced(name);

    const seed = 20261122;
    const next = random(seed);
    // Every client edits at once, without waiting for the others: text in the same section,
    // header fields and consultation rows in the other sections.
    for (let round = 0; round < 40; round += 1) {
      clients.forEach((client, index) => {
        const choice = next();
        if (choice < 0.5) typeInto(client.doc(problem), `[${index}:${round}]`);
        else if (choice < 0.75) headerRoots(client.doc(header)).fields.set('aktenzeichen', `AZ-${index}-${round}`);
        else
          consultationRoots(client.doc(consultation)).rows.push([
            consultationRowToY({ id: `r${index}-${round}`, body: `Gremium ${index}`, date: '', role: 'vorberatung', public: true, result: '' }),
          ]);
      });
      if (round % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }

    for (const name of names) {
      await waitFor(
        () => {
          const states = clients.map((c) => Buffer.from(Y.encodeStateVector(c.doc(name))).toString('hex'));
          return states.every((s) => s === states[0]);
        },
        { message: `clients did not converge on ${name} (seed ${seed})` },
      );
      const contents = clients.map((c) => JSON.stringify(readSection(c.doc(name), findSection(template, name.split('/')[1]!)!)));
      expect(new Set(contents).size, name).toBe(1);
    }

    // every client's 40 rounds of edits arrived everywhere: count the markers typed into the shared section
    const typed = readSection(clients[0]!.doc(problem), findSection(template, 'ausgangslage')!);
    const markers = JSON.stringify(typed).match(/\[\d:\d+\]/g) ?? [];
    const expectedMarkers = countTyped(seed, clients.length);
    expect(markers).toHaveLength(expectedMarkers);
    expect(new Set(markers).size).toBe(expectedMarkers);

    // the server stores; what is stored equals the live state
    for (const client of clients) for (const name of names) await client.storedAll(name);
    const view = (await api(server.url, `/api/dossiers/${dossierId}`, { session: lead })).body;
    for (const name of names) {
      const sectionId = name.split('/')[1]!;
      const live = server.collaboration.hocuspocus.documents.get(name)!;
      const section = findSection(template, sectionId)!;
      expect(view.sections.find((s: { id: string }) => s.id === sectionId).content).toEqual(readSection(clients[1]!.doc(name), section));
      expect(Y.encodeStateVector(live)).toEqual(Y.encodeStateVector(clients[2]!.doc(name)));
    }
    for (const client of clients) client.destroy();

    // after everyone left, the stored Yjs state alone reproduces the document
    await waitFor(() => names.every((name) => !server.collaboration.hocuspocus.documents.has(name)), { message: 'documents were not unloaded' });
    const reader = new TestClient(server.wsUrl, await login(server.url, users.viewer));
    for (const name of names) reader.open(name);
    for (const name of names) await reader.synced(name);
    for (const name of names) {
      const section = findSection(template, name.split('/')[1]!)!;
      expect(readSection(reader.doc(name), section)).toEqual(view.sections.find((s: { id: string }) => s.id === section.id).content);
      // and a client that connects is told what is stored (a page bringing edits from its local copy needs it)
      await waitFor(() => reader.stored.has(name), { message: `${name}: no stored state vector on connect` });
      expect(reader.stored.get(name)).toEqual(Y.encodeStateVector(reader.doc(name)));
    }
    reader.destroy();
  });
});

function countTyped(seed: number, clients: number): number {
  const next = random(seed);
  let count = 0;
  for (let round = 0; round < 40; round += 1) for (let c = 0; c < clients; c += 1) if (next() < 0.5) count += 1;
  return count;
}
