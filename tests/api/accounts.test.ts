/**
 * The account routes against a real server: login, the signed-in user, logout, changing one's own password,
 * CSRF, user administration, the audit log and the lists every signed-in user reads. Each test makes the
 * users it changes, so the tests stand alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, startTestServer, users, type Session, type TestServer } from '../support/server';

let server: TestServer;
let admin: Session;
let clerk: Session;
let made = 0;

beforeAll(async () => {
  server = await startTestServer();
  admin = await login(server.url, users.admin);
  clerk = await login(server.url, users.clerk);
});
afterAll(() => server.close());

const PASSWORD = 'Rathaus-Schluessel-2026';

/** A fresh user made through the admin API, with its id and user name. */
async function newUser(fields: Record<string, unknown> = {}): Promise<{ id: string; username: string }> {
  made += 1;
  const username = `konto.${made}`;
  const { status, body } = await api(server.url, '/api/users', {
    method: 'POST',
    session: admin,
    json: { username, displayName: 'Kai Konto', departmentId: 'kaemmerei', roles: ['finance'], password: PASSWORD, ...fields },
  });
  expect(status, JSON.stringify(body)).toBe(201);
  return { id: body.id, username };
}

const postLogin = (username: string, password: string) => api(server.url, '/api/auth/login', { method: 'POST', json: { username, password } });

async function auditOf(action: string, userId?: string) {
  const { body } = await api(server.url, '/api/audit?limit=1000', { session: clerk });
  return (body as { action: string; userId: string | null; detail: string | null; username: string | null }[]).filter(
    (entry) => entry.action === action && (userId === undefined || entry.userId === userId),
  );
}

describe('login and logout', () => {
  it('signs in with the right password: an HttpOnly cookie, the user without secrets and the CSRF token', async () => {
    const { id, username } = await newUser();
    const response = await postLogin(username, PASSWORD);
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^rd_session=[\w-]{43}; /);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=3600/);
    expect(cookie).not.toMatch(/Secure/i);
    expect(response.body.user).toEqual({
      id,
      username,
      displayName: 'Kai Konto',
      department: { id: 'kaemmerei', name: 'Kämmerei', shortName: '20', function: 'finance' },
      roles: ['finance'],
      disabled: false,
    });
    expect(response.body.csrfToken).toMatch(/^[\w-]{32}$/);
    expect(await auditOf('login', id)).toHaveLength(1);
  });

  it('refuses wrong passwords, unknown and disabled users alike, and records each failure', async () => {
    const { id, username } = await newUser();
    const wrong = await postLogin(username, `${PASSWORD}!`);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'Benutzername oder Passwort ist falsch.' });
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const unknown = await postLogin('niemand.hier', PASSWORD);
    expect(unknown.body).toEqual({ error: 'Benutzername oder Passwort ist falsch.' });
    expect((await api(server.url, `/api/users/${id}`, { method: 'PATCH', session: admin, json: { disabled: true } })).status).toBe(200);
    const disabled = await postLogin(username, PASSWORD);
    expect(disabled.status).toBe(401);
    expect(disabled.body).toEqual({ error: 'Benutzername oder Passwort ist falsch.' });
    const failures = await auditOf('login.failed');
    expect(failures.filter((entry) => entry.userId === id).map((entry) => [entry.detail, entry.username])).toEqual([
      [username, username],
      [username, username],
    ]);
    expect(failures.find((entry) => entry.detail === 'niemand.hier')).toMatchObject({ userId: null, username: null });
  });

  it('answers a login body without user name or password with 400', async () => {
    expect((await postLogin('', PASSWORD)).status).toBe(400);
    expect((await postLogin(users.lead, '')).status).toBe(400);
  });

  it('answers 429 with Retry-After once a user name is throttled', async () => {
    const { username } = await newUser();
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await postLogin(username, 'falsch-falsch-falsch')).status).toBe(401);
    const throttled = await postLogin(username, PASSWORD);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(throttled.body.error).toMatch(/^Zu viele Anmeldeversuche/);
  });

  it('shows the signed-in user and ends the session at logout, clearing the cookie', async () => {
    const { username } = await newUser();
    const session = await login(server.url, username, PASSWORD);
    const me = await api(server.url, '/api/auth/me', { session });
    expect(me.body).toMatchObject({ user: { username, department: { id: 'kaemmerei' } }, csrfToken: session.csrfToken });
    const logout = await api(server.url, '/api/auth/logout', { method: 'POST', session });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/^rd_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
    expect((await api(server.url, '/api/auth/me', { session })).status).toBe(401);
    expect((await api(server.url, '/api/auth/me', { session })).body).toEqual({ error: 'Bitte anmelden.' });
  });
});

describe('CSRF', () => {
  it('lets reads pass without the token and refuses changes with a missing, short or wrong one', async () => {
    const { username } = await newUser();
    const session = await login(server.url, username, PASSWORD);
    const withToken = (token: string | undefined) =>
      fetch(`${server.url}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie: session.cookie, ...(token === undefined ? {} : { 'x-csrf-token': token }) },
      });
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: session.cookie } })).status).toBe(200);
    const wrong = session.csrfToken.slice(0, -1) + (session.csrfToken.endsWith('A') ? 'B' : 'A');
    for (const token of [undefined, '', session.csrfToken.slice(1), wrong]) {
      const response = await withToken(token);
      expect(response.status, String(token)).toBe(403);
      expect(await response.json()).toEqual({ error: 'Sicherheitstoken (X-CSRF-Token) fehlt oder ist ungültig. Bitte die Seite neu laden.' });
    }
    expect((await withToken(session.csrfToken)).status).toBe(204);
  });
});

describe('changing one’s own password', () => {
  it('needs the current password and a new one that meets the rules', async () => {
    const { username } = await newUser();
    const session = await login(server.url, username, PASSWORD);
    const change = (json: unknown) => api(server.url, '/api/auth/password', { method: 'POST', session, json });
    const wrong = await change({ currentPassword: 'nicht-das-alte', newPassword: 'Ganz neues Passwort 1' });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ error: 'Das bisherige Passwort ist falsch.' });
    const weak = await change({ currentPassword: PASSWORD, newPassword: 'zu kurz' });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toMatch(/mindestens 12 Zeichen/);
    expect((await change({ newPassword: 'Ganz neues Passwort 1' })).status).toBe(400);
    // nothing changed
    expect((await postLogin(username, PASSWORD)).status).toBe(200);
  });

  it('sets the new password, ends the old sessions and starts a new one for this browser', async () => {
    const { id, username } = await newUser();
    const session = await login(server.url, username, PASSWORD);
    const other = await login(server.url, username, PASSWORD);
    const changed = await api(server.url, '/api/auth/password', {
      method: 'POST',
      session,
      json: { currentPassword: PASSWORD, newPassword: 'Ganz neues Passwort 1' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user).toMatchObject({ id, username });
    const cookie = changed.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).not.toBe(session.cookie);
    expect((await api(server.url, '/api/auth/me', { session })).status).toBe(401);
    expect((await api(server.url, '/api/auth/me', { session: other })).status).toBe(401);
    expect((await api(server.url, '/api/auth/me', { session: { ...session, cookie, csrfToken: changed.body.csrfToken } })).body.user.id).toBe(id);
    expect((await postLogin(username, PASSWORD)).status).toBe(401);
    expect((await postLogin(username, 'Ganz neues Passwort 1')).status).toBe(200);
    expect(await auditOf('password.changed', id)).toHaveLength(1);
  });
});

describe('user administration', () => {
  it('is for admins only', async () => {
    const response = await api(server.url, '/api/users', { session: clerk });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ error: 'Nur die Administration verwaltet Benutzerkonten.' });
    expect((await api(server.url, '/api/users', { method: 'POST', session: clerk, json: {} })).status).toBe(403);
  });

  it('lists users with their departments and never a password hash', async () => {
    const { id, username } = await newUser({ roles: ['finance', 'reader', 'finance'] });
    const { status, body } = await api(server.url, '/api/users', { session: admin });
    expect(status).toBe(200);
    expect(body.find((user: { id: string }) => user.id === id)).toEqual({
      id,
      username,
      displayName: 'Kai Konto',
      department: { id: 'kaemmerei', name: 'Kämmerei', shortName: '20', function: 'finance' },
      roles: ['finance', 'reader'],
      disabled: false,
    });
    expect(JSON.stringify(body)).not.toMatch(/scrypt|passwordHash/);
  });

  it('answers a taken user name with 409, bad fields with 400 naming them', async () => {
    const { username } = await newUser();
    const taken = await api(server.url, '/api/users', {
      method: 'POST',
      session: admin,
      json: { username, displayName: 'Zweite', departmentId: 'kaemmerei', roles: ['reader'], password: PASSWORD },
    });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ error: `Benutzername "${username}" ist vergeben.` });
    const bad = await api(server.url, '/api/users', {
      method: 'POST',
      session: admin,
      json: { username: 'x', displayName: 'Y', departmentId: 'kaemmerei', roles: [], password: PASSWORD },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field)).toEqual(['displayName', 'roles', 'username']);
  });

  it('answers requests creating one user name at once (in any case) with one 201 and 409s: the unique key decides, never a 500', async () => {
    made += 1;
    const username = `gleichzeitig.${made}`;
    const answers = await Promise.all(
      [username, username.toUpperCase(), username, username.toUpperCase()].map((name) =>
        api(server.url, '/api/users', {
          method: 'POST',
          session: admin,
          json: { username: name, displayName: 'Gleichzeitig', departmentId: 'kaemmerei', roles: ['reader'], password: PASSWORD },
        }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409]);
    for (const answer of answers.filter((a) => a.status === 409)) expect(answer.body.error).toMatch(/^Benutzername "gleichzeitig\.\d+" ist vergeben\.$/i);
    const { body } = await api(server.url, '/api/users', { session: admin });
    expect((body as { username: string }[]).filter((user) => user.username.toLowerCase() === username)).toHaveLength(1);
  });

  it('changes a user, and answers 404 for an unknown one', async () => {
    const { id } = await newUser();
    const changed = await api(server.url, `/api/users/${id}`, {
      method: 'PATCH',
      session: admin,
      json: { displayName: 'Kai Geändert', departmentId: 'rechtsamt', roles: ['author'] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id, displayName: 'Kai Geändert', department: { id: 'rechtsamt', name: 'Rechtsamt' }, roles: ['author'] });
    const unknownDepartment = await api(server.url, `/api/users/${id}`, { method: 'PATCH', session: admin, json: { departmentId: 'mond' } });
    expect(unknownDepartment.status).toBe(400);
    expect(unknownDepartment.body).toEqual({ error: 'Dienststelle "mond" gibt es nicht.' });
    const missing = await api(server.url, '/api/users/gibt-es-nicht', { method: 'PATCH', session: admin, json: { displayName: 'Niemand' } });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Benutzerkonto gibt es nicht.' });
  });

  it('signs a disabled user out at once', async () => {
    const { id, username } = await newUser();
    const session = await login(server.url, username, PASSWORD);
    expect((await api(server.url, `/api/users/${id}`, { method: 'PATCH', session: admin, json: { disabled: true } })).body.disabled).toBe(true);
    expect((await api(server.url, '/api/auth/me', { session })).status).toBe(401);
  });
});

describe('the audit log', () => {
  it('is for clerks and admins', async () => {
    const lead = await login(server.url, users.lead);
    const refused = await api(server.url, '/api/audit', { session: lead });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: 'Das Protokoll sehen nur Administration und Sitzungsdienst.' });
    expect((await api(server.url, '/api/audit', { session: admin })).status).toBe(200);
  });

  it('refuses bad filters', async () => {
    for (const query of ['limit=0', 'limit=1001', 'limit=viele', 'limit=1.5', `dossierId=${'x'.repeat(65)}`]) {
      const response = await api(server.url, `/api/audit?${query}`, { session: clerk });
      expect(response.status, query).toBe(400);
      expect(response.body).toEqual({ error: 'Ungültige Abfrage: dossierId (Text) und limit (1–1000) sind erlaubt.' });
    }
    expect((await api(server.url, '/api/audit?limit=1000', { session: clerk })).status).toBe(200);
  });

  it('names the user and the dossier of each entry, as many as asked for', async () => {
    const lead = await login(server.url, users.lead);
    const created = await api(server.url, '/api/dossiers', {
      method: 'POST',
      session: lead,
      json: { templateId: 'verstetigung-smart-city', title: 'Protokollierte Vorlage' },
    });
    const dossierId = created.body.id as string;
    const { body } = await api(server.url, `/api/audit?dossierId=${dossierId}`, { session: clerk });
    expect(body).toEqual([
      {
        id: expect.any(Number),
        at: created.body.createdAt,
        userId: lead.user.id,
        username: users.lead,
        userDisplayName: 'Jana Becker',
        departmentName: 'Amt für Digitalisierung und Smart City',
        action: 'dossier.created',
        dossierId,
        dossierTitle: 'Protokollierte Vorlage',
        sectionId: null,
        sectionTitle: null,
        sectionTitles: null,
        detail: null,
      },
    ]);
    const two = await api(server.url, '/api/audit?limit=2', { session: clerk });
    expect(two.body).toHaveLength(2);
    // logins have no dossier
    expect((await api(server.url, '/api/audit', { session: clerk })).body.find((entry: { action: string }) => entry.action === 'login')).toMatchObject({
      dossierId: null,
      dossierTitle: null,
    });
  });
});

describe('lists for every signed-in user', () => {
  it('lists the departments and the templates, and one template by id', async () => {
    const departments = await api(server.url, '/api/departments', { session: clerk });
    expect(departments.body).toContainEqual({ id: 'kaemmerei', name: 'Kämmerei', shortName: '20', function: 'finance' });
    const templates = await api(server.url, '/api/templates', { session: clerk });
    expect(templates.body.map((template: { id: string }) => template.id)).toEqual(['verstetigung-smart-city']);
    expect((await api(server.url, '/api/templates/verstetigung-smart-city', { session: clerk })).body.titleSection).toBe('betreff');
    const missing = await api(server.url, '/api/templates/gibt-es-nicht', { session: clerk });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Vorlagenmuster "gibt-es-nicht" gibt es nicht.' });
  });
});
