/**
 * What a server process shares with the other processes of one installation:
 * nothing to share when it runs alone (the default), Redis when `REDIS_URL`
 * is set (cluster/redis.ts).
 */
import type { Extension } from '@hocuspocus/server';
import type { LimiterFactory } from '../accounts/login-throttle';
import type { ReadinessCheck } from '../api/health';
import type { Config } from '../config';
import { inProcessEvents, type ClusterEvents } from './events';
import { redisCluster } from './redis';

export interface Cluster {
  events: ClusterEvents;
  /** Where the login throttle keeps its counters; in memory when undefined. */
  loginLimiter?: LimiterFactory;
  /** Hocuspocus extensions that keep the documents in step with the other processes. */
  extensions: Extension[];
  /** What `/api/health/ready` checks besides the database (Redis, when shared). */
  readiness: ReadinessCheck[];
  close(): Promise<void>;
}

export function openCluster(config: Pick<Config, 'redisUrl' | 'redisPrefix'>): Promise<Cluster> {
  if (config.redisUrl) return redisCluster(config.redisUrl, config.redisPrefix);
  const events = inProcessEvents();
  return Promise.resolve({ events, extensions: [], readiness: [], close: () => events.close() });
}
