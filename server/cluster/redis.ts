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
import { z } from 'zod';
import { clusterEvent, ClusterRequestFailed, LocalHandlers, REQUEST_TIMEOUT_MS, type ClusterEvents } from './events';
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

/**
 * What goes over the channel: an event, a request (an event whose sender waits for every process's
 * answer), or an answer to one process's request (`error` when a handler failed there).
 */
const wireMessage = z.union([
  z.object({ origin: z.string(), event: clusterEvent, request: z.string().optional() }),
  z.object({ origin: z.string(), answer: z.string(), to: z.string(), error: z.string().optional() }),
]);
type WireMessage = z.infer<typeof wireMessage>;

/** A request of this process waiting for the others: `expected` is known once Redis said how many heard it. */
interface PendingRequest {
  expected?: number;
  answered: Set<string>;
  failures: string[];
  settle: (error?: Error) => void;
}

/**
 * The cluster events over one pub/sub channel; each process ignores what it published itself (it
 * delivered that at once). A request counts its answers against the number of subscribers Redis
 * delivered it to (every process's event connection, this one's included), so a process that
 * holds unstored changes cannot be overlooked while it is connected.
 */
export async function redisEvents(url: string, prefix: string): Promise<ClusterEvents> {
  const [publisher, subscriber] = await Promise.all([connectRedis(url), connectRedis(url)]);
  const channel = `${prefix}:events`;
  const processId = randomUUID();
  const handlers = new LocalHandlers();
  const pending = new Map<string, PendingRequest>();
  const send = (message: WireMessage) => publisher.publish(channel, JSON.stringify(message));
  const settleIfComplete = (request: PendingRequest) => {
    if (request.expected === undefined || request.answered.size < request.expected) return;
    request.settle(request.failures.length > 0 ? new ClusterRequestFailed(request.failures.join('; ')) : undefined);
  };
  // events from elsewhere are handled in the order they were published
  let received = Promise.resolve();
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const parsed = parseMessage(message);
    if (!parsed || parsed.origin === processId) return;
    if ('answer' in parsed) {
      // answers are not queued: a handler here may be what waits for them
      const request = parsed.to === processId ? pending.get(parsed.answer) : undefined;
      if (!request || request.answered.has(parsed.origin)) return;
      request.answered.add(parsed.origin);
      if (parsed.error !== undefined) request.failures.push(parsed.error);
      settleIfComplete(request);
      return;
    }
    const { event, request } = parsed;
    received = received.then(async () => {
      let error: string | undefined;
      await handlers.deliver(event, false).catch((failure: Error) => {
        log.error({ err: failure, event: event.type }, 'handling a cluster event failed');
        error = `${event.type}: ${failure.message}`;
      });
      if (request === undefined) return;
      await send({ origin: processId, answer: request, to: parsed.origin, ...(error !== undefined ? { error } : {}) }).catch((failure: Error) =>
        log.error({ err: failure, event: event.type }, 'answering a cluster request failed'),
      );
    });
  });
  await subscriber.subscribe(channel);
  return {
    processId,
    async publish(event) {
      // sent first, so the other processes do not wait for this one's handlers
      const sent = send({ origin: processId, event }).catch((error: Error) =>
        log.error({ err: error, event: event.type }, 'publishing a cluster event failed'),
      );
      try {
        await handlers.deliver(event, true);
      } finally {
        await sent;
      }
    },
    async request(event, options = {}) {
      const id = randomUUID();
      const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const answered = new Promise<void>((resolve, reject) => {
        const request: PendingRequest = {
          answered: new Set(),
          failures: [],
          settle: (error) => {
            pending.delete(id);
            clearTimeout(timer);
            if (error) reject(error);
            else resolve();
          },
        };
        pending.set(id, request);
        timer = setTimeout(() => {
          const missing = request.expected === undefined ? 'unknown' : String(request.expected - request.answered.size);
          request.settle(new ClusterRequestFailed(`${event.type}: ${missing} process(es) did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        // Redis answers with how many subscribers heard it; one of them is this process
        send({ origin: processId, event, request: id }).then(
          (heard) => {
            request.expected = Math.max(0, heard - 1);
            settleIfComplete(request);
          },
          (error: Error) => request.settle(new ClusterRequestFailed(`${event.type}: Redis did not take the request (${error.message})`)),
        );
      });
      // the others' answers are collected meanwhile; a failure here is thrown after them
      const here = handlers.deliver(event, true);
      const [local, remote] = await Promise.allSettled([here, answered]);
      if (local.status === 'rejected') throw local.reason;
      if (remote.status === 'rejected') throw remote.reason;
    },
    subscribe: (handler) => handlers.add(handler),
    async close() {
      await received;
      for (const request of pending.values()) request.settle(new ClusterRequestFailed('the cluster events are closing'));
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}

function parseMessage(message: string): WireMessage | undefined {
  try {
    const parsed = wireMessage.safeParse(JSON.parse(message));
    if (parsed.success) return parsed.data;
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
