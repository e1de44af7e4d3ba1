// One connected UDP socket to one upstream. Connecting makes the kernel drop datagrams from any
// other address/port (we still check), skips a DNS lookup per send, and delivers ICMP "port
// unreachable" as an error, so a dead upstream fails fast instead of timing out.
import dgram from 'node:dgram';
import type { IdSource } from './query.ts';

export interface UdpWaiter {
  /** A datagram from the upstream carrying this waiter's id. The waiter checks the question. */
  onUdpMessage(msg: Buffer): void;
  /** The socket reported an error (ICMP unreachable…): the waiter's try has failed. */
  onUdpError(): void;
}

export interface ChannelCounters {
  /** Datagrams dropped before reaching a waiter (unknown id, wrong source, runt). */
  stray: number;
}

export class UdpChannel {
  /** Waiters by query id. */
  readonly pending = new Map<number, UdpWaiter>();
  /** Queries sent so far: the pool replaces the socket (new random port) after a quota. */
  uses = 0;
  private readonly socket: dgram.Socket;
  private connected = false;
  private closed = false;
  private retired = false;
  /** Datagrams sent before connect() completed (a tick at most). */
  private backlog: Buffer[] = [];
  private peerAddress = '';
  private closing: Promise<void> | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    family: 4 | 6,
    localAddress: string | undefined,
    private readonly counters: ChannelCounters,
  ) {
    const socket = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
    this.socket = socket;
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    socket.on('error', () => this.failAll());
    // Port 0: the kernel picks a random ephemeral port per socket (Linux randomises bind(0)).
    if (localAddress !== undefined) socket.bind({ port: 0, address: localAddress, exclusive: true });
    socket.connect(port, host, (err?: Error) => {
      if (this.closed) return;
      if (err) {
        this.backlog.length = 0;
        this.failAll();
        this.retire(); // a later query builds a fresh socket
        return;
      }
      this.connected = true;
      this.peerAddress = socket.remoteAddress().address;
      for (const b of this.backlog) socket.send(b);
      this.backlog.length = 0;
    });
  }

  get usable(): boolean {
    return !this.closed && !this.retired;
  }

  /** Registers `waiter` under a fresh random id not pending on this socket, and returns the id. */
  register(waiter: UdpWaiter, ids: IdSource): number {
    let id = ids.take();
    while (this.pending.has(id)) id = ids.take();
    this.pending.set(id, waiter);
    this.uses++;
    return id;
  }

  send(query: Buffer): void {
    if (this.connected) this.socket.send(query);
    else this.backlog.push(query);
  }

  /** Forgets a waiter (answered, timed out or failed). A retired socket closes once idle. */
  release(id: number): void {
    this.pending.delete(id);
    if (this.retired && this.pending.size === 0) void this.close();
  }

  /** Stops new queries here; the socket closes when its last pending query ends. */
  retire(): void {
    this.retired = true;
    if (this.pending.size === 0) void this.close();
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.backlog.length = 0;
    this.closing = new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve(); // already closed by Node after a fatal error
      }
    });
    return this.closing;
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length < 12 || rinfo.port !== this.port || rinfo.address !== this.peerAddress) {
      this.counters.stray++;
      return;
    }
    const waiter = this.pending.get((msg[0]! << 8) | msg[1]!);
    if (waiter === undefined) this.counters.stray++; // late reply after a timeout, or a guess
    else waiter.onUdpMessage(msg);
  }

  private failAll(): void {
    if (this.pending.size === 0) return;
    // Every waiter here queried the same (unreachable) upstream. Copy: waiters release themselves.
    const waiters = [...this.pending.values()];
    for (const w of waiters) w.onUdpError();
  }

  /** For logs and tests. */
  toString(): string {
    return `udp ${this.host}:${this.port}${this.closed ? ' (closed)' : ''}`;
  }
}
