/**
 * The login throttle in-process, with its real in-memory limiters: the delay per account, the limit per
 * address and one verification at a time. The delays are read off LoginThrottled, and the delay limiter
 * (the store a deployment would share) is cleared instead of waiting out each delay.
 */
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { afterAll, describe, expect, it } from 'vitest';
import { LoginThrottle, LoginThrottled, type LimiterFactory } from '../../server/accounts/login-throttle';
import { openCluster, type Cluster } from '../../server/cluster/cluster';
import { redisUnavailable, redisUrl, removeKeys, testPrefix } from '../support/redis';

const unavailable = await redisUnavailable('the login throttle shared through Redis');

/** A throttle on real memory limiters, with the limiters it made by key prefix. */
function throttle(perAddress = 1000, addressWindowSeconds = 600) {
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiter: LimiterFactory = (options) => {
    const made = new RateLimiterMemory(options);
    limiters.set(options.keyPrefix, made);
    return made;
  };
  return { throttle: new LoginThrottle({ perAddress, addressWindowSeconds, limiter }), limiters };
}

const right = async () => true;
const wrong = async () => false;

/** The rejection of an attempt, or undefined when it was allowed. */
async function refusal(attempt: Promise<boolean>): Promise<LoginThrottled | undefined> {
  try {
    await attempt;
    return undefined;
  } catch (error) {
    if (error instanceof LoginThrottled) return error;
    throw error;
  }
}

describe('the login throttle per account', () => {
  it('lets five wrong passwords through, then delays 1, 2, 4 … seconds up to a minute', async () => {
    const { throttle: login, limiters } = throttle();
    for (let failure = 1; failure <= 4; failure++) expect(await login.attempt('anna', '10.0.0.1', wrong)).toBe(false);
    expect(await refusal(login.attempt('anna', '10.0.0.1', wrong))).toBeUndefined();
    const delays: number[] = [];
    for (let failure = 6; failure <= 13; failure++) {
      let verified = false;
      const refused = await refusal(login.attempt('anna', '10.0.0.1', async () => (verified = true)));
      expect(refused, `attempt ${failure}`).toBeInstanceOf(LoginThrottled);
      expect(verified).toBe(false);
      delays.push(refused!.retryAfterSeconds);
      // the delay has passed: the next attempt fails once more
      await limiters.get('login-delay')!.delete('anna');
      expect(await login.attempt('anna', '10.0.0.1', wrong)).toBe(false);
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it('counts the account whatever the case of the name, and other accounts separately', async () => {
    const { throttle: login } = throttle();
    for (const name of ['Anna', 'ANNA', 'anna', 'aNNa', 'annA']) await login.attempt(name, '10.0.0.1', wrong);
    expect(await refusal(login.attempt('anna', '10.0.0.2', right))).toBeInstanceOf(LoginThrottled);
    expect(await login.attempt('ben', '10.0.0.1', right)).toBe(true);
  });

  it('forgets the failures after a success', async () => {
    const { throttle: login } = throttle();
    for (let failure = 1; failure <= 4; failure++) await login.attempt('anna', '10.0.0.1', wrong);
    expect(await login.attempt('anna', '10.0.0.1', right)).toBe(true);
    for (let failure = 1; failure <= 4; failure++) expect(await login.attempt('anna', '10.0.0.1', wrong)).toBe(false);
    expect(await login.attempt('anna', '10.0.0.1', right)).toBe(true);
  });

  it('verifies one password of an account at a time, and frees the account afterwards, also after an error', async () => {
    const { throttle: login } = throttle();
    let release!: (valid: boolean) => void;
    const first = login.attempt('anna', '10.0.0.1', () => new Promise<boolean>((resolve) => (release = resolve)));
    await expect.poll(() => release).toBeDefined();
    const parallel = await refusal(login.attempt('ANNA', '10.0.0.2', right));
    expect(parallel).toBeInstanceOf(LoginThrottled);
    expect(parallel!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(await login.attempt('ben', '10.0.0.1', right)).toBe(true);
    release(true);
    expect(await first).toBe(true);
    expect(await login.attempt('anna', '10.0.0.1', right)).toBe(true);

    await expect(login.attempt('anna', '10.0.0.1', async () => Promise.reject(new Error('Speicher weg')))).rejects.toThrow('Speicher weg');
    expect(await login.attempt('anna', '10.0.0.1', right)).toBe(true);
  });
});

describe('the login throttle per address', () => {
  it('allows a number of failed attempts per address; successes give their point back', async () => {
    const { throttle: login } = throttle(2, 600);
    expect(await login.attempt('anna', '10.0.0.1', wrong)).toBe(false);
    expect(await login.attempt('ben', '10.0.0.1', right)).toBe(true);
    expect(await login.attempt('carla', '10.0.0.1', wrong)).toBe(false);
    let verified = false;
    const refused = await refusal(login.attempt('dora', '10.0.0.1', async () => (verified = true)));
    expect(refused).toBeInstanceOf(LoginThrottled);
    expect(verified).toBe(false);
    expect(refused!.retryAfterSeconds).toBeGreaterThan(590);
    expect(refused!.retryAfterSeconds).toBeLessThanOrEqual(600);
    // another address is not affected
    expect(await login.attempt('dora', '10.0.0.2', right)).toBe(true);
  });
});

describe('the login throttle without a shared store', () => {
  it('keeps its counters in memory', async () => {
    const login = new LoginThrottle({ perAddress: 1, addressWindowSeconds: 60 });
    expect(await login.attempt('anna', '10.0.0.1', wrong)).toBe(false);
    expect(await refusal(login.attempt('ben', '10.0.0.1', right))).toBeInstanceOf(LoginThrottled);
    expect(await login.attempt('ben', '10.0.0.2', right)).toBe(true);
  });
});

describe.skipIf(unavailable !== undefined)('the login throttle shared through Redis', () => {
  const prefix = testPrefix();
  const clusters: Cluster[] = [];
  /** A throttle as one server process of the installation holds it. */
  const processThrottle = async (perAddress = 1000, ofPrefix = prefix) => {
    const cluster = await openCluster({ redisUrl, redisPrefix: ofPrefix });
    clusters.push(cluster);
    expect(cluster.loginLimiter).toBeDefined();
    return new LoginThrottle({ perAddress, addressWindowSeconds: 600, limiter: cluster.loginLimiter });
  };
  afterAll(async () => {
    await Promise.all(clusters.map((cluster) => cluster.close()));
    await removeKeys(prefix);
  });

  it('delays an account on every process after five wrong passwords on one', async () => {
    const [a, b, elsewhere] = [await processThrottle(), await processThrottle(), await processThrottle(1000, testPrefix())];
    for (let failure = 1; failure <= 5; failure++) expect(await a.attempt('anna', '10.0.0.1', wrong)).toBe(false);
    let verified = false;
    const refused = await refusal(b.attempt('Anna', '10.0.0.2', async () => (verified = true)));
    expect(refused).toBeInstanceOf(LoginThrottled);
    expect(verified).toBe(false);
    // another installation on the same Redis counts for itself
    expect(await elsewhere.attempt('anna', '10.0.0.1', right)).toBe(true);
  });

  it('counts the failed attempts of an address on all processes together', async () => {
    const [a, b] = [await processThrottle(2), await processThrottle(2)];
    expect(await a.attempt('carla', '10.0.1.1', wrong)).toBe(false);
    expect(await b.attempt('dora', '10.0.1.1', wrong)).toBe(false);
    expect(await refusal(a.attempt('emil', '10.0.1.1', right))).toBeInstanceOf(LoginThrottled);
  });

  it('verifies one password of an account at a time across processes', async () => {
    const [a, b] = [await processThrottle(), await processThrottle()];
    let release!: (valid: boolean) => void;
    const first = a.attempt('frida', '10.0.2.1', () => new Promise<boolean>((resolve) => (release = resolve)));
    await expect.poll(() => release).toBeDefined();
    expect(await refusal(b.attempt('frida', '10.0.2.2', right))).toBeInstanceOf(LoginThrottled);
    release(true);
    expect(await first).toBe(true);
    expect(await b.attempt('frida', '10.0.2.2', right)).toBe(true);
  });
});

describe('the message of a throttled login', () => {
  it('says seconds below two minutes and whole minutes from there', () => {
    expect(new LoginThrottled(1).message).toBe('Zu viele Anmeldeversuche. Bitte in 1 Sekunde(n) erneut versuchen.');
    expect(new LoginThrottled(119).message).toBe('Zu viele Anmeldeversuche. Bitte in 119 Sekunde(n) erneut versuchen.');
    expect(new LoginThrottled(120).message).toBe('Zu viele Anmeldeversuche. Bitte in 2 Minuten erneut versuchen.');
    expect(new LoginThrottled(121).message).toBe('Zu viele Anmeldeversuche. Bitte in 3 Minuten erneut versuchen.');
    expect(new LoginThrottled(60).retryAfterSeconds).toBe(60);
    expect(new LoginThrottled(60).name).toBe('LoginThrottled');
  });
});
