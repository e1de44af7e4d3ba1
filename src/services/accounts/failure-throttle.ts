// Failed sign-ins per client address: after `limit` failures in a window that starts at the first
// one, the address is throttled until the window ends. Bounded: at most `maxAddresses` tracked.

export interface FailureThrottleOptions {
  /** Failures allowed per window (default 10). */
  readonly limit?: number;
  readonly windowSeconds?: number;
  readonly maxAddresses?: number;
}

interface Window {
  readonly start: number;
  count: number;
}

export class FailureThrottle {
  readonly limit: number;
  readonly windowMs: number;
  readonly maxAddresses: number;
  /** Insertion order is window-start order (a new window re-inserts), so the stalest are first. */
  private readonly windows = new Map<string, Window>();

  constructor(options: FailureThrottleOptions = {}) {
    this.limit = options.limit ?? 10;
    this.windowMs = (options.windowSeconds ?? 60) * 1000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
    if (!(this.limit >= 1 && this.windowMs > 0 && this.maxAddresses >= 1)) throw new RangeError('throttle limit, window and size must be positive');
  }

  /** Seconds until the address may try again (at least 1), or 0 when it is not throttled. */
  retryAfter(address: string, nowMs: number): number {
    if (this.windows.size === 0) return 0;
    const w = this.windows.get(address);
    if (!w) return 0;
    const left = w.start + this.windowMs - nowMs;
    if (left <= 0) {
      this.windows.delete(address);
      return 0;
    }
    return w.count >= this.limit ? Math.max(1, Math.ceil(left / 1000)) : 0;
  }

  recordFailure(address: string, nowMs: number): void {
    const w = this.windows.get(address);
    if (w && nowMs - w.start < this.windowMs) {
      w.count++;
      return;
    }
    if (w) this.windows.delete(address);
    this.makeRoom(nowMs);
    this.windows.set(address, { start: nowMs, count: 1 });
  }

  /** Forgets the address's failures (a console account that signed in correctly starts afresh). */
  clear(address: string): void {
    this.windows.delete(address);
  }

  /** How many addresses are tracked (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private makeRoom(nowMs: number): void {
    for (const [address, w] of this.windows) {
      if (this.windows.size < this.maxAddresses && nowMs - w.start < this.windowMs) break;
      // Expired, or the oldest when full: forgetting the oldest window is the least harm.
      this.windows.delete(address);
    }
  }
}
