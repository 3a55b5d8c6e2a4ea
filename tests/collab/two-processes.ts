/**
 * Two Ratsdossier servers in this process, on one PostgreSQL schema and one Redis prefix, as
 * two processes of a cluster would be: what one process tells the others goes through the real
 * Redis. The process tests in tests/cluster start real processes, whose code the mutation tests
 * cannot change; these run the same paths where they can.
 *
 * Both storages are wrapped by faulty() (faulty-storage.ts): a test can make one fail and count
 * what each reads and stores.
 */
import { startRatsdossier, type StartOptions } from '../../server/app';
import type { Config } from '../../server/config';
import { postgresFactory, postgresUnavailableFor } from '../storage/factories';
import { redisUnavailable, redisUrl, removeKeys, testPrefix } from '../support/redis';
import { testConfig, wsUrlOf } from '../support/server';
import { faulty } from './faulty-storage';

/** Why the two processes cannot run here (printed), or undefined; in CI PostgreSQL and Redis must answer. */
export async function twoProcessesUnavailable(what: string): Promise<string | undefined> {
  return (await postgresUnavailableFor(what)) ?? (await redisUnavailable(what));
}

/** Starts A and B; `cleanup` receives the steps that stop them (run them in reverse order). */
export async function twoProcesses(cleanup: (() => Promise<void> | void)[], config: Partial<Config> = {}, options: StartOptions = {}) {
  const [storageA, storageB] = await postgresFactory.openPair();
  const a = faulty(storageA);
  const b = faulty(storageB);
  const prefix = testPrefix();
  cleanup.push(() => removeKeys(prefix));
  const shared = { redisUrl, redisPrefix: prefix, ...config };
  const serverA = await startRatsdossier(testConfig(shared), { ...options, storage: a.storage });
  cleanup.push(() => serverA.close());
  // A closes storing what it holds: with its storage working again
  cleanup.push(() => {
    a.control.failing = false;
  });
  const serverB = await startRatsdossier(testConfig(shared), { ...options, storage: b.storage });
  cleanup.push(() => serverB.close());
  return { prefix, a: { ...a, server: serverA, wsUrl: wsUrlOf(serverA.url) }, b: { ...b, server: serverB, wsUrl: wsUrlOf(serverB.url) } };
}
