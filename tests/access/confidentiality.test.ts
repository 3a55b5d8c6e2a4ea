/**
 * Confidentiality of every output, generated from the table in ./outputs.ts:
 * a user who may not see a nichtöffentlich dossier gets nothing of it — no
 * title, no section text, no names of who is editing, and the collaboration
 * socket refuses every section document — while a user who may see it gets
 * the content from the same fetch (so an empty answer cannot pass).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentName, headerRoots } from '../../dossier/layout';
import { loadTemplates } from '../../server/templates/loader';
import { pdfBytes } from '../support/files';
import { RawSyncClient } from '../support/raw-sync';
import { mountedRoutes } from '../support/routes';
import { doc, p } from '../../dossier/rich-text';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';
import { createDossier } from '../../server/dossiers/create';
import {
  api,
  createTestDossier,
  projectRoot,
  sessionsOn,
  startTestServer,
  TestClient,
  typeInto,
  users,
  waitFor,
  type Session,
  type TestServer,
} from '../support/server';
import { collabOutput, outputs, outputsWithoutDossierContent, type Secret } from './outputs';

const templates = await loadTemplates(join(projectRoot, 'templates'));
const template = templates.get('verstetigung-smart-city')!;

/** Users outside the dossier's departments, without clerk or admin role. */
const outsiders = [users.reader, users.legal, users.climate];

let server: TestServer;
let secret: Secret;
let editor: TestClient;
const session = sessionsOn(() => server.url);

beforeAll(async () => {
  server = await startTestServer();
  const lead = await session(users.lead);
  const title = 'Vertrauliche Personalsache Zeta-7';
  const dossierId = await createTestDossier(server.url, { session: lead, title, involvedDepartmentIds: ['kaemmerei'] });
  secret = {
    dossierId,
    releasedDossierId: '',
    title,
    sectionText: 'Geheimtext-Omega-42',
    editorName: lead.user.displayName,
    fileId: '',
    releasedFileId: '',
    fileName: 'Gutachten Zeta-7.pdf',
  };
  secret.fileId = await uploadSecretFile(lead, dossierId, 'public=true');
  secret.releasedDossierId = await releasedSecret(lead);

  // The lead makes it nichtöffentlich, writes a section, and stays in it: "who is editing now" has a name.
  editor = new TestClient(server.wsUrl, lead);
  const kopf = documentName(dossierId, 'kopf');
  const text = documentName(dossierId, 'ausgangslage');
  editor.open(kopf);
  const provider = editor.open(text);
  await Promise.all([editor.synced(kopf), editor.synced(text)]);
  headerRoots(editor.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
  typeInto(editor.doc(text), secret.sectionText);
  // the server writes the editor's name into presence
  provider.setAwarenessField('editing', true);
  await Promise.all([editor.storedAll(kopf), editor.storedAll(text)]);
  await waitFor(async () => (await server.storage.dossiers.get(dossierId))?.public === false, { message: 'dossier did not become nichtöffentlich' });
});
afterAll(async () => {
  editor?.destroy();
  await server?.close();
});

/** The same secret, released as version 1 of a nichtöffentlich dossier of the smart-city office and the Kämmerei. */
async function releasedSecret(lead: Session): Promise<string> {
  const kopf = demoContents.kopf as { fields: Record<string, unknown> };
  const released = await createDossier(server.storage, template, {
    title: secret.title,
    leadDepartmentId: 'smart-city',
    involvedDepartmentIds: ['kaemmerei'],
    contents: {
      ...demoContents,
      kopf: { fields: { ...kopf.fields, oeffentlichkeit: 'nichtoeffentlich', beteiligt: ['Kämmerei'] } } as never,
      betreff: doc(p(secret.title)),
      ausgangslage: doc(p(`Ausgangslage: ${secret.sectionText}`)),
    },
  });
  secret.releasedFileId = await uploadSecretFile(lead, released.id, 'anlage=evaluation');
  const signatory = await session(users.signatoryFinance);
  const steps = [
    () => api(server.url, `/api/dossiers/${released.id}/cosigning`, { method: 'POST', session: lead }),
    async () =>
      api(server.url, `/api/dossiers/${released.id}/signatures`, {
        method: 'POST',
        session: signatory,
        json: {
          contentHashes: Object.fromEntries(
            (await api(server.url, `/api/dossiers/${released.id}`, { session: signatory })).body.sections.map((x: { id: string; contentHash: string }) => [
              x.id,
              x.contentHash,
            ]),
          ),
          decision: 'agree',
        },
      }),
    async () => api(server.url, `/api/dossiers/${released.id}/release`, { method: 'POST', session: await session(users.clerk), json: {} }),
  ];
  for (const step of steps) {
    const { status, body } = await step();
    if (status >= 300) throw new Error(`releasing the secret failed: ${status} ${JSON.stringify(body)}`);
  }
  return released.id;
}

/** A PDF in an öffentlich Anlage of the nichtöffentlich dossier: the dossier's visibility alone must hide it. */
async function uploadSecretFile(lead: Session, dossierId: string, query: string): Promise<string> {
  const { status, body } = await api(server.url, `/api/dossiers/${dossierId}/attachments?${query}`, {
    method: 'POST',
    session: lead,
    body: pdfBytes(secret.sectionText).toString('latin1'),
    headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent(secret.fileName) },
  });
  if (status !== 201) throw new Error(`uploading the secret file failed: ${status} ${JSON.stringify(body)}`);
  return body.fileId as string;
}

async function fetchAs(username: string, path: string) {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: (await session(username)).cookie } });
  return { status: response.status, text: Buffer.from(await response.arrayBuffer()).toString('utf8') };
}

describe.each(outputs)('$route — $name', (output) => {
  it(`shows the dossier to ${output.insider} (positive control)`, async () => {
    const { status, text } = await fetchAs(output.insider, output.path(secret));
    expect(status, text.slice(0, 300)).toBe(200);
    for (const shown of output.insiderShows(secret)) expect(text).toContain(shown);
  });

  it.each(outsiders)('gives %s nothing of the nichtöffentlich dossier', async (outsider) => {
    const { status, text } = await fetchAs(outsider, output.path(secret));
    expect(output.outsiderStatus, `status ${status}: ${text.slice(0, 300)}`).toContain(status);
    for (const leak of [secret.title, secret.sectionText, secret.editorName, 'Personalsache']) expect(text).not.toContain(leak);
    for (const id of [secret.dossierId, secret.releasedDossierId]) if (!output.path(secret).includes(id)) expect(text).not.toContain(id);
    expect(text.startsWith('%PDF')).toBe(false);
  });
});

describe(`${collabOutput.route} — ${collabOutput.name}`, () => {
  const clients: RawSyncClient[] = [];
  afterAll(() => {
    for (const client of clients) client.close();
  });

  it.each(template.sections.map((s) => s.id))('refuses section %s to every outsider, opens it for the lead', async (sectionId) => {
    const name = documentName(secret.dossierId, sectionId);
    const insider = await RawSyncClient.connect(server.wsUrl, (await session(collabOutput.insider)).cookie);
    clients.push(insider);
    expect(await insider.authenticate(name)).toMatch(/^authenticated:/);
    for (const outsider of outsiders) {
      const client = await RawSyncClient.connect(server.wsUrl, (await session(outsider)).cookie);
      clients.push(client);
      expect(await client.authenticate(name), outsider).toMatch(/^denied:/);
      expect(client.received.filter((m) => m.document === name && m.update !== undefined)).toEqual([]);
    }
  });
});

/** The GET routes the app mounts. */
const mountedGetRoutes = () => mountedRoutes(server.http).filter((route) => route.startsWith('GET '));

describe('the table of outputs', () => {
  it('covers every GET route the app mounts: a new route needs an entry in tests/access/outputs.ts', () => {
    const mounted = mountedGetRoutes().filter((route) => route.startsWith('GET /api'));
    const listed = new Set([...outputs.map((o) => o.route), ...Object.keys(outputsWithoutDossierContent)]);
    expect(mounted.length).toBeGreaterThan(8);
    expect(mounted.filter((route) => !listed.has(route))).toEqual([]);
    expect([...listed].filter((route) => !mounted.includes(route))).toEqual([]);
  });

  it('finds as many GET routes as server/api/*.ts and server/http.ts declare', () => {
    // a router declared but not mounted, or mounted where the walk cannot see it, shows up here
    const sources = [...readdirSync(join(projectRoot, 'server/api')).map((f) => join('server/api', f)), 'server/http.ts'];
    const declared = sources.reduce((n, file) => n + (readFileSync(join(projectRoot, file), 'utf8').match(/\b(router|api)\.get\(/g)?.length ?? 0), 0);
    expect(mountedGetRoutes().filter((route) => route.startsWith('GET /api'))).toHaveLength(declared);
  });
});
