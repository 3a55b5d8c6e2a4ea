/**
 * Login rate limiting: after too many failed attempts for one user name or
 * from one address within a window, further attempts are refused (429) until
 * the window has passed. Kept in memory: per server process.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: { perUser: number; perAddress: number; windowMs: number },
  ) {}

  /** Seconds until the next attempt is allowed, or 0 if it is allowed now. */
  retryAfter(username: string, address: string, now = Date.now()): number {
    const wait = (key: string, limit: number) => {
      const recent = this.recent(key, now);
      return recent.length >= limit ? Math.ceil((recent[0]! + this.limits.windowMs - now) / 1000) : 0;
    };
    return Math.max(wait(`user:${username.toLowerCase()}`, this.limits.perUser), wait(`address:${address}`, this.limits.perAddress));
  }

  fail(username: string, address: string, now = Date.now()): void {
    for (const key of [`user:${username.toLowerCase()}`, `address:${address}`]) this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeed(username: string): void {
    this.failures.delete(`user:${username.toLowerCase()}`);
  }

  private recent(key: string, now: number): number[] {
    const recent = (this.failures.get(key) ?? []).filter((at) => now - at < this.limits.windowMs);
    if (recent.length) this.failures.set(key, recent);
    else this.failures.delete(key);
    return recent;
  }
}
