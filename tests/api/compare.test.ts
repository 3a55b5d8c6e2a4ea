/** GET /api/dossiers/:id/compare against a real server and SQLite file: its contract, its 400/404 answers and who may see it. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import type * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sessions } from '../../server/accounts/sessions';
import { requireSession } from '../../server/api/auth';
import { compareRouter, storedContents, type ContentsOf } from '../../server/api/compare';
import { errorResponse } from '../../server/api/errors';
import { loadTemplates } from '../../server/templates/loader';
import { documentName, headerRoots } from '../../dossier/layout';
import { api, createTestDossier, login, projectRoot, startTestServer, TestClient, typeInto, users, type Session, type TestServer } from '../support/server';

let server: TestServer;
let lead: Session;
let dossierId: string;
let hiddenId: string;
const templateSections = async () =>
  (await api(server.url, '/api/templates/verstetigung-smart-city', { session: lead })).body.sections.map((s: { id: string }) => s.id);

beforeAll(async () => {
  server = await startTestServer();
  lead = await login(server.url, users.lead);
  dossierId = await createTestDossier(server.url, { session: lead });
  hiddenId = await createTestDossier(server.url, { session: lead, title: 'Nichtöffentliche Personalangelegenheit', involvedDepartmentIds: ['kaemmerei'] });
  const client = new TestClient(server.wsUrl, lead);
  const kopf = documentName(hiddenId, 'kopf');
  client.open(kopf);
  await client.synced(kopf);
  headerRoots(client.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
  await client.storedAll(kopf);
  client.destroy();
});
afterAll(() => server.close());

const compare = (id: string, query: string, session: Session = lead) => api(server.url, `/api/dossiers/${id}/compare${query}`, { session });

describe('GET /api/dossiers/:id/compare', () => {
  it('compares the current draft with itself: every section in template order, none changed, one equal part each', async () => {
    const { status, body } = await compare(dossierId, '?from=current&to=current');
    expect(status).toBe(200);
    expect(body.map((s: { sectionId: string }) => s.sectionId)).toEqual(await templateSections());
    for (const section of body) {
      expect(Object.keys(section).sort()).toEqual(['changed', 'diff', 'sectionId', 'title']);
      expect(section.changed, section.sectionId).toBe(false);
      expect(section.diff, section.sectionId).toEqual([{ op: 'equal', text: expect.any(String) }]);
    }
    expect(body.find((s: { sectionId: string }) => s.sectionId === 'betreff').diff[0].text).toBe('Verstetigung der Sensorplattform');
  });

  it('answers 400 with a German message for a missing, repeated or malformed from/to', async () => {
    for (const query of [
      '',
      '?to=current',
      '?from=current',
      '?from=0&to=current',
      '?from=abc&to=current',
      '?from=1&to=1.5',
      '?from=-1&to=current',
      '?from=1&from=2&to=current',
      '?from=01&to=current',
      '?from=CURRENT&to=current',
    ]) {
      const { status, body } = await compare(dossierId, query);
      expect(status, query).toBe(400);
      expect(body.error, query).toMatch(/^Der Parameter "(from|to)" muss eine Versionsnummer/);
    }
  });

  it('answers 404 "Version N gibt es nicht." for a version that does not exist', async () => {
    expect(await compare(dossierId, '?from=1&to=current')).toMatchObject({ status: 404, body: { error: 'Version 1 gibt es nicht.' } });
    expect(await compare(dossierId, '?from=current&to=7')).toMatchObject({ status: 404, body: { error: 'Version 7 gibt es nicht.' } });
  });

  it('shows a nichtöffentlich dossier to its departments only; to anyone else it answers 404 exactly like a missing one', async () => {
    const finance = await login(server.url, users.finance);
    const climate = await login(server.url, users.climate);
    expect((await compare(hiddenId, '?from=current&to=current', finance)).status).toBe(200);
    expect((await compare(hiddenId, '?from=current&to=current', lead)).status).toBe(200);
    // the same answer as the dossier itself gives, and as a dossier that does not exist
    const notFound = await api(server.url, `/api/dossiers/${hiddenId}`, { session: climate });
    expect(notFound.status).toBe(404);
    expect(await compare(hiddenId, '?from=current&to=current', climate)).toMatchObject({ status: 404, body: notFound.body });
    const missingId = `${hiddenId.slice(0, -1)}${hiddenId.endsWith('x') ? 'y' : 'x'}`;
    const missing = await compare(missingId, '?from=current&to=current', climate);
    expect(missing).toMatchObject({ status: 404, body: { error: notFound.body.error.replace(hiddenId, missingId) } });
    // not even whether a version exists is revealed
    expect(await compare(hiddenId, '?from=1&to=current', climate)).toMatchObject({ status: 404, body: notFound.body });
    expect((await compare(dossierId, '?from=current&to=current', climate)).status).toBe(200);
    expect((await api(server.url, `/api/dossiers/${dossierId}/compare?from=current&to=current`)).status).toBe(401);
  });
});

describe('compareRouter with a source of versions', () => {
  let app: Server;
  let url: string;
  const snapshots = new Map<number, Record<string, unknown>>();
  const current = () => storedContents(server.storage);
  const contentsOf: ContentsOf = async (id, which) => (which === 'current' ? current()(id, which) : snapshots.get(which));

  beforeAll(async () => {
    // the route as versions will wire it: the same storage, sessions and templates as the running server
    const templates = await loadTemplates(join(projectRoot, 'templates'));
    const http = express();
    http.use('/api', requireSession(new Sessions(server.storage, { ttlMs: 3_600_000, idleMs: 3_600_000 })));
    http.use('/api/dossiers', compareRouter(server.storage, templates, contentsOf));
    http.use(errorResponse);
    app = createServer(http);
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => app.close(() => resolve())));

  it('shows a known edit made through a provider client as exactly that deletion and insertion', async () => {
    const id = await createTestDossier(server.url, { session: lead, title: 'Änderungsnachweis' });
    const client = new TestClient(server.wsUrl, lead);
    const name = documentName(id, 'alternativen');
    client.open(name);
    await client.synced(name);
    typeInto(client.doc(name), 'Die Stadt zahlt 10.000 Euro.');
    await client.storedAll(name);
    snapshots.set(1, (await current()(id, 'current'))!);

    const doc = client.doc(name);
    const paragraph = doc.getXmlFragment('content').get(0) as Y.XmlElement;
    const text = paragraph.get(0) as Y.XmlText;
    doc.transact(() => {
      text.delete('Die Stadt zahlt '.length, 2);
      text.insert('Die Stadt zahlt '.length, '12');
      text.insert(text.length - 1, ' jährlich');
    });
    await client.storedAll(name);
    client.destroy();

    const { status, body } = await api(url, `/api/dossiers/${id}/compare?from=1&to=current`, { session: lead });
    expect(status).toBe(200);
    expect(body.filter((s: { changed: boolean }) => s.changed).map((s: { sectionId: string }) => s.sectionId)).toEqual(['alternativen']);
    expect(body.find((s: { sectionId: string }) => s.sectionId === 'alternativen')).toEqual({
      sectionId: 'alternativen',
      title: expect.any(String),
      changed: true,
      diff: [
        { op: 'equal', text: 'Die Stadt zahlt ' },
        { op: 'delete', text: '10.000' },
        { op: 'insert', text: '12.000' },
        { op: 'equal', text: ' Euro' },
        { op: 'insert', text: ' jährlich' },
        { op: 'equal', text: '.' },
      ],
    });
    expect((await api(url, `/api/dossiers/${id}/compare?from=2&to=current`, { session: lead })).body).toEqual({ error: 'Version 2 gibt es nicht.' });
  });
});
