// Plain HTTP through the proxy: absolute-form request → who → decision on the whole URL → block
// page, or the site's answer streamed back (keep-alive both sides, bodies streamed both ways).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isRingfenceError } from '../core/errors.ts';
import { parseUrl, type ParsedUrl } from '../core/host/canonical.ts';
import { newTrace, type RequestTrace } from './activity.ts';
import type { ProxyContext } from './context.ts';
import { checkRequest, forwardHeaders } from './http/request-checks.ts';
import { sendPage, type Page } from './respond.ts';

const VIA = '1.1 ringfence';

function authority(u: ParsedUrl): string {
  const host = u.host.kind === 'ipv6' ? `[${u.host.host}]` : u.host.host;
  return u.port === null ? host : `${host}:${u.port}`;
}

/** The request's headers as the site should get them: hop-by-hop gone, Host from the URL (RFC 9112 §3.2.2). */
function upstreamHeaders(raw: string[], u: ParsedUrl): string[] {
  const kept = forwardHeaders(raw);
  const out: string[] = [];
  for (let i = 0; i + 1 < kept.length; i += 2) if (kept[i]!.toLowerCase() !== 'host') out.push(kept[i]!, kept[i + 1]!);
  out.push('Host', authority(u), 'Via', VIA);
  return out;
}

const counted = new WeakMap<Socket, { read: number; written: number }>();

function countedBytes(socket: Socket): { read: number; written: number } {
  let marks = counted.get(socket);
  if (marks === undefined) {
    marks = { read: 0, written: 0 };
    counted.set(socket, marks);
  }
  return marks;
}

export class HttpForwarder {
  private readonly agent: http.Agent;

  constructor(private readonly ctx: ProxyContext) {
    // Connections to sites are kept and reused; keyed by address and port, so a safe-search
    // address is never reused for a name that resolved elsewhere.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 256, scheduling: 'lifo', timeout: ctx.options.idleTimeoutMs });
    // Timers per connection to a site, not per request: a kept-alive socket serves many requests.
    const connect = agent.createConnection.bind(agent);
    agent.createConnection = (options, callback) => {
      const socket = connect(options, callback) as Socket;
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), ctx.options.connectTimeoutMs);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
      // An idle kept-alive socket is the agent's to close; one in use has a site that stopped answering.
      socket.on('timeout', () => {
        // (_httpMessage: the request the socket serves, null while it waits in the pool; stable since Node 0.x.)
        if ((socket as Socket & { _httpMessage?: unknown })._httpMessage) socket.destroy(Object.assign(new Error('the site stopped answering'), { code: 'ETIMEDOUT' }));
      });
      return socket;
    };
    this.agent = agent;
  }

  close(): void {
    this.agent.destroy();
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const ctx = this.ctx;
    const socket = req.socket;
    const t = newTrace(socket.remoteAddress ?? '', 'http', req.method ?? '', ctx.deps.now());
    // Bytes each way are counted on the client's connection, request and response heads included:
    // from where the previous request on this keep-alive connection ended.
    const marks = countedBytes(socket);
    let answer = 'aborted';
    let status = 0;
    const pending: { up: http.ClientRequest | null } = { up: null };
    res.on('close', () => {
      // The client went away before the whole answer: stop asking the site.
      if (!res.writableFinished) pending.up?.destroy();
      const bytesIn = socket.bytesRead - marks.read;
      const bytesOut = socket.bytesWritten - marks.written;
      marks.read = socket.bytesRead;
      marks.written = socket.bytesWritten;
      ctx.activity.record(t, answer, status || res.statusCode, bytesIn, bytesOut);
    });
    const reply = (what: string, page: Page, extra?: Record<string, string>) => {
      answer = what;
      status = page.status;
      // After a malformed request the connection's framing cannot be trusted: close it.
      sendPage(res, page, what === 'bad-request' ? { ...extra, Connection: 'close' } : extra);
    };

    const url = req.url ?? '';
    if (url.startsWith('/')) {
      answer = 'local';
      ctx.serveLocal(req, res, t);
      return;
    }
    // The whole head, HTTP version included; an absolute http:// URL that parses once it passes.
    const problem = checkRequest(req);
    if (problem) return reply('bad-request', ctx.pages.error(problem.page, t, problem.reason));
    const u = parseUrl(url);
    t.host = u.host.host;
    t.url = `${u.scheme}://${authority(u)}${u.path}`;
    const port = u.port ?? 80;
    if (!ctx.options.allowPorts.has(port)) return reply('port-refused', ctx.pages.error('port-not-allowed', t, `port ${port} is not allowed`));

    ctx.whoIs(req.headers['proxy-authorization'], t, (who) => {
      if (who.kind !== 'ok') return reply(who.kind === 'challenge' ? 'auth-required' : 'throttled', who.page, who.headers);
      const decision = ctx.decide(u.host, u.path, who.identity, t);
      if (decision.action === 'block') return reply('blocked', ctx.pages.blocked(t, decision));
      this.forward(req, res, u, port, t, (what, s) => {
        answer = what;
        status = s;
      }, reply, pending);
    });
  }

  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    u: ParsedUrl,
    port: number,
    t: RequestTrace,
    outcome: (answer: string, status: number) => void,
    reply: (what: string, page: Page) => void,
    pending: { up: http.ClientRequest | null },
  ): void {
    const ctx = this.ctx;
    ctx.addressOf(u.host, t).then(
      (address) => {
        if (res.destroyed) return;
        const up = http.request({
          host: address, port, method: req.method, path: u.path, headers: upstreamHeaders(req.rawHeaders, u),
          agent: this.agent, setHost: false,
        });
        up.on('response', (upRes) => {
          outcome('forwarded', upRes.statusCode ?? 502);
          const headers = forwardHeaders(upRes.rawHeaders);
          headers.push('Via', VIA);
          res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, headers);
          upRes.pipe(res);
          upRes.on('error', () => res.destroy());
        });
        up.on('error', (e: NodeJS.ErrnoException) => {
          if (res.headersSent) {
            res.destroy();
            return;
          }
          const timedOut = e.code === 'ETIMEDOUT';
          reply(timedOut ? 'upstream-timeout' : 'upstream-error', ctx.pages.error(timedOut ? 'upstream-timeout' : 'upstream-unreachable', t, `${u.host.host}:${port}: ${e.message}`));
        });
        pending.up = up;
        // Most requests have no body: ending at once spares the stream plumbing of a pipe.
        if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) up.end();
        else req.pipe(up);
      },
      (e: Error) => reply('dns-error', ctx.pages.error(isRingfenceError(e) && e.code === 'RF_NAME_NOT_FOUND' ? 'name-not-found' : 'upstream-unreachable', t, e.message)),
    );
  }
}
