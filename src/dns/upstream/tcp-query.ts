// One query over one TCP connection (RFC 7766 framing: a 2-byte length before each message). Only
// used after a truncated UDP answer, so a connection per query is cheap enough; the first complete
// message ends the connection.
import net from 'node:net';

export interface TcpWaiter {
  onTcpMessage(msg: Buffer): void;
  /** 'unreachable' when the connection failed or was reset before any byte of an answer. */
  onTcpError(reason: 'unreachable' | 'bad-response'): void;
}

export class TcpQuery {
  private readonly socket: net.Socket;
  private chunks: Buffer[] = [];
  private have = 0;
  private done = false;

  /** `message` is the DNS message without the length prefix. */
  constructor(host: string, port: number, message: Uint8Array, localAddress: string | undefined, private readonly waiter: TcpWaiter) {
    const framed = Buffer.allocUnsafe(message.length + 2);
    framed.writeUInt16BE(message.length, 0);
    framed.set(message, 2);
    const socket = net.connect(localAddress === undefined ? { host, port, noDelay: true } : { host, port, noDelay: true, localAddress });
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.fail(this.have > 0 ? 'bad-response' : 'unreachable'));
    socket.on('close', () => this.fail(this.have > 0 ? 'bad-response' : 'unreachable'));
    socket.write(framed); // buffered by Node until connected
  }

  /** Drops the connection without telling the waiter (timeout, close). */
  cancel(): void {
    this.done = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.done) return;
    this.chunks.push(chunk);
    this.have += chunk.length;
    if (this.have < 2) return;
    const head = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.have);
    this.chunks = [head];
    const need = head.readUInt16BE(0);
    if (this.have < need + 2) return;
    this.done = true;
    this.socket.destroy();
    this.waiter.onTcpMessage(head.subarray(2, need + 2));
  }

  private fail(reason: 'unreachable' | 'bad-response'): void {
    if (this.done) return;
    this.done = true;
    this.socket.destroy();
    this.waiter.onTcpError(reason);
  }
}
