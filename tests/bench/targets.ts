/**
 * The servers the benchmarks measure, each in its own process: Ratsdossier
 * (`tsx server/main.ts`, one process on SQLite, or several on one PostgreSQL
 * schema and one Redis prefix as in production), and the baseline, a plain
 * Hocuspocus server (plain-hocuspocus.ts).
 */
import { spawn } from 'node:child_process';
import { freshSchema, postgresUnavailable } from '../storage/factories';
import { redisUrl, removeKeys, testPrefix } from '../support/redis';
import { connectRedis } from '../../server/cluster/redis';
import { createTestDossier, freePort, login, projectRoot, startServerProcess, tempDataDir, users, type Session } from '../support/server';

export interface BenchServer {
  label: string;
  pid: number;
  url: string;
  wsUrl: string;
  /** The session cookie every simulated user sends (Ratsdossier authenticates every connection); none for the baseline. */
  cookie?: string;
  stop(): Promise<void>;
}

export interface RatsdossierServer extends BenchServer {
  session: Session;
}

/**
 * Ratsdossier in its own process, the lead signed in. All simulated users share that account: pass
 * MAX_SOCKETS_PER_USER (and MAX_SOCKETS_PER_ADDRESS) in `env` to lift its socket limits.
 */
export async function ratsdossierServer(options: {
  label?: string;
  storeDebounceMs: number;
  env?: NodeJS.ProcessEnv;
  dataDir?: string;
}): Promise<RatsdossierServer> {
  const data = options.dataDir ? undefined : tempDataDir();
  const server = await startServerProcess({
    dataDir: options.dataDir ?? data!.dir,
    port: await freePort(),
    storeDebounceMs: options.storeDebounceMs,
    extraEnv: options.env,
    startTimeoutMs: 180_000,
  });
  const session = await login(server.url, users.lead);
  return {
    label: options.label ?? 'Ratsdossier',
    pid: server.child.pid!,
    url: server.url,
    wsUrl: server.wsUrl,
    cookie: session.cookie,
    session,
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
      data?.remove();
    },
  };
}

/** Why the production setup (PostgreSQL and Redis) cannot be benchmarked here, or undefined. */
export async function clusterUnavailable(): Promise<string | undefined> {
  const redis = await connectRedis(redisUrl).then(
    (client) => void client.disconnect(),
    (error: Error) => `Redis: ${error.message}`,
  );
  return redis ?? (await postgresUnavailable());
}

/**
 * Several Ratsdossier processes as in production: one fresh PostgreSQL schema on the test database, one
 * Redis with a key prefix of its own. `stop` ends them, drops the schema and removes the keys.
 */
export async function ratsdossierCluster(
  count: number,
  options: { storeDebounceMs: number; env?: NodeJS.ProcessEnv },
): Promise<{ servers: RatsdossierServer[]; stop(): Promise<void> }> {
  const schema = await freshSchema();
  const prefix = testPrefix();
  const data = tempDataDir();
  const env = { ...options.env, DATABASE_URL: schema.url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix };
  const servers: RatsdossierServer[] = [];
  const stop = async () => {
    for (const server of servers) await server.stop();
    await schema.drop();
    await removeKeys(prefix);
    data.remove();
  };
  try {
    // one after another: the first migrates the fresh schema and seeds the people
    for (let i = 0; i < count; i++) {
      servers.push(
        await ratsdossierServer({ label: `Ratsdossier ${String.fromCharCode(65 + i)}`, storeDebounceMs: options.storeDebounceMs, env, dataDir: data.dir }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { servers, stop };
}

/** `count` new dossiers of the demo template, created by the signed-in lead; their ids. */
export async function createDossiers(server: RatsdossierServer, count: number, title: string): Promise<string[]> {
  const ids: string[] = [];
  for (let k = 0; k < count; k++) ids.push(await createTestDossier(server.url, { session: server.session, title: `${title} ${k + 1}` }));
  return ids;
}

/** The baseline: a plain Hocuspocus server without any of Ratsdossier's extensions; any document name works. */
export async function plainHocuspocusServer(): Promise<BenchServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/plain-hocuspocus.ts', String(port)], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  return {
    label: 'plain Hocuspocus',
    pid: child.pid!,
    url,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
