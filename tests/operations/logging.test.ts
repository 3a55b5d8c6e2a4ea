/**
 * The server logs JSON lines (pino): one per request with its request id (the
 * caller's X-Request-Id or a new one, answered in the same header) and the
 * signed-in user's id; passwords, cookies and CSRF tokens never appear.
 */
import { afterEach, expect, it } from 'vitest';
import { startRatsdossier } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/demo/people';
import { logFor } from '../../server/log';
import { captureLog } from '../support/log';
import { api, testConfig, users, waitFor } from '../support/server';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

it('logs every request as JSON with its request id and user, and no password, cookie or token', async () => {
  const log = captureLog();
  cleanup.push(() => log.stop());
  const app = await startRatsdossier(testConfig({ logLevel: 'info' }));
  cleanup.push(() => app.close());
  const requests = () => log.entries().filter((entry) => entry.area === 'http');
  const lineOf = (reqId: string | null) => requests().find((entry) => entry.reqId === reqId);

  // a login with the password, carrying the proxy's request id
  const loginResponse = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'proxy-4711.a' },
    body: JSON.stringify({ username: users.lead, password: DEMO_PASSWORD }),
  });
  expect(loginResponse.status).toBe(200);
  expect(loginResponse.headers.get('x-request-id')).toBe('proxy-4711.a');
  const cookie = loginResponse.headers.getSetCookie()[0]!.split(';')[0]!;
  const { csrfToken, user } = (await loginResponse.json()) as { csrfToken: string; user: { id: string } };
  const session = { cookie, csrfToken, user: user as never };
  await waitFor(() => lineOf('proxy-4711.a') !== undefined, { message: () => log.raw.join('') });
  expect(lineOf('proxy-4711.a')).toMatchObject({ level: 30, req: { method: 'POST', url: '/api/auth/login', address: '127.0.0.1' }, res: { statusCode: 200 } });

  // signed in: the user's id, and a new request id when none (or no plain one) is sent
  const me = await api(app.url, '/api/auth/me', { session });
  const meId = me.headers.get('x-request-id')!;
  expect(meId).toMatch(UUID);
  const forged = await api(app.url, '/api/dossiers', { session, headers: { 'x-request-id': 'a b {"admin":true}' } });
  expect(forged.headers.get('x-request-id')).toMatch(UUID);
  const logout = await api(app.url, '/api/auth/logout', { method: 'POST', session });
  expect(logout.status).toBeLessThan(300);
  // a failed login with another password
  const wrong = await api(app.url, '/api/auth/login', { method: 'POST', json: { username: users.finance, password: 'falsches-Passwort-0815' } });
  expect(wrong.status).toBe(401);

  await waitFor(() => requests().length >= 5, { message: () => log.raw.join('') });
  expect(lineOf(meId)).toMatchObject({ userId: user.id, req: { method: 'GET', url: '/api/auth/me' }, res: { statusCode: 200 } });
  expect(lineOf(forged.headers.get('x-request-id'))).toMatchObject({ userId: user.id });
  expect(lineOf(wrong.headers.get('x-request-id'))).toMatchObject({ res: { statusCode: 401 } });
  expect(lineOf(wrong.headers.get('x-request-id'))).not.toHaveProperty('userId');
  for (const entry of requests())
    expect(entry).toEqual(expect.objectContaining({ reqId: expect.any(String), time: expect.any(String), responseTime: expect.any(Number) }));

  const everything = log.raw.join('');
  for (const secret of [DEMO_PASSWORD, 'falsches-Passwort-0815', cookie.split('=')[1]!, csrfToken]) expect(everything).not.toContain(secret);
  expect(everything).not.toMatch(/cookie|x-csrf-token/i);
});

it('removes secrets from any object an area logs', () => {
  const log = captureLog();
  cleanup.push(() => log.stop());
  logFor('accounts').warn(
    {
      password: 'klartext-1',
      body: { newPassword: 'klartext-2', csrfToken: 'klartext-3' },
      headers: { cookie: 'rd_session=klartext-4', authorization: 'Bearer klartext-5' },
    },
    'something with secrets',
  );
  const [entry] = log.entries();
  expect(entry).toMatchObject({
    area: 'accounts',
    msg: 'something with secrets',
    password: '[entfernt]',
    body: { newPassword: '[entfernt]', csrfToken: '[entfernt]' },
  });
  expect(log.raw.join('')).not.toContain('klartext');
});

it('logs a request at the level its answer deserves: health probes quietly, a 503 as a warning, a server fault as an error, other answers as info', async () => {
  const log = captureLog();
  cleanup.push(() => log.stop());
  let ready = true;
  const app = await startRatsdossier(testConfig({ logLevel: 'info' }), {
    readinessChecks: [
      {
        name: 'nachbar',
        check: async () => {
          if (!ready) throw new Error('injected: not ready');
        },
      },
    ],
  });
  cleanup.push(() => app.close());
  // the request's own line (a 500 also has the line that logged its error, with the same id)
  const lineOf = (response: Response) =>
    log.entries().find((entry) => entry.area === 'http' && entry.reqId === response.headers.get('x-request-id') && 'res' in entry);

  const probe = await fetch(`${app.url}/api/health/ready`);
  expect(probe.status).toBe(200);
  ready = false;
  const unready = await fetch(`${app.url}/api/health/ready`);
  expect(unready.status).toBe(503);
  const unknown = await fetch(`${app.url}/api/gibt-es-nicht`);
  expect(unknown.status).toBe(401);
  const page = await fetch(`${app.url}/`);
  // lines are written in the order the answers finish: once the last one is there, the earlier ones are
  await waitFor(() => lineOf(page) !== undefined, { message: () => log.raw.join('') });
  expect(lineOf(unready)).toMatchObject({ level: 40, req: { url: '/api/health/ready' }, res: { statusCode: 503 } });
  expect(lineOf(unknown)).toMatchObject({ level: 30, res: { statusCode: 401 } });
  expect(lineOf(page)).toMatchObject({ level: 30, req: { method: 'GET', url: '/' } });
  expect(lineOf(probe), 'a successful health probe was logged at info').toBeUndefined();

  // a fault of the server's own (its database handle closed) is an error
  await app.storage.close();
  const broken = await fetch(`${app.url}/api/auth/me`, { headers: { cookie: 'rd_session=irgendwas' } });
  expect(broken.status).toBe(500);
  await waitFor(() => lineOf(broken) !== undefined, { message: () => log.raw.join('') });
  expect(lineOf(broken)).toMatchObject({ level: 50, res: { statusCode: 500 } });
});
