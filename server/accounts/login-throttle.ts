/**
 * Login throttling, as OWASP recommends: a delay per account instead of a lockout (nobody can lock a
 * colleague out for long by typing wrong passwords), and a limit on failed attempts per address.
 *
 * - Per account, at most one password verification runs at a time, so a parallel burst meets the same
 *   limits as a sequence. After 5 consecutive failures every further attempt must wait a delay that
 *   doubles from 1 s up to 60 s; a success resets it.
 * - Per address, at most `perAddress` failed attempts in `addressWindowSeconds`. The point is consumed
 *   before the verification (atomically) and refunded on success, so an office behind one NAT address
 *   can sign in together.
 *
 * The counters live in rate-limiter-flexible limiters made by `limiter`: in memory by default, a shared
 * store (e.g. RateLimiterRedis) when several server processes must share them.
 */
import { RateLimiterMemory, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from 'rate-limiter-flexible';

export type LimiterFactory = (options: IRateLimiterOptions & { keyPrefix: string }) => RateLimiterAbstract;

export interface LoginThrottleOptions {
  perAddress: number;
  addressWindowSeconds: number;
  limiter?: LimiterFactory;
}

/** Consecutive failures of one account before each attempt waits. */
const FREE_FAILURES = 5;
const MAX_DELAY_SECONDS = 60;

export class LoginThrottled extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(
      `Zu viele Anmeldeversuche. Bitte in ${retryAfterSeconds < 120 ? `${retryAfterSeconds} Sekunde(n)` : `${Math.ceil(retryAfterSeconds / 60)} Minuten`} erneut versuchen.`,
    );
    this.name = 'LoginThrottled';
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class LoginThrottle {
  /** One point per account while its password is being verified; expires in case a process dies mid-check. */
  private readonly verifying: RateLimiterAbstract;
  private readonly failures: RateLimiterAbstract;
  /** Blocked for the current delay after a failure beyond the free ones. */
  private readonly delay: RateLimiterAbstract;
  private readonly address: RateLimiterAbstract;

  constructor(options: LoginThrottleOptions) {
    const make = options.limiter ?? ((o) => new RateLimiterMemory(o));
    this.verifying = make({ keyPrefix: 'login-verifying', points: 1, duration: 30 });
    this.failures = make({ keyPrefix: 'login-failures', points: 1_000_000, duration: 24 * 3600 });
    this.delay = make({ keyPrefix: 'login-delay', points: 1, duration: MAX_DELAY_SECONDS });
    this.address = make({ keyPrefix: 'login-address', points: options.perAddress, duration: options.addressWindowSeconds });
  }

  /**
   * Runs `verify` (true: the credentials are right) if the throttle allows an attempt now; otherwise
   * rejects with LoginThrottled without calling it.
   */
  async attempt(username: string, address: string, verify: () => Promise<boolean>): Promise<boolean> {
    const account = username.toLowerCase();
    await refused(this.verifying.consume(account));
    try {
      const delayed = await this.delay.get(account);
      if (delayed && delayed.consumedPoints > 1) throw new LoginThrottled(seconds(delayed.msBeforeNext));
      await refused(this.address.consume(address));
      const valid = await verify();
      if (valid) {
        await Promise.all([this.address.reward(address), this.failures.delete(account), this.delay.delete(account)]);
      } else {
        const { consumedPoints } = await this.failures.penalty(account);
        if (consumedPoints >= FREE_FAILURES) await this.delay.block(account, Math.min(MAX_DELAY_SECONDS, 2 ** (consumedPoints - FREE_FAILURES)));
      }
      return valid;
    } finally {
      await this.verifying.delete(account);
    }
  }
}

/** A limiter's refusal (a RateLimiterRes) as LoginThrottled; a store's error stays an error. */
async function refused(consumed: Promise<RateLimiterRes>): Promise<void> {
  await consumed.catch((result: unknown) => {
    throw result instanceof RateLimiterRes ? new LoginThrottled(seconds(result.msBeforeNext)) : result;
  });
}
