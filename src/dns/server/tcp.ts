// DNS over TCP (RFC 7766): length-prefixed messages, several in flight per connection, answered
// as they complete; idle connections close; limits keep one client from holding the server.
import { createServer, type Socket } from 'node:net';
import type { DnsPipeline } from '../pipeline.ts';
import type { RateLimiter } from '../rate-limit.ts';
import type { Listening } from './udp.ts';
import { listen } from './listen.ts';

export interface TcpLimits {
  readonly idleMs: number;
  readonly maxConnections: number;
  readonly maxPendingPerConnection: number;
}

const DEFAULT_TCP_LIMITS: TcpLimits = { idleMs: 10_000, maxConnections: 1024, maxPendingPerConnection: 64 };

export function startTcp(pipeline: DnsPipeline, host: string, port: number, limiter: RateLimiter, onError: (e: Error) => void, limits = DEFAULT_TCP_LIMITS): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(limits.idleMs, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    const address = socket.remoteAddress ?? '';
    let buffered = Buffer.alloc(0);
    let pending = 0;
    const reply = (bytes: Uint8Array) => {
      pending--;
      if (socket.destroyed) return;
      const frame = Buffer.allocUnsafe(2 + bytes.length);
      frame.writeUInt16BE(bytes.length, 0);
      frame.set(bytes, 2);
      socket.write(frame);
    };
    socket.on('data', (chunk) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const msg = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        if (pending >= limits.maxPendingPerConnection) return socket.destroy();
        if (!limiter.allow(address, Date.now())) continue;
        let answer;
        try {
          answer = pipeline.handle(msg, { address, transport: 'tcp' });
        } catch (e) {
          onError(e as Error);
          continue;
        }
        if (answer === null) continue;
        pending++;
        if (answer instanceof Uint8Array) reply(answer);
        else answer.then(reply, (e: Error) => (pending--, onError(e)));
      }
    });
  });
  server.maxConnections = limits.maxConnections;
  server.on('error', onError);
  return listen(server, host, port, () => {
    for (const s of sockets) s.destroy();
  });
}
