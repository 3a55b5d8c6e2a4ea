/**
 * The login throttle against parallel bursts and against locking a colleague out, and the password rules,
 * on a real server. Other client addresses are real: the loopback network 127.0.0.0/8 is bound as source.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordProblem } from '../../server/accounts/passwords';
import { DEMO_PASSWORD } from '../../server/demo/people';
import { api, login, startTestServer, users, waitFor, type TestServer } from '../support/server';

interface Answer {
  status: number;
  retryAfter: number | undefined;
  error: string | undefined;
  cookie: string | undefined;
}

/** POST /api/auth/login from a chosen loopback source address. */
function attempt(server: TestServer, username: string, password: string, from = '127.0.0.1'): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const body = JSON.stringify({ username, password });
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: '/api/auth/login',
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode!,
            retryAfter: res.headers['retry-after'] === undefined ? undefined : Number(res.headers['retry-after']),
            error: (JSON.parse(text) as { error?: string }).error,
            cookie: res.headers['set-cookie']?.[0]?.split(';')[0],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const count = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;

function expectThrottledAnswers(answers: Answer[]) {
  for (const answer of answers.filter((a) => a.status === 429)) {
    expect(answer.retryAfter).toBeGreaterThanOrEqual(1);
    expect(answer.retryAfter).toBeLessThanOrEqual(60);
    expect(answer.error).toMatch(/^Zu viele Anmeldeversuche\. Bitte in \d+ Sekunde\(n\) erneut versuchen\.$/);
  }
}

describe('login throttle', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('meets a parallel burst with the limits of a sequence: the throttled account lets no password through', async () => {
    // 300 at once against a fresh account: one verification at a time, the rest refused before verifying
    const first = await Promise.all(Array.from({ length: 300 }, (_, i) => attempt(server, users.climate, `falsch-${i}`)));
    expect(count(first, 401)).toBeLessThanOrEqual(6);
    expect(count(first, 429)).toBeGreaterThanOrEqual(294);
    expectThrottledAnswers(first);

    // keep failing until the account waits 4 s between attempts (1 s, 2 s, 4 s after the 5th, 6th, 7th failure)
    for (let verified = count(first, 401); verified < 7; verified += 1) {
      await waitFor(async () => (await attempt(server, users.climate, 'immer-noch-falsch')).status === 401, { timeout: 10_000, interval: 100 });
    }
    const throttled = await Promise.all(Array.from({ length: 300 }, () => attempt(server, users.climate, DEMO_PASSWORD)));
    expect(count(throttled, 200)).toBe(0);
    expect(count(throttled, 429)).toBe(300);
    expectThrottledAnswers(throttled);
  });

  it('verifies at most one password of an unthrottled account at a time', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => attempt(server, users.legal, DEMO_PASSWORD)));
    expect(count(answers, 200)).toBeGreaterThanOrEqual(1);
    expect(count(answers, 429)).toBeGreaterThanOrEqual(10);
    expect(count(answers, 200) + count(answers, 429)).toBe(20);
    expectThrottledAnswers(answers);
  });

  it('does not let five wrong passwords from another address lock the real user out for more than the capped delay', async () => {
    for (let i = 0; i < 5; i += 1) expect((await attempt(server, users.finance, `geraten-${i}`, '127.0.0.2')).status).toBe(401);
    const started = Date.now();
    await waitFor(async () => (await attempt(server, users.finance, DEMO_PASSWORD)).status === 200, {
      timeout: 65_000,
      interval: 250,
      message: 'the real user stayed locked out',
    });
    expect(Date.now() - started).toBeLessThanOrEqual(61_000);
  }, 70_000);

  it('limits failed attempts per address, but not the successful logins of an office behind one address', async () => {
    const office = '127.0.0.3';
    for (let i = 0; i < 29; i += 1) expect((await attempt(server, `unbekannt.${i}`, 'falsches-passwort', office)).status).toBe(401);
    for (const username of [users.lead, users.leadColleague, users.financeOnly, users.clerk, users.reader, users.admin, users.lead, users.clerk]) {
      expect((await attempt(server, username, DEMO_PASSWORD, office)).status).toBe(200);
    }
    expect((await attempt(server, 'unbekannt.29', 'falsches-passwort', office)).status).toBe(401);
    const refused = await attempt(server, users.lead, DEMO_PASSWORD, office);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBeGreaterThan(60);
    expect(refused.error).toMatch(/^Zu viele Anmeldeversuche\. Bitte in \d+ Minuten erneut versuchen\.$/);
    // the same user from another address is not affected
    expect((await attempt(server, users.lead, DEMO_PASSWORD, '127.0.0.4')).status).toBe(200);
  });
});

describe('password rules', () => {
  it('refuse short, long, user-name, repeated and common passwords with a German reason', () => {
    expect(passwordProblem('kurz-passwt', 'felix.roth')).toBe('Das Passwort braucht mindestens 12 Zeichen (es hat 11).');
    // 12 UTF-16 units, but 6 characters
    expect(passwordProblem('😀😀😀🦊🦊🦊', 'felix.roth')).toMatch(/mindestens 12 Zeichen \(es hat 6\)/);
    expect(passwordProblem('😀😀😀🦊🦊🦊😀😀😀🦊🦊🦊', 'felix.roth')).toBeUndefined();
    expect(passwordProblem('x'.repeat(128).replace(/^x/, 'y'), 'felix.roth')).toBeUndefined();
    expect(passwordProblem('xy'.repeat(65), 'felix.roth')).toBe('Das Passwort darf höchstens 128 Zeichen haben.');
    expect(passwordProblem('mein-FELIX.ROTH-2026', 'felix.roth')).toBe('Das Passwort darf den Benutzernamen nicht enthalten.');
    expect(passwordProblem('aaaaaaaaaaaaaa', 'felix.roth')).toBe('Das Passwort darf nicht aus einem einzigen wiederholten Zeichen bestehen.');
    for (const common of ['ratsdossier-demo', 'RatsDossier-Demo', 'Qwerty123456', '1qaz2wsx3edc']) {
      expect(passwordProblem(common, 'felix.roth')).toBe('Dieses Passwort ist zu bekannt oder zu häufig. Bitte ein anderes wählen.');
    }
    expect(passwordProblem('Ampel im Ratssaal 7', 'felix.roth')).toBeUndefined();
  });

  describe('through the API', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(() => server?.close());

    it('apply when an admin creates a user', async () => {
      const admin = await login(server.url, users.admin);
      const fields = { username: 'neu.nutzer', displayName: 'Neue Nutzerin', departmentId: 'rechtsamt', roles: ['author'] };
      for (const [password, reason] of [
        ['aaaaaaaaaaaa', /wiederholten Zeichen/],
        [DEMO_PASSWORD, /zu bekannt/],
        ['neu.nutzer-2026', /Benutzernamen/],
        ['elf-Zeichen', /mindestens 12 Zeichen/],
      ] as const) {
        const { status, body } = await api(server.url, '/api/users', { method: 'POST', json: { ...fields, password }, session: admin });
        expect(status).toBe(400);
        expect(body.error).toMatch(reason);
      }
      expect((await api(server.url, '/api/users', { method: 'POST', json: { ...fields, password: 'Ampel im Ratssaal 7' }, session: admin })).status).toBe(201);
    });

    it('let a signed-in user change their own password, ending their other sessions', async () => {
      const here = await login(server.url, users.climate);
      const elsewhere = await login(server.url, users.climate);
      const change = (json: unknown) => api(server.url, '/api/auth/password', { method: 'POST', json, session: here });

      expect((await change({ currentPassword: 'falsch-falsch', newPassword: 'Ampel im Ratssaal 7' })).status).toBe(403);
      const weak = await change({ currentPassword: DEMO_PASSWORD, newPassword: 'felix.roth-neu-2026' });
      expect(weak.status).toBe(400);
      expect(weak.body.error).toMatch(/Benutzernamen/);
      // nothing changed so far
      expect((await api(server.url, '/api/auth/me', { session: elsewhere })).status).toBe(200);

      const changed = await change({ currentPassword: DEMO_PASSWORD, newPassword: 'Ampel im Ratssaal 7' });
      expect(changed.status).toBe(200);
      const cookie = changed.headers
        .getSetCookie()
        .find((c) => c.startsWith('rd_session='))!
        .split(';')[0]!;
      expect(cookie).not.toBe(here.cookie);
      expect((await api(server.url, '/api/auth/me', { session: elsewhere })).status).toBe(401);
      expect((await api(server.url, '/api/auth/me', { session: here })).status).toBe(401);
      const renewed = await api(server.url, '/api/auth/me', { session: { ...here, cookie, csrfToken: changed.body.csrfToken } });
      expect(renewed.status).toBe(200);
      expect(renewed.body.user.username).toBe(users.climate);
      await expect(login(server.url, users.climate)).rejects.toThrow(/401/);
      expect((await login(server.url, users.climate, 'Ampel im Ratssaal 7')).user.username).toBe(users.climate);
    });
  });
});
