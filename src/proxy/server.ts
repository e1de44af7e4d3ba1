// The web proxy's listener: an explicit HTTP/1.1 forward proxy (absolute-form requests and
// CONNECT) on Node's strict HTTP parser, with per-client connection limits and timeouts. Origin-form
// requests to the proxy itself get the PAC file (/proxy.pac, /wpad.dat) or a short explanation.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ProxyActivity, newTrace, type RequestTrace } from './activity.ts';
import { ProxyContext, type ProxyPages } from './context.ts';
import { HttpForwarder } from './forward.ts';
import { PAC_CONTENT_TYPE } from './pages/pac.ts';
import { endSocket, rawResponse, sendPage } from './respond.ts';
import { Tunnels } from './tunnel.ts';
import type { ProxyDeps, ProxyOptions } from './types.ts';

export interface ProxyListening {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface LocalPages {
  /** The PAC file text for a request that reached the proxy at `host` (its Host header), or null when that host is unusable. */
  pac(hostHeader: string | undefined): string | null;
}

/** Node's parser error codes → what the client gets. */
function clientErrorStatus(code: string | undefined): { status: number; kind: 'bad-request' | 'too-large' | 'timeout' } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, kind: 'too-large' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, kind: 'timeout' };
  return { status: 400, kind: 'bad-request' };
}

export function startProxy(deps: ProxyDeps, options: ProxyOptions, pages: ProxyPages, local: LocalPages, host: string, port: number): Promise<ProxyListening> {
  const activity = new ProxyActivity(deps.log, deps.now);
  const serveLocal = (req: IncomingMessage, res: ServerResponse, t: RequestTrace) => {
    const path = (req.url ?? '/').split('?')[0];
    if ((path === '/proxy.pac' || path === '/wpad.dat') && (req.method === 'GET' || req.method === 'HEAD')) {
      const text = local.pac(req.headers.host);
      if (text !== null) {
        res.writeHead(200, { 'Content-Type': PAC_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'max-age=300' });
        res.end(req.method === 'HEAD' ? undefined : text);
        return;
      }
    }
    sendPage(res, pages.error('not-a-proxy-request', t, `${req.method ?? ''} ${path ?? ''}`), { Connection: 'close' });
  };
  const ctx = new ProxyContext(deps, options, activity, pages, serveLocal);
  const forwarder = new HttpForwarder(ctx);
  const tunnels = new Tunnels(ctx);
  const server = http.createServer({
    maxHeaderSize: options.maxHeaderBytes,
    headersTimeout: options.headersTimeoutMs,
    // Uploads through the proxy may be long; idle connections are closed by the socket timeout.
    requestTimeout: 0,
    keepAliveTimeout: Math.min(options.idleTimeoutMs, 60_000),
    connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs),
  });
  server.maxConnections = options.maxConnections;
  // Longer than the site's timeouts: a client waiting on a silent site gets the 504 page first.
  server.timeout = options.idleTimeoutMs + options.connectTimeoutMs;

  const perClient = new Map<string, number>();
  // Tunnels leave the HTTP server's bookkeeping once CONNECT is answered: track every socket.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const who = socket.remoteAddress ?? '';
    const n = (perClient.get(who) ?? 0) + 1;
    perClient.set(who, n);
    socket.once('close', () => {
      const left = (perClient.get(who) ?? 1) - 1;
      if (left <= 0) perClient.delete(who);
      else perClient.set(who, left);
    });
    if (n > options.maxConnectionsPerClient) {
      const t = newTrace(who, 'http', '', deps.now());
      const page = pages.error('too-many-connections', t, `${options.maxConnectionsPerClient} connections at once is the most one address may open`);
      activity.record(t, 'too-many-connections', page.status, 0, 0);
      endSocket(socket, rawResponse(page, { 'Retry-After': '5' }));
    }
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    try {
      forwarder.handle(req, res);
    } catch (e) {
      deps.onError(e as Error);
      res.destroy();
    }
  });
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    try {
      tunnels.handle(req, socket, head);
    } catch (e) {
      deps.onError(e as Error);
      socket.destroy();
    }
  });
  // Malformed requests (and smuggling attempts Node's parser refuses) get an answer; other
  // connections are untouched.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const t = newTrace(socket.remoteAddress ?? '', 'http', '', deps.now());
    const { status, kind } = clientErrorStatus(err.code);
    const reason = kind === 'too-large' ? `the request head is larger than ${options.maxHeaderBytes} bytes` : kind === 'timeout' ? 'the request took too long to arrive' : `the request is malformed (${err.message.replace(/^Parse Error: /, '')})`;
    const page = { ...pages.error('bad-request', t, reason), status };
    activity.record(t, kind === 'timeout' ? 'request-timeout' : 'bad-request', status, 0, 0);
    endSocket(socket, rawResponse(page));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', (e) => deps.onError(e));
      const a = server.address();
      const bound = typeof a === 'object' && a ? a : { address: host, port };
      resolve({
        address: bound.address,
        port: bound.port,
        close: () =>
          new Promise<void>((done) => {
            forwarder.close();
            server.close(() => done());
            server.closeAllConnections();
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}
