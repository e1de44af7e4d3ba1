// DNS over HTTPS (RFC 8484): GET ?dns=<base64url> and POST application/dns-message, at /dns-query
// (identified by address) or /dns-query/<token> (identified as that device, wherever it is).
// HTTP/2 with HTTP/1.1 allowed; TLS from the configured certificate and key.
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { DeviceIdentity } from '../../core/directory/device-tokens.ts';
import type { DnsPipeline, QueryClient } from '../pipeline.ts';
import type { RateLimiter } from '../rate-limit.ts';
import type { Listening } from './udp.ts';
import type { Server } from 'node:net';
import { listen } from './listen.ts';

export interface DohOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Device tokens; a request naming an unknown token is refused, never served unfiltered. */
  readonly tokens: () => ReadonlyMap<string, DeviceIdentity>;
}

const MAX_MESSAGE = 65535;
const TYPE = 'application/dns-message';

function fail(res: Http2ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${text}\n`);
}

function readBody(req: Http2ServerRequest): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_MESSAGE) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
  });
}

export function startDoh(pipeline: DnsPipeline, host: string, port: number, limiter: RateLimiter, options: DohOptions, onError: (e: Error) => void): Promise<Listening> {
  const handle = async (req: Http2ServerRequest, res: Http2ServerResponse) => {
    const url = new URL(req.url, 'https://doh.invalid');
    const match = /^\/dns-query(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!match) return fail(res, 404, 'not found: DNS queries go to /dns-query or /dns-query/<device token>');
    const address = req.socket.remoteAddress ?? '';
    let client: QueryClient = { address, transport: 'doh' };
    if (match[1] !== undefined) {
      const device = options.tokens().get(decodeURIComponent(match[1]));
      if (!device) return fail(res, 403, 'unknown device token');
      client = { address, transport: 'doh', identity: device, device: device.device };
    }
    if (!limiter.allow(address, Date.now())) return fail(res, 429, 'too many queries');
    let msg: Uint8Array | null;
    if (req.method === 'GET') {
      const dns = url.searchParams.get('dns');
      if (!dns || !/^[A-Za-z0-9_-]+$/.test(dns)) return fail(res, 400, 'GET needs ?dns= with a base64url DNS message');
      msg = Buffer.from(dns, 'base64url');
    } else if (req.method === 'POST') {
      if ((req.headers['content-type'] ?? '').split(';')[0]!.trim() !== TYPE) return fail(res, 415, `POST needs content-type ${TYPE}`);
      msg = await readBody(req);
      if (msg === null) return fail(res, 413, 'a DNS message is at most 65535 bytes');
    } else {
      res.setHeader('allow', 'GET, POST');
      return fail(res, 405, 'use GET or POST');
    }
    if (msg.length > MAX_MESSAGE) return fail(res, 413, 'a DNS message is at most 65535 bytes');
    const answer = await pipeline.handle(msg, client);
    if (answer === null) return fail(res, 400, 'not a DNS query');
    // Answers are filtered per device: no shared cache may keep them.
    res.writeHead(200, { 'content-type': TYPE, 'content-length': answer.length, 'cache-control': 'private, max-age=0' });
    res.end(answer);
  };
  const server = createSecureServer({ cert: options.cert, key: options.key, allowHTTP1: true }, (req, res) => {
    handle(req, res).catch((e: Error) => {
      onError(e);
      fail(res, 500, 'internal error');
    });
  });
  const sessions = new Set<import('node:http2').ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('sessionError', () => {});
  server.on('tlsClientError', () => {});
  server.on('error', onError);
  return listen(server as unknown as Server, host, port, () => {
    for (const session of sessions) session.destroy();
  });
}
