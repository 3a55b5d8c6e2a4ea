/** Accounts, sessions, CSRF and the policy on every REST route, against a real server and SQLite file. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashToken } from '../../server/accounts/sessions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo/people';
import { documentName, headerRoots } from '../../dossier/layout';
import { api, createTestDossier, login, startTestServer, TestClient, users, type Session, type TestServer } from '../support/server';

let server: TestServer;
let lead: Session;
let dossierId: string;
let hiddenId: string;

beforeAll(async () => {
  server = await startTestServer();
  lead = await login(server.url, users.lead);
  dossierId = await createTestDossier(server.url, { session: lead });
  hiddenId = await createTestDossier(server.url, { session: lead, title: 'Nichtöffentliche Personalangelegenheit', involvedDepartmentIds: ['kaemmerei'] });
  // make it nichtöffentlich the way an author does: in the header section
  const client = new TestClient(server.wsUrl, lead);
  const kopf = documentName(hiddenId, 'kopf');
  client.open(kopf);
  await client.synced(kopf);
  headerRoots(client.doc(kopf)).fields.set('oeffentlichkeit', 'nichtoeffentlich');
  await client.storedAll(kopf);
  client.destroy();
});
afterAll(() => server.close());

const routes: [string, string][] = [
  ['GET', '/api/templates'],
  ['GET', '/api/dossiers'],
  ['POST', '/api/dossiers'],
  ['GET', '/api/dossiers/x'],
  ['GET', '/api/auth/me'],
  ['POST', '/api/auth/logout'],
  ['GET', '/api/departments'],
  ['GET', '/api/users'],
  ['GET', '/api/audit'],
  ['GET', '/api/gibt-es-nicht'],
];

describe('sessions', () => {
  it('every /api route but health and login answers 401 without a session', async () => {
    for (const [method, path] of routes) {
      const { status, body } = await api(server.url, path, { method, ...(method === 'POST' ? { json: {} } : {}) });
      expect(status, `${method} ${path}`).toBe(401);
      expect(body.error).toBe('Bitte anmelden.');
    }
    expect((await api(server.url, '/api/health')).status).toBe(200);
  });

  it('logs in with the contract: cookie HttpOnly + SameSite=Lax, then /me gives the user and the CSRF token', async () => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: users.finance, password: DEMO_PASSWORD }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^rd_session=[\w-]{43}; Max-Age=\d+; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
    const session = { cookie: cookie.split(';')[0]!, csrfToken: '', user: {} as Session['user'] };
    const me = await api(server.url, '/api/auth/me', { session });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({
      username: users.finance,
      displayName: 'Sabine Huber',
      roles: ['author', 'finance'],
      department: { id: 'kaemmerei', name: 'Kämmerei' },
    });
    expect(me.body.user).not.toHaveProperty('passwordHash');
    expect(me.body.csrfToken).toMatch(/^[\w-]{32}$/);
  });

  it('refuses wrong passwords, unknown users and forged or expired cookies alike', async () => {
    for (const [username, password] of [
      [users.lead, 'falsch-falsch'],
      ['niemand', DEMO_PASSWORD],
    ]) {
      const { status, body } = await api(server.url, '/api/auth/login', { method: 'POST', json: { username, password } });
      expect(status).toBe(401);
      expect(body.error).toBe('Benutzername oder Passwort ist falsch.');
    }
    const forged = { ...lead, cookie: `rd_session=${'A'.repeat(43)}` };
    expect((await api(server.url, '/api/dossiers', { session: forged })).status).toBe(401);

    const expiring = await login(server.url, users.leadColleague);
    const token = expiring.cookie.slice(expiring.cookie.indexOf('=') + 1);
    const session = (await server.storage.accounts.getSession(hashToken(token)))!;
    await server.storage.accounts.deleteSession(session.tokenHash);
    await server.storage.accounts.createSession({ ...session, expiresAt: '2000-01-01T00:00:00.000Z' });
    expect((await api(server.url, '/api/dossiers', { session: expiring })).status).toBe(401);
  });

  it('logout ends the session', async () => {
    const session = await login(server.url, users.leadColleague);
    expect((await api(server.url, '/api/auth/logout', { method: 'POST', session })).status).toBe(204);
    expect((await api(server.url, '/api/auth/me', { session })).status).toBe(401);
  });

  it('refuses state-changing requests without the right CSRF token', async () => {
    const json = { templateId: 'verstetigung-smart-city', title: 'Ohne Token' };
    const noToken = await api(server.url, '/api/dossiers', { method: 'POST', json, headers: { cookie: lead.cookie } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error).toMatch(/X-CSRF-Token/);
    const otherToken = await login(server.url, users.leadColleague);
    const wrong = await api(server.url, '/api/dossiers', { method: 'POST', json, headers: { cookie: lead.cookie, 'x-csrf-token': otherToken.csrfToken } });
    expect(wrong.status).toBe(403);
    expect((await api(server.url, '/api/dossiers', { method: 'POST', json, session: lead })).status).toBe(201);
  });

  it('throttles repeated failed logins for a user name, even with the right password then', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await api(server.url, '/api/auth/login', { method: 'POST', json: { username: users.climate, password: `falsch-${i}` } })).status).toBe(401);
    }
    const blocked = await api(server.url, '/api/auth/login', { method: 'POST', json: { username: users.climate, password: DEMO_PASSWORD } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.error).toMatch(/Zu viele Anmeldeversuche/);
    // other users are not affected
    expect((await login(server.url, users.legal)).user.username).toBe(users.legal);
  });

  it('stores passwords only as scrypt hashes', async () => {
    const hashes = (await server.storage.accounts.listUsers()).map((user) => user.passwordHash);
    expect(hashes.length).toBeGreaterThan(5);
    for (const hash of hashes) expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    // in WAL mode recent rows sit in the -wal file, not yet in the main file
    const files = ['', '-wal', '-shm'].map((suffix) => join(server.dataDir, `ratsdossier.sqlite${suffix}`)).filter((path) => existsSync(path));
    expect(files.map((path) => path.slice(-4))).toContain('-wal');
    for (const path of files) expect(readFileSync(path).includes(Buffer.from(DEMO_PASSWORD)), path).toBe(false);
  });
});

describe('the policy on REST routes', () => {
  it('lists and shows a nichtöffentlich dossier only to its departments and the clerks', async () => {
    for (const [username, sees] of [
      [users.lead, true],
      [users.finance, true],
      [users.clerk, true],
      [users.admin, true],
      [users.reader, false],
      [users.legal, false],
    ] as const) {
      const session = await login(server.url, username);
      const list = await api(server.url, '/api/dossiers', { session });
      expect(
        list.body.some((d: { id: string }) => d.id === hiddenId),
        username,
      ).toBe(sees);
      // a councillor (reader) sees no draft at all, öffentlich or not
      expect(
        list.body.some((d: { id: string }) => d.id === dossierId),
        username,
      ).toBe(username !== users.reader);
      expect((await api(server.url, `/api/dossiers/${hiddenId}`, { session })).status, username).toBe(sees ? 200 : 404);
    }
  });

  it('tells each user which sections they may write', async () => {
    const canWrite = async (username: string) => {
      const { body } = await api(server.url, `/api/dossiers/${dossierId}`, { session: await login(server.url, username) });
      return body.sections.filter((s: { canWrite: boolean }) => s.canWrite).map((s: { id: string }) => s.id);
    };
    const leadSections = [
      'kopf',
      'beratungsfolge',
      'betreff',
      'beschlussvorschlag',
      'ausgangslage',
      'zielgruppen',
      'wirkung',
      'betreibermodell',
      'alternativen',
      'klima',
      'anlagen',
    ];
    expect(await canWrite(users.lead)).toEqual(leadSections);
    expect(await canWrite(users.finance)).toEqual(['finanzen']);
    expect(await canWrite(users.viewer)).toEqual([]);
    expect(await canWrite(users.clerk)).toEqual([]);
  });

  it('lets only authors start dossiers, and makes their department the lead', async () => {
    const json = { templateId: 'verstetigung-smart-city', title: 'Neue Vorlage der Kämmerei' };
    for (const username of [users.reader, users.financeOnly, users.clerk]) {
      const { status, body } = await api(server.url, '/api/dossiers', { method: 'POST', json, session: await login(server.url, username) });
      expect(status, username).toBe(403);
      expect(body.error).toMatch(/Autorinnen und Autoren/);
    }
    const finance = await login(server.url, users.finance);
    const created = await api(server.url, '/api/dossiers', {
      method: 'POST',
      json: { ...json, involvedDepartmentIds: ['smart-city', 'gibt-es-nicht'] },
      session: finance,
    });
    expect(created.status).toBe(422);
    const ok = await api(server.url, '/api/dossiers', { method: 'POST', json: { ...json, involvedDepartmentIds: ['smart-city'] }, session: finance });
    expect(ok.body).toMatchObject({ leadDepartmentId: 'kaemmerei', involvedDepartmentIds: ['smart-city'] });
  });

  it('lets only admins manage users, with clear errors', async () => {
    const fields = { username: 'neu.nutzer', displayName: 'Neue Nutzerin', departmentId: 'rechtsamt', roles: ['author'], password: 'ein-langes-passwort' };
    expect((await api(server.url, '/api/users', { session: lead })).status).toBe(403);
    const admin = await login(server.url, users.admin);
    expect((await api(server.url, '/api/users', { method: 'POST', json: { ...fields, password: 'kurz' }, session: admin })).body.error).toMatch(
      /mindestens 12 Zeichen/,
    );
    expect((await api(server.url, '/api/users', { method: 'POST', json: { ...fields, departmentId: 'mond' }, session: admin })).status).toBe(400);
    expect((await api(server.url, '/api/users', { method: 'POST', json: { ...fields, roles: ['kaiser'] }, session: admin })).status).toBe(400);
    const created = await api(server.url, '/api/users', { method: 'POST', json: fields, session: admin });
    expect(created.status).toBe(201);
    expect((await api(server.url, '/api/users', { method: 'POST', json: fields, session: admin })).status).toBe(409);
    const session = await login(server.url, 'neu.nutzer', 'ein-langes-passwort');
    const disabled = await api(server.url, `/api/users/${created.body.id}`, { method: 'PATCH', json: { disabled: true }, session: admin });
    expect(disabled.body.disabled).toBe(true);
    expect((await api(server.url, '/api/dossiers', { session })).status).toBe(401);
    expect((await api(server.url, '/api/auth/login', { method: 'POST', json: { username: 'neu.nutzer', password: 'ein-langes-passwort' } })).status).toBe(401);
  });

  it('keeps an audit log of logins, failures and new dossiers for clerks and admins', async () => {
    // its own failed login: the test does not rely on the ones before it
    expect((await api(server.url, '/api/auth/login', { method: 'POST', json: { username: users.legal, password: 'falsch-falsch-falsch' } })).status).toBe(401);
    expect((await api(server.url, '/api/audit', { session: lead })).status).toBe(403);
    const clerk = await login(server.url, users.clerk);
    const { status, body } = await api(server.url, '/api/audit?limit=1000', { session: clerk });
    expect(status).toBe(200);
    const actions = new Set(body.map((e: { action: string }) => e.action));
    for (const action of ['login', 'login.failed', 'dossier.created']) expect(actions).toContain(action);
    const created = body.find((e: { action: string; dossierId: string }) => e.action === 'dossier.created' && e.dossierId === dossierId);
    expect(created).toMatchObject({ username: users.lead, dossierTitle: 'Verstetigung der Sensorplattform' });
    expect((await api(server.url, '/api/audit?limit=0', { session: clerk })).status).toBe(400);
  });
});
