/**
 * What the tests across server processes share: one Redis key prefix, one data
 * directory, optionally one fresh PostgreSQL schema, the real server processes
 * started on them, and the clients to close before those stop.
 */
import { redisUrl, removeKeys, testPrefix } from '../support/redis';
import { freePort, startServerProcess, tempDataDir, type ServerProcess } from '../support/server';
import { freshSchema } from '../storage/factories';

export interface ProcessOptions {
  /** SEED_DEMO: 'true' for the process that seeds people and the demo dossier, 'people' for the others. */
  seedDemo: string;
  /** A port chosen beforehand (e.g. one a load balancer points to); a free one otherwise. */
  port?: number;
  storeDebounceMs?: number;
  env?: NodeJS.ProcessEnv;
}

export class Cluster {
  readonly prefix = testPrefix();
  readonly data = tempDataDir();
  /** Closed before the processes stop, and by `closeClients` between tests. */
  readonly cleanups: (() => unknown)[] = [];
  private schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
  private readonly processes: ServerProcess[] = [];

  /** Puts the processes started from now on a fresh PostgreSQL schema of their own; returns its URL. */
  async useFreshSchema(): Promise<string> {
    this.schema = await freshSchema();
    return this.schema.url;
  }

  /**
   * Starts a server process on the shared data directory, Redis prefix and (after `useFreshSchema`)
   * schema. Without a schema, DATABASE_URL reaches it with the rest of the environment when set.
   */
  async start(options: ProcessOptions): Promise<ServerProcess> {
    const server = await startServerProcess({
      dataDir: this.data.dir,
      port: options.port ?? (await freePort()),
      storeDebounceMs: options.storeDebounceMs,
      extraEnv: {
        ...(this.schema ? { DATABASE_URL: this.schema.url } : {}),
        REDIS_URL: redisUrl,
        REDIS_PREFIX: this.prefix,
        SEED_DEMO: options.seedDemo,
        ...options.env,
      },
      startTimeoutMs: 120_000,
    });
    this.processes.push(server);
    return server;
  }

  async closeClients(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0)) await cleanup();
  }

  /** Closes the clients, stops every process still running (SIGTERM), then removes the keys, the schema and the data directory. */
  async stop(): Promise<void> {
    await this.closeClients();
    for (const server of this.processes) {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
      await server.exited;
    }
    await removeKeys(this.prefix);
    await this.schema?.drop();
    this.data.remove();
  }
}
