/**
 * Test support: the Redis the tests across processes need (REDIS_URL, else
 * 127.0.0.1:6379). Without it they skip and say why; in CI (`CI` set) the
 * test file fails instead. Each user takes its own key prefix and removes its
 * keys afterwards.
 */
import { randomUUID } from 'node:crypto';
import { connectRedis } from '../../server/cluster/redis';

export const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Why Redis cannot be used, or undefined when it can. */
export async function redisUnavailable(what: string): Promise<string | undefined> {
  const reason = await connectRedis(redisUrl).then(
    (client) => void client.disconnect(),
    (error: Error) => error.message,
  );
  if (reason && process.env.CI) throw new Error(`Redis is required in CI for ${what}: ${reason}`);
  if (reason) console.warn(`Skipping ${what}: ${reason}`);
  return reason;
}

export const testPrefix = () => `ratsdossier-test-${randomUUID()}`;

/** Deletes every key under the prefix. */
export async function removeKeys(prefix: string): Promise<void> {
  const redis = await connectRedis(redisUrl);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
