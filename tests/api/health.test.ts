/**
 * Health routes for load balancers: live while the process answers, ready while
 * the database (and every further configured dependency) answers, 503 naming
 * what failed otherwise. `/api/health` stays as it was.
 */
import { afterEach, expect, it } from 'vitest';
import { startRatsdossier } from '../../server/app';
import { captureLog } from '../support/log';
import { api, testConfig, waitFor } from '../support/server';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

it('answers live and ready, and ready turns 503 naming the database once the storage is closed', async () => {
  const app = await startRatsdossier(testConfig());
  cleanup.push(() => app.close());

  expect(await api(app.url, '/api/health')).toMatchObject({ status: 200, body: { status: 'ok', storage: 'sqlite' } });
  expect(await api(app.url, '/api/health/live')).toMatchObject({ status: 200, body: { status: 'live' } });
  const ready = await api(app.url, '/api/health/ready');
  expect(ready).toMatchObject({ status: 200, body: { status: 'ready', checks: { database: 'ok' } } });
  expect(ready.headers.get('cache-control')).toBe('no-store');

  await app.storage.close();
  const log = captureLog();
  cleanup.push(() => log.stop());
  const unavailable = await api(app.url, '/api/health/ready');
  expect(unavailable).toMatchObject({
    status: 503,
    body: { status: 'unavailable', failed: ['database'], checks: { database: 'failed' } },
  });
  // why, for the operators: in the log, not in the answer
  expect(JSON.stringify(unavailable.body)).not.toContain('not open');
  await waitFor(() => log.entries().some((entry) => entry.area === 'health'));
  expect(log.entries().find((entry) => entry.area === 'health')).toMatchObject({
    level: 40,
    check: 'database',
    err: { message: 'The database connection is not open' },
  });
  const requestLine = log.entries().find((entry) => entry.area === 'http' && (entry.req as { url: string }).url === '/api/health/ready');
  // a 503 is the server's own answer (the check above says why): a warning, not an error with a stack
  expect(requestLine).toMatchObject({ level: 40, res: { statusCode: 503 } });
  expect(requestLine).not.toHaveProperty('err');
  expect(await api(app.url, '/api/health/live')).toMatchObject({ status: 200, body: { status: 'live' } });
});

it('checks the further dependencies it is given, and a check that hangs counts as failed', async () => {
  let redisUp = true;
  const app = await startRatsdossier(testConfig(), {
    readinessChecks: [
      {
        name: 'redis',
        check: async () => {
          if (!redisUp) throw new Error('connection refused');
        },
      },
      { name: 'hanging', check: () => (redisUp ? Promise.resolve() : new Promise<void>(() => undefined)) },
    ],
  });
  cleanup.push(() => app.close());
  expect(await api(app.url, '/api/health/ready')).toMatchObject({ status: 200, body: { checks: { database: 'ok', redis: 'ok', hanging: 'ok' } } });
  redisUp = false;
  expect(await api(app.url, '/api/health/ready')).toMatchObject({
    status: 503,
    body: { failed: ['redis', 'hanging'], checks: { database: 'ok', redis: 'failed', hanging: 'failed' } },
  });
});
