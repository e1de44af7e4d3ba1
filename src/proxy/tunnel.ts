// CONNECT: decided by the target host, then by the TLS SNI read from the ClientHello before any
// byte reaches the site. A name in SNI other than the CONNECT host is domain fronting: refused.
import type { IncomingMessage } from 'node:http';
import net, { type Socket } from 'node:net';
import { isRingfenceError } from '../core/errors.ts';
import { canonicalHost, type CanonicalHost } from '../core/host/canonical.ts';
import { splitHostPort } from '../core/host/hostport.ts';
import { newTrace, type RequestTrace } from './activity.ts';
import type { ErrorKind, ProxyContext } from './context.ts';
import { checkRequest } from './http/request-checks.ts';
import { ReadRing } from './read-ring.ts';
import { endSocket, headerSafe, rawResponse, type Page } from './respond.ts';
import { tlsAlert, TlsAlert, type TlsAlertDescription } from './tls/alert.ts';
import { readClientHello } from './tls/client-hello.ts';

const ESTABLISHED = Buffer.from('HTTP/1.1 200 Connection Established\r\nVia: 1.1 ringfence\r\n\r\n', 'latin1');

export class Tunnels {
  constructor(private readonly ctx: ProxyContext) {}

  handle(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const ctx = this.ctx;
    const t = newTrace(socket.remoteAddress ?? '', 'connect', 'CONNECT', ctx.deps.now());
    const tunnel = new Tunnel(ctx, t, socket);
    socket.on('error', () => tunnel.abort('client-error'));
    const target = req.url ?? '';
    const problem = checkRequest(req);
    if (problem) return tunnel.refuse('bad-request', ctx.pages.error('bad-request', t, problem.reason));
    // The checks above parsed the same target and found a port: this cannot throw.
    const { host, port: p } = splitHostPort(target, target, false);
    const port = p!;
    t.host = host.host;
    if (!ctx.options.allowPorts.has(port)) return tunnel.refuse('port-refused', ctx.pages.error('port-not-allowed', t, `port ${port} is not allowed`), `port ${port} is not allowed`);
    ctx.whoIs(req.headers['proxy-authorization'], t, (who) => {
      if (who.kind !== 'ok') return tunnel.refuse(who.kind === 'challenge' ? 'auth-required' : 'throttled', who.page, who.kind, who.headers);
      const decision = ctx.decide(host, null, who.identity, t);
      if (decision.action === 'block') return tunnel.refuse('blocked', ctx.pages.blocked(t, decision), `blocked: ${decision.category ?? 'policy'}`);
      tunnel.open(host, port, head);
    });
  }
}

/** One CONNECT, from the request to both sockets closed; logs once. */
class Tunnel {
  private upstream: Socket | null = null;
  private answer = 'aborted';
  private status = 0;
  private logged = false;
  private helloDone: () => void = () => {};

  constructor(
    private readonly ctx: ProxyContext,
    private readonly t: RequestTrace,
    private readonly client: Socket,
  ) {}

  refuse(answer: string, page: Page, reason = answer, extra: Record<string, string> = {}): void {
    this.answer = answer;
    this.status = page.status;
    // Browsers show nothing of a CONNECT answer's body; the header says why for curl and logs.
    endSocket(this.client, rawResponse(page, { ...extra, 'X-Ringfence-Reason': headerSafe(reason), 'X-Ringfence-Ref': this.t.ref }));
    this.log();
  }

  abort(answer: string): void {
    if (this.status === 0) this.answer = answer;
    this.client.destroy();
    this.upstream?.destroy();
    this.log();
  }

  open(host: CanonicalHost, port: number, head: Buffer): void {
    const ctx = this.ctx;
    const fail = (kind: ErrorKind, detail: string) => this.refuse(kind === 'upstream-timeout' ? 'upstream-timeout' : 'upstream-error', ctx.pages.error(kind, this.t, detail), detail);
    ctx.addressOf(host, this.t).then(
      (address) => {
        if (this.client.destroyed) return this.abort('client-gone');
        // Bytes from the site are read into a few buffers per tunnel, reused for every read: a bulk
        // download allocates nothing per chunk.
        const ring = new ReadRing(this.client, () => this.upstream);
        const up = net.connect({ host: address, port, noDelay: true, onread: { buffer: ring.next, callback: ring.onRead } });
        this.upstream = up;
        const timer = setTimeout(() => {
          up.destroy();
          fail('upstream-timeout', `${host.host}:${port} did not accept a connection in time`);
        }, ctx.options.connectTimeoutMs);
        up.once('error', (e) => {
          clearTimeout(timer);
          if (this.status === 0) fail('upstream-unreachable', `${host.host}:${port}: ${e.message}`);
          else this.abort('upstream-error');
        });
        up.once('connect', () => {
          clearTimeout(timer);
          this.status = 200;
          this.answer = 'tunnel';
          this.client.write(ESTABLISHED);
          this.readHello(host, head);
        });
      },
      (e: Error) => fail(isRingfenceError(e) && e.code === 'RF_NAME_NOT_FOUND' ? 'name-not-found' : 'upstream-unreachable', e.message),
    );
  }

  /** Buffers the client's first bytes until the ClientHello is whole, then decides on its SNI. */
  private readHello(host: CanonicalHost, head: Buffer): void {
    let buffered = head;
    const timer = setTimeout(() => this.close('hello-timeout', null), this.ctx.options.helloTimeoutMs);
    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      check();
    };
    const check = () => {
      const r = readClientHello(buffered);
      if (r.kind === 'need-more') return;
      clearTimeout(timer);
      this.client.off('data', onData);
      this.helloDone();
      this.client.pause();
      if (r.kind === 'not-tls') {
        if (this.ctx.options.allowNonTlsTunnels) return this.splice(buffered);
        return this.close('not-tls', null);
      }
      if (r.kind === 'malformed') return this.close('bad-hello', TlsAlert.handshakeFailure);
      this.onHello(host, r.sni, buffered);
    };
    const onEnd = () => {
      clearTimeout(timer);
      this.close('incomplete-hello', null);
    };
    this.client.on('data', onData);
    this.client.once('end', onEnd);
    this.helloDone = () => this.client.off('end', onEnd);
    if (buffered.length > 0) check();
  }

  private onHello(host: CanonicalHost, sni: string | null, buffered: Buffer): void {
    if (sni === null) return this.splice(buffered); // decided by the CONNECT host alone
    let named: CanonicalHost;
    try {
      named = canonicalHost(sni, 'sni');
    } catch {
      return this.close('bad-sni', TlsAlert.unrecognizedName);
    }
    if (host.kind === 'domain' && named.host !== host.host) return this.close('fronting', TlsAlert.accessDenied, 403);
    if (named.host !== host.host) {
      // CONNECT to an address, naming a site in SNI: the site must be allowed too.
      const identity = this.t.identity!;
      this.t.host = named.host;
      if (this.ctx.decide(named, null, identity, this.t).action === 'block') return this.close('blocked', TlsAlert.accessDenied, 403);
    }
    this.splice(buffered);
  }

  /** Sends what the client sent so far, then joins the two sockets until either end closes. */
  private splice(buffered: Buffer): void {
    const up = this.upstream!;
    const client = this.client;
    if (buffered.length > 0) up.write(buffered);
    // Towards the browser Nagle's algorithm stays on, as squid leaves it: a site's bytes reach it in
    // fewer, fuller segments (measured: bulk downloads ~3-5% faster on loopback, where the browser's
    // core is the bottleneck). Towards the site every write still goes at once (noDelay above).
    client.setNoDelay(false);
    const idle = this.ctx.options.idleTimeoutMs;
    client.setTimeout(idle, () => this.abort('idle'));
    up.setTimeout(idle, () => this.abort('idle'));
    client.pipe(up);
    up.once('end', () => client.end());
    client.resume();
    // Logged when either side closes: by then every byte the client will get has come from the site.
    client.once('close', () => {
      up.end();
      this.log();
    });
    up.once('close', () => {
      client.end();
      this.log();
    });
  }

  private close(answer: string, alert: TlsAlertDescription | null, status?: number): void {
    this.answer = answer;
    if (status !== undefined) this.status = status;
    if (alert !== null && !this.client.destroyed) this.client.end(tlsAlert(alert));
    else this.client.destroy();
    this.upstream?.destroy();
    this.client.setTimeout(5_000, () => this.client.destroy());
    this.log();
  }

  private log(): void {
    if (this.logged) return;
    this.logged = true;
    const up = this.upstream;
    this.ctx.activity.record(this.t, this.answer, this.status, up?.bytesWritten ?? 0, up?.bytesRead ?? 0);
  }
}
