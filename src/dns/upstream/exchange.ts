// One question's trip upstream: UDP tries in health order, TCP after a truncated answer, failover
// on timeout/unreachable/SERVFAIL/REFUSED, until an answer, `attempts` tries or the deadline.
// Timeouts are not timers: the forwarder's sweep calls onTimeout() once `tryDeadline` has passed.
import { Rcode } from '../wire/types.ts';
import { UpstreamError, type UpstreamFailure, type UpstreamTry } from './errors.ts';
import { answersQuestion, buildQuery, type IdSource } from './query.ts';
import { TcpQuery, type TcpWaiter } from './tcp-query.ts';
import type { UdpChannel, UdpWaiter } from './udp-channel.ts';
import type { Upstream } from './upstream.ts';

export interface MutableStats {
  sent: number;
  received: number;
  timeouts: number;
  tcpFallbacks: number;
  failovers: number;
  inflightShared: number;
  /** Datagrams with a pending id but another question (ignored, the wait goes on). */
  mismatched: number;
  /** Datagrams with no pending id, or from the wrong address/port. */
  stray: number;
}

export interface ExchangeContext {
  readonly now: () => number;
  readonly timeoutMs: number;
  readonly tcpTimeoutMs: number;
  readonly attempts: number;
  readonly localAddress: string | undefined;
  readonly stats: MutableStats;
  readonly ids: IdSource;
  order(now: number): readonly Upstream[];
  /** The exchange has settled: forget it. */
  settled(ex: Exchange): void;
}

export class Exchange implements UdpWaiter, TcpWaiter {
  readonly promise: Promise<Uint8Array>;
  /** When the current try gives up (the sweep compares it with the clock). */
  tryDeadline = Infinity;
  /** The next exchange in flight for the same name (the forwarder's chain). */
  sameName: Exchange | undefined = undefined;
  private resolve!: (bytes: Uint8Array) => void;
  private reject!: (err: UpstreamError) => void;
  private readonly query: Buffer;
  /** The question in the query buffer: the caller's bytes are not kept. */
  private readonly question: Uint8Array;
  private readonly started: number;
  private readonly deadline: number;
  private readonly order: readonly Upstream[];
  private attempt = 0;
  private current: Upstream | null = null;
  private channel: UdpChannel | null = null;
  private id = -1;
  private tcp: TcpQuery | null = null;
  private tried: UpstreamTry[] | null = null;
  private lastResponse: Uint8Array | undefined;
  private done = false;
  /** Callers sharing this exchange: each gets its own copy, made before anyone sees the bytes. */
  private sharers: Array<{ resolve: (b: Uint8Array) => void; reject: (e: UpstreamError) => void }> | null = null;

  constructor(
    private readonly ctx: ExchangeContext,
    readonly name: string,
    readonly type: number,
    readonly klass: number,
    question: Uint8Array,
    readonly dnssecOk: boolean,
    deadlineMs: number,
  ) {
    this.promise = new Promise<Uint8Array>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.query = buildQuery(question, dnssecOk);
    this.question = this.query.subarray(12, 12 + question.length);
    this.started = ctx.now();
    this.deadline = this.started + deadlineMs;
    this.order = ctx.order(this.started);
  }

  /** Starts the next try, or settles with the last failure when out of tries or time. */
  next(): void {
    const now = this.ctx.now();
    if (this.attempt >= this.ctx.attempts || now >= this.deadline) {
      const last = this.tried?.[this.tried.length - 1]?.reason ?? 'timeout';
      this.settle(null, last);
      return;
    }
    const up = this.order[this.attempt % this.order.length]!;
    if (this.attempt > 0) this.ctx.stats.failovers++;
    this.attempt++;
    this.current = up;
    const ch = up.channel();
    const id = ch.register(this, this.ctx.ids);
    this.query[0] = id >>> 8;
    this.query[1] = id & 0xff;
    this.channel = ch;
    this.id = id;
    this.tryDeadline = Math.min(now + this.ctx.timeoutMs, this.deadline);
    this.ctx.stats.sent++;
    ch.send(this.query);
  }

  onUdpMessage(msg: Buffer): void {
    if (this.channel === null) return;
    if (!answersQuestion(msg, this.question)) {
      this.ctx.stats.mismatched++;
      return;
    }
    this.channel.release(this.id);
    this.channel = null;
    this.ctx.stats.received++;
    const up = this.current!;
    up.alive();
    if ((msg[2]! & 0x02) !== 0) {
      this.ctx.stats.tcpFallbacks++;
      this.sendTcp(up);
      return;
    }
    this.onAnswer(msg, 'udp');
  }

  onUdpError(): void {
    this.failTry('unreachable', 'udp', true);
  }

  onTcpMessage(msg: Buffer): void {
    this.tcp = null;
    // Our own connection: a wrong id or question here is a broken upstream, not a spoof to wait out.
    if (msg.length < 12 || ((msg[0]! << 8) | msg[1]!) !== this.id || !answersQuestion(msg, this.question)) {
      this.failTry('bad-response', 'tcp', false);
      return;
    }
    this.ctx.stats.received++;
    this.onAnswer(msg, 'tcp');
  }

  onTcpError(reason: 'unreachable' | 'bad-response'): void {
    this.tcp = null;
    this.failTry(reason, 'tcp', reason === 'unreachable');
  }

  /** Called by the sweep once `tryDeadline` has passed. */
  onTimeout(now: number): void {
    if (this.done) return;
    this.ctx.stats.timeouts++;
    this.current?.penalise(now);
    this.failTry('timeout', this.tcp ? 'tcp' : 'udp', false);
  }

  /** Another caller asks the same question. */
  share(): Promise<Uint8Array> {
    return new Promise((resolve, reject) => (this.sharers ??= []).push({ resolve, reject }));
  }

  /** The forwarder is closing. */
  abort(): void {
    this.settle(null, 'closed');
  }

  private onAnswer(msg: Buffer, transport: 'udp' | 'tcp'): void {
    const rcode = msg[3]! & 0x0f;
    if (rcode === Rcode.SERVFAIL || rcode === Rcode.REFUSED) {
      this.lastResponse = msg;
      this.failTry(rcode === Rcode.SERVFAIL ? 'servfail' : 'refused', transport, false);
      return;
    }
    this.settle(msg, 'timeout');
  }

  private sendTcp(up: Upstream): void {
    const now = this.ctx.now();
    const id = this.ctx.ids.take(); // fresh id: the UDP one may have been seen on the path
    this.query[0] = id >>> 8;
    this.query[1] = id & 0xff;
    this.id = id;
    this.tryDeadline = Math.min(now + this.ctx.tcpTimeoutMs, this.deadline);
    this.ctx.stats.sent++;
    this.tcp = new TcpQuery(up.host, up.port, this.query, this.ctx.localAddress, this);
  }

  private failTry(reason: UpstreamFailure, transport: 'udp' | 'tcp', penalise: boolean): void {
    if (this.done) return;
    const up = this.current!;
    if (penalise) up.penalise(this.ctx.now());
    (this.tried ??= []).push({ upstream: up.label, transport, reason });
    this.detach();
    this.next();
  }

  private detach(): void {
    if (this.channel !== null) {
      this.channel.release(this.id);
      this.channel = null;
    }
    if (this.tcp !== null) {
      this.tcp.cancel();
      this.tcp = null;
    }
    this.tryDeadline = Infinity;
  }

  private settle(answer: Uint8Array | null, reason: UpstreamFailure): void {
    if (this.done) return;
    this.done = true;
    this.detach();
    this.ctx.settled(this);
    if (answer !== null) {
      if (this.sharers !== null) for (const s of this.sharers) s.resolve(Buffer.from(answer)); // a copy (Buffer#slice would share)
      this.resolve(answer);
      return;
    }
    const err = new UpstreamError(reason, this.tried ?? [], this.ctx.now() - this.started, this.lastResponse);
    if (this.sharers !== null) for (const s of this.sharers) s.reject(err);
    this.reject(err);
  }
}
