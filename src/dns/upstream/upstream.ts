// One configured upstream: its pool of connected UDP sockets and its health (timeouts push it to
// the back of the order for a growing back-off; one query probes it when the back-off ends).
import { isIP } from 'node:net';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { UdpChannel, type ChannelCounters } from './udp-channel.ts';

export interface UpstreamAddress {
  readonly host: string;
  readonly port: number;
}

export interface PoolOptions {
  readonly socketsPerUpstream: number;
  readonly socketMaxQueries: number;
  readonly localAddress: string | undefined;
}

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

export class Upstream {
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
  /** "host:port", "[v6]:port". */
  readonly label: string;
  /** Consecutive tries that ended in a timeout or unreachable (reset by any matching reply). */
  failures = 0;
  /** Until then the upstream goes last in the order. */
  penaltyUntil = 0;
  private readonly channels: (UdpChannel | null)[];

  constructor(
    address: UpstreamAddress,
    private readonly pool: PoolOptions,
    private readonly counters: ChannelCounters,
    private readonly onHealthChange: () => void,
  ) {
    const family = isIP(address.host);
    if (family === 0) {
      throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, 'an upstream DNS server must be an IP address', address.host);
    }
    if (!Number.isInteger(address.port) || address.port < 1 || address.port > 65535) {
      throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, 'an upstream port must be 1–65535', String(address.port));
    }
    this.host = address.host;
    this.port = address.port;
    this.family = family as 4 | 6;
    this.label = family === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
    this.channels = new Array<UdpChannel | null>(pool.socketsPerUpstream).fill(null);
  }

  /** A random socket of the pool; a socket past its quota is retired and replaced (new port). */
  channel(): UdpChannel {
    const slot = (Math.random() * this.channels.length) | 0;
    let ch = this.channels[slot];
    if (ch === null || ch === undefined || !ch.usable || ch.uses >= this.pool.socketMaxQueries) {
      ch?.retire();
      ch = new UdpChannel(this.host, this.port, this.family, this.pool.localAddress, this.counters);
      this.channels[slot] = ch;
    }
    return ch;
  }

  /** A try timed out or was unreachable: back off 1 s, 2 s, 4 s… up to 30 s. */
  penalise(now: number): void {
    this.failures++;
    const backoff = Math.min(BACKOFF_BASE_MS * 2 ** Math.min(this.failures - 1, 15), BACKOFF_MAX_MS);
    this.penaltyUntil = now + backoff;
    this.onHealthChange();
  }

  /** Any matching reply (even SERVFAIL) proves the upstream is reachable. */
  alive(): void {
    if (this.failures === 0 && this.penaltyUntil === 0) return;
    this.failures = 0;
    this.penaltyUntil = 0;
    this.onHealthChange();
  }

  close(): Promise<void>[] {
    const out: Promise<void>[] = [];
    for (let i = 0; i < this.channels.length; i++) {
      const ch = this.channels[i];
      if (ch) out.push(ch.close());
      this.channels[i] = null;
    }
    return out;
  }
}

/**
 * Orders upstreams by health, caching the order until a penalty ends or health changes. When a
 * penalty has ended without a success since, the next caller alone gets that upstream first (a
 * probe); the others keep it last until the probe answers, so a dead upstream costs one slow
 * query per back-off period instead of a burst.
 */
export class HealthOrder {
  private cached: readonly Upstream[];
  private validUntil = 0;

  constructor(
    private readonly upstreams: readonly Upstream[],
    private readonly probeWindowMs: number,
  ) {
    this.cached = upstreams;
  }

  invalidate(): void {
    this.validUntil = 0;
  }

  get(now: number): readonly Upstream[] {
    if (now < this.validUntil) return this.cached;
    let probe: Upstream | null = null;
    for (const u of this.upstreams) {
      if (probe === null && u.failures > 0 && u.penaltyUntil <= now) {
        probe = u;
        u.penaltyUntil = now + this.probeWindowMs; // nobody else probes meanwhile
      }
    }
    let validUntil = Infinity;
    let allHealthy = true;
    for (const u of this.upstreams) {
      if (u.penaltyUntil > now) {
        allHealthy = false;
        if (u.penaltyUntil < validUntil) validUntil = u.penaltyUntil;
      }
    }
    this.validUntil = validUntil;
    this.cached = allHealthy
      ? this.upstreams
      : [
          ...this.upstreams.filter((u) => u.penaltyUntil <= now),
          ...this.upstreams.filter((u) => u.penaltyUntil > now).sort((a, b) => a.penaltyUntil - b.penaltyUntil),
        ];
    if (probe === null) return this.cached;
    return [probe, ...this.cached.filter((u) => u !== probe)];
  }
}
