// Forwards questions to upstream resolvers: UDP with TCP after truncation, failover by health,
// shared in-flight questions, one sweep timer for every timeout.
import { isIP } from 'node:net';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { UpstreamError } from './errors.ts';
import { Exchange, type ExchangeContext, type MutableStats } from './exchange.ts';
import { encodeQuestion, IdSource } from './query.ts';
import { HealthOrder, Upstream, type UpstreamAddress } from './upstream.ts';

export interface ForwarderOptions {
  /** IP literals; tried in this order while healthy. */
  upstreams: Array<{ host: string; port: number }>;
  /** Per try (UDP), ms. Default 700. */
  timeoutMs?: number;
  /** Tries in all, across upstreams (a TCP retry after truncation is part of its try). Default 3. */
  attempts?: number;
  /** Overall, ms: with every upstream down a query fails within this (+ one sweep). Default 1800. */
  deadlineMs?: number;
  /** Per TCP try, ms (still bounded by the deadline). Default 1200. */
  tcpTimeoutMs?: number;
  /** Connected UDP sockets per upstream, each on its own random port. Default 4. */
  socketsPerUpstream?: number;
  /** Queries a UDP socket carries before it is replaced by one on a new random port. Default 1000. */
  socketMaxQueries?: number;
  /** Local address to send from (default: the OS picks, by route). */
  localAddress?: string;
  /** How often timeouts are checked, ms. Default 50 (so timeouts fire up to 50 ms late). */
  sweepMs?: number;
}

export interface ForwarderStats {
  /** Queries sent (UDP and TCP). */
  readonly sent: number;
  /** Matching replies accepted (a truncated UDP reply counts, then its TCP answer). */
  readonly received: number;
  readonly timeouts: number;
  readonly tcpFallbacks: number;
  /** Tries beyond each exchange's first. */
  readonly failovers: number;
  /** resolve() calls answered by an exchange already in flight. */
  readonly inflightShared: number;
  /** Replies with a pending id but another question (ignored). */
  readonly mismatched: number;
  /** Datagrams with no pending id or from the wrong source (ignored). */
  readonly stray: number;
  /** Exchanges now in flight. */
  readonly inflight: number;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `${name} must be a positive number`, String(value));
  return value;
}

export class Forwarder {
  private readonly upstreams: readonly Upstream[];
  private readonly health: HealthOrder;
  private readonly deadlineMs: number;
  private readonly sweepMs: number;
  private readonly counters: MutableStats = {
    sent: 0, received: 0, timeouts: 0, tcpFallbacks: 0, failovers: 0, inflightShared: 0, mismatched: 0, stray: 0,
  };
  /** Exchanges in flight by name (then chained by type, class and DO), for sharing. */
  private readonly inflight = new Map<string, Exchange>();
  private inflightCount = 0;
  private readonly ctx: ExchangeContext;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(options: ForwarderOptions, now: () => number = Date.now) {
    if (options.upstreams.length === 0) throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, 'at least one upstream DNS server is needed');
    const timeoutMs = positive('timeoutMs', options.timeoutMs, 700);
    const attempts = Math.max(1, Math.floor(positive('attempts', options.attempts, 3)));
    if (options.localAddress !== undefined && isIP(options.localAddress) === 0) {
      throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, 'localAddress must be an IP address', options.localAddress);
    }
    this.deadlineMs = positive('deadlineMs', options.deadlineMs, 1800);
    this.sweepMs = positive('sweepMs', options.sweepMs, 50);
    const pool = {
      socketsPerUpstream: Math.max(1, Math.floor(positive('socketsPerUpstream', options.socketsPerUpstream, 4))),
      socketMaxQueries: Math.max(1, Math.floor(positive('socketMaxQueries', options.socketMaxQueries, 1000))),
      localAddress: options.localAddress,
    };
    const onHealth = () => this.health.invalidate();
    this.upstreams = options.upstreams.map((u: UpstreamAddress) => new Upstream(u, pool, this.counters, onHealth));
    this.health = new HealthOrder(this.upstreams, timeoutMs);
    this.ctx = {
      now,
      timeoutMs,
      tcpTimeoutMs: positive('tcpTimeoutMs', options.tcpTimeoutMs, 1200),
      attempts,
      localAddress: options.localAddress,
      stats: this.counters,
      ids: new IdSource(),
      order: (t) => this.health.get(t),
      settled: (ex) => this.forget(ex),
    };
  }

  /**
   * The upstream's raw response to (name, type, class) with RD=1 and EDNS (DO when `dnssecOk`).
   * The id and question are the forwarder's (same name, maybe other case): callers rewrite them.
   * `question`, when the caller has it, is the question in wire form (name, type, class: a
   * query's own bytes, any case), saving the encoding of `name`. The bytes are the caller's own
   * (sharers get copies). Rejects with UpstreamError.
   */
  resolve(name: string, type: number, klass: number, dnssecOk: boolean, question?: Uint8Array): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new UpstreamError('closed', [], 0));
    const first = this.inflight.get(name);
    for (let ex = first; ex !== undefined; ex = ex.sameName) {
      if (ex.type === type && ex.klass === klass && ex.dnssecOk === dnssecOk) {
        this.counters.inflightShared++;
        return ex.share();
      }
    }
    const wire = question ?? encodeQuestion(name, type, klass);
    if (wire === null) return Promise.reject(new UpstreamError('bad-query', [], 0));
    const ex = new Exchange(this.ctx, name, type, klass, wire, dnssecOk, this.deadlineMs);
    ex.sameName = first;
    this.inflight.set(name, ex);
    this.inflightCount++;
    this.startSweep();
    ex.next();
    return ex.promise;
  }

  stats(): ForwarderStats {
    return { ...this.counters, inflight: this.inflightCount };
  }

  /** Fails pending queries with 'closed', stops the sweep, closes every socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const ex of this.exchanges()) ex.abort();
    this.inflight.clear();
    this.inflightCount = 0;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.upstreams.flatMap((u) => u.close()));
  }

  private startSweep(): void {
    if (this.timer !== null) return;
    // Runs only while something is in flight, so an idle forwarder holds no timer.
    this.timer = setInterval(() => this.sweep(), this.sweepMs);
  }

  /** Every exchange in flight (a copy: timeouts and aborts unlink them). */
  private exchanges(): Exchange[] {
    const out: Exchange[] = [];
    for (const first of this.inflight.values()) for (let ex: Exchange | undefined = first; ex !== undefined; ex = ex.sameName) out.push(ex);
    return out;
  }

  private forget(ex: Exchange): void {
    const first = this.inflight.get(ex.name);
    if (first === undefined) return;
    if (first === ex) {
      if (ex.sameName === undefined) this.inflight.delete(ex.name);
      else this.inflight.set(ex.name, ex.sameName);
    } else {
      let before = first;
      while (before.sameName !== undefined && before.sameName !== ex) before = before.sameName;
      if (before.sameName !== ex) return;
      before.sameName = ex.sameName;
    }
    this.inflightCount--;
  }

  private sweep(): void {
    const now = this.ctx.now();
    for (const ex of this.exchanges()) {
      if (ex.tryDeadline <= now) ex.onTimeout(now);
    }
    if (this.inflight.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
