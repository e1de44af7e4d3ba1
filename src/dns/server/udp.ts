// DNS over UDP: one socket, bytes in and out; everything else is the pipeline's.
import { createSocket, type Socket } from 'node:dgram';
import type { DnsPipeline } from '../pipeline.ts';
import type { RateLimiter } from '../rate-limit.ts';

export interface Listening {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

export function startUdp(pipeline: DnsPipeline, host: string, port: number, limiter: RateLimiter, onError: (e: Error) => void): Promise<Listening> {
  const socket: Socket = createSocket({
    type: host.includes(':') ? 'udp6' : 'udp4',
    recvBufferSize: 4 << 20,
    sendBufferSize: 4 << 20,
    // Replies go to the address a query came from, always an IP: skip dns.lookup (a tick per send).
    lookup: (address, _family, callback) => (callback as (e: null, a: string, f: number) => void)(null, address, host.includes(':') ? 6 : 4),
  });
  // No callback per packet: send errors surface as the socket's 'error' event (reported below).
  const send = (bytes: Uint8Array, toPort: number, toAddress: string) => socket.send(bytes, toPort, toAddress);
  socket.on('message', (msg, rinfo) => {
    if (!limiter.allow(rinfo.address, Date.now())) return;
    let answer;
    try {
      answer = pipeline.handle(msg, { address: rinfo.address, transport: 'udp' });
    } catch (e) {
      onError(e as Error); // a bug, not bad input: report it and keep serving
      return;
    }
    if (answer === null) return;
    if (answer instanceof Uint8Array) send(answer, rinfo.port, rinfo.address);
    else answer.then((bytes) => send(bytes, rinfo.port, rinfo.address), onError);
  });
  socket.on('error', onError);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      const a = socket.address();
      resolve({ address: a.address, port: a.port, close: () => new Promise((done) => socket.close(() => done())) });
    });
  });
}
