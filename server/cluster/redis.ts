/**
 * Several server processes sharing one Redis (`REDIS_URL`): the cluster
 * events over pub/sub, the login throttle's counters, and Hocuspocus' own
 * Redis extension, which keeps the section documents and their awareness in
 * step between the processes that have them loaded. Every key and channel
 * starts with the configured prefix (`REDIS_PREFIX`), so several
 * installations (or test runs) can share one Redis.
 */
import { randomUUID } from 'node:crypto';
import { Redis as DocumentSync } from '@hocuspocus/extension-redis';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { LimiterFactory } from '../accounts/login-throttle';
import { clusterEvent, LocalHandlers, type ClusterEvent, type ClusterEvents } from './events';
import type { Cluster } from './cluster';
import { logFor } from '../log';

const log = logFor('redis');

/** A connected client; rejects (and stops retrying) when Redis cannot be reached at once, so a misconfigured start fails clearly. */
export async function connectRedis(url: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true });
  let connected = false;
  // later outages: ioredis reconnects by itself (and subscribes again); say so instead of crashing
  client.on('error', (error: Error) => connected && log.error({ err: error }, 'Redis connection error'));
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new Error(`Redis unter REDIS_URL ist nicht erreichbar (${(error as Error).message})`);
  }
  connected = true;
  return client;
}

/** The cluster events over one pub/sub channel; each process ignores what it published itself (it delivered that at once). */
export async function redisEvents(url: string, prefix: string): Promise<ClusterEvents> {
  const [publisher, subscriber] = await Promise.all([connectRedis(url), connectRedis(url)]);
  const channel = `${prefix}:events`;
  const processId = randomUUID();
  const handlers = new LocalHandlers();
  // events from elsewhere are handled in the order they were published
  let received = Promise.resolve();
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const parsed = parseMessage(message);
    if (!parsed || parsed.origin === processId) return;
    received = received.then(() =>
      handlers.deliver(parsed.event, false).catch((error: Error) => log.error({ err: error, event: parsed.event.type }, 'handling a cluster event failed')),
    );
  });
  await subscriber.subscribe(channel);
  return {
    processId,
    async publish(event) {
      // sent first, so the other processes do not wait for this one's handlers
      const sent = publisher
        .publish(channel, JSON.stringify({ origin: processId, event }))
        .catch((error: Error) => log.error({ err: error, event: event.type }, 'publishing a cluster event failed'));
      try {
        await handlers.deliver(event, true);
      } finally {
        await sent;
      }
    },
    subscribe: (handler) => handlers.add(handler),
    async close() {
      await received;
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}

function parseMessage(message: string): { origin: string; event: ClusterEvent } | undefined {
  try {
    const { origin, event } = JSON.parse(message) as { origin?: unknown; event?: unknown };
    const parsed = clusterEvent.safeParse(event);
    if (typeof origin === 'string' && parsed.success) return { origin, event: parsed.data };
  } catch {
    // not ours: ignored below
  }
  log.warn({ message: message.slice(0, 200) }, 'ignored a malformed cluster event');
  return undefined;
}

export async function redisCluster(url: string, prefix: string): Promise<Cluster> {
  const events = await redisEvents(url, prefix);
  const store = await connectRedis(url);
  // a Redis outage must not stop logins: each limiter falls back to one in memory meanwhile
  const loginLimiter: LimiterFactory = (options) =>
    new RateLimiterRedis({
      ...options,
      storeClient: store,
      keyPrefix: `${prefix}:${options.keyPrefix}`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  // Its identifier is the process's: messages it sent itself come back and are skipped by it.
  const documents = new DocumentSync({
    createClient: () => {
      const client = new Redis(url);
      client.on('error', (error: Error) => log.error({ err: error }, 'Redis connection error'));
      return client;
    },
    prefix: `${prefix}:collab`,
    identifier: events.processId,
  });
  return {
    events,
    loginLimiter,
    extensions: [documents],
    readiness: [
      {
        name: 'redis',
        check: async () => {
          if ((await store.ping()) !== 'PONG') throw new Error('Redis antwortet nicht mit PONG');
        },
      },
    ],
    async close() {
      await documents.onDestroy();
      await events.close();
      store.disconnect();
    },
  };
}
