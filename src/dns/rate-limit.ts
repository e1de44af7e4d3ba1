// Per-address token buckets: one per /32 (IPv4) and /128 (IPv6), since a class of pupils shares one
// NAT address and a wider key would let one device starve the others behind it.
export interface RateLimitOptions {
  /** Sustained queries per second per address; 0 turns limiting off. */
  readonly perSecond: number;
  /** Bucket size: how many queries may arrive at once. */
  readonly burst: number;
  /** Most addresses tracked at once; the idlest are forgotten first. */
  readonly maxAddresses?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxAddresses: number;
  dropped = 0;

  constructor(private readonly options: RateLimitOptions) {
    this.maxAddresses = options.maxAddresses ?? 100_000;
  }

  /** May this address send one more query at `nowMs`? */
  allow(address: string, nowMs: number): boolean {
    const { perSecond, burst } = this.options;
    if (perSecond <= 0) return true;
    let b = this.buckets.get(address);
    if (!b) {
      if (this.buckets.size >= this.maxAddresses) this.forgetFull(nowMs);
      b = { tokens: burst, at: nowMs };
      this.buckets.set(address, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) / 1000) * perSecond);
      b.at = nowMs;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    this.dropped++;
    return false;
  }

  /** Forgets buckets that have refilled (they behave like new ones), else the oldest half. */
  private forgetFull(nowMs: number): void {
    const { perSecond, burst } = this.options;
    for (const [key, b] of this.buckets) if (b.tokens + ((nowMs - b.at) / 1000) * perSecond >= burst) this.buckets.delete(key);
    if (this.buckets.size >= this.maxAddresses) {
      let n = this.buckets.size / 2;
      for (const key of this.buckets.keys()) {
        if (n-- <= 0) break;
        this.buckets.delete(key);
      }
    }
  }
}
