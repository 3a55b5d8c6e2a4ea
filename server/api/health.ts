/**
 * Health for load balancers and orchestrators, before login:
 * `GET /api/health` status, version and storage kind (unchanged);
 * `GET /api/health/live` the process answers;
 * `GET /api/health/ready` every dependency answers (the database, Redis when configured), else 503 naming the failed ones.
 */
import { Router } from 'express';
import { logFor } from '../log';
import type { Storage } from '../storage/storage';

const log = logFor('health');

/** One dependency the server needs to serve requests; `check` throws when it is unreachable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** A check that has not answered within this long counts as failed: a hanging dependency must not hang the probe. */
const CHECK_TIMEOUT_MS = 2000;

export function databaseCheck(storage: Storage): ReadinessCheck {
  return { name: 'database', check: () => storage.ping() };
}

export function healthRouter(deps: { version: string; storage: Storage; readiness: ReadinessCheck[] }): Router {
  const router = Router();
  // Stryker disable next-line StringLiteral: Express mounts a route at '' exactly as at '/', the router's own path
  router.get('/', (_req, res) => {
    res.json({ status: 'ok', version: deps.version, storage: deps.storage.kind });
  });
  router.get('/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  router.get('/ready', async (_req, res) => {
    const results = await Promise.all(deps.readiness.map(async ({ name, check }) => ({ name, ok: await answers(name, check) })));
    const checks = Object.fromEntries(results.map(({ name, ok }) => [name, ok ? 'ok' : 'failed']));
    const failed = results.filter((result) => !result.ok).map((result) => result.name);
    if (failed.length > 0) res.status(503).json({ status: 'unavailable', failed, checks });
    else res.json({ status: 'ready', checks });
  });
  return router;
}

async function answers(name: string, check: () => Promise<void>): Promise<boolean> {
  const timeout = new Promise<never>((_resolve, reject) => {
    // Stryker disable next-line StringLiteral: the reason reaches only the operators' log line below
    const timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    // a check that answers in time leaves the timer to run out: it rejects a race already decided and holds no process open
    // Stryker disable next-line CallExpression: memory only, nothing waits for the timer
    timer.unref();
  });
  try {
    await Promise.race([check(), timeout]);
    return true;
  } catch (error) {
    // the probe's answer names the check only; why it failed is for the operators' log
    log.warn({ check: name, err: error }, 'readiness check failed');
    return false;
  }
}
