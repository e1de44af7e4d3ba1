// What plain-HTTP forwarding and CONNECT tunnels share: who is asking, the decision, name
// resolution, Ringfence's own pages and the activity log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientIdentity } from '../core/directory/client-map.ts';
import type { CanonicalHost } from '../core/host/canonical.ts';
import { AddressMemo } from '../core/net/address-memo.ts';
import type { ParsedAddress } from '../core/net/ip.ts';
import type { Decision } from '../core/policy/decision.ts';
import type { ProxyActivity, RequestTrace } from './activity.ts';
import { identify, type Identified } from './identify.ts';
import type { Page } from './respond.ts';
import type { ProxyDeps, ProxyOptions } from './types.ts';

export type ErrorKind =
  | 'bad-request'
  | 'expectation-failed'
  | 'not-implemented'
  | 'port-not-allowed'
  | 'auth-required'
  | 'throttled'
  | 'too-many-connections'
  | 'upstream-unreachable'
  | 'upstream-timeout'
  | 'name-not-found'
  | 'not-a-proxy-request';

export interface ProxyPages {
  blocked(t: RequestTrace, decision: Decision): Page;
  error(kind: ErrorKind, t: RequestTrace, detail: string): Page;
}

export type Who =
  | { readonly kind: 'ok'; readonly identity: ClientIdentity }
  | { readonly kind: 'challenge' | 'throttled'; readonly page: Page; readonly headers: Record<string, string> };

export class ProxyContext {
  private readonly addresses = new AddressMemo();

  constructor(
    readonly deps: ProxyDeps,
    readonly options: ProxyOptions,
    readonly activity: ProxyActivity,
    readonly pages: ProxyPages,
    readonly serveLocal: (req: IncomingMessage, res: ServerResponse, t: RequestTrace) => void,
  ) {}

  clientAddress(text: string): ParsedAddress | null {
    return this.addresses.of(text);
  }


  /** Calls back at once when it can (most requests), after the password check otherwise. */
  whoIs(header: string | undefined, t: RequestTrace, then: (who: Who) => void): void {
    const clients = this.deps.enforcement.current().clients;
    const got = identify(header, t.client, this.clientAddress(t.client), this.options, this.deps.auth, clients);
    const done = (r: Identified) => {
      if (r.kind === 'ok') {
        t.identity = r.identity;
        return then(r);
      }
      if (r.kind === 'throttled') {
        return then({ kind: 'throttled', page: this.pages.error('throttled', t, `try again in ${r.retryAfterSeconds} s`), headers: { 'Retry-After': String(r.retryAfterSeconds) } });
      }
      then({ kind: 'challenge', page: this.pages.error('auth-required', t, r.reason), headers: { 'Proxy-Authenticate': 'Basic realm="Ringfence", charset="UTF-8"' } });
    };
    if (got instanceof Promise) {
      got.then(done, (e: Error) => {
        this.deps.onError(e);
        done({ kind: 'challenge', reason: 'sign-in is not available just now' });
      });
    } else {
      done(got);
    }
  }

  decide(host: CanonicalHost, path: string | null, identity: ClientIdentity, t: RequestTrace): Decision {
    const engine = this.deps.enforcement.current().engine;
    const decision = engine.decideParsed(host, path, identity, this.clientAddress(t.client), this.deps.now());
    t.identity = identity;
    t.decision = decision;
    return decision;
  }

  /** The first address the DNS pipeline gives for the host, as this client's groups see it. */
  async addressOf(host: CanonicalHost, t: RequestTrace): Promise<string> {
    if (host.kind !== 'domain') return host.host;
    const r = await this.deps.resolver.resolve(host, t.identity?.groups ?? []);
    return r.addresses[0]!;
  }
}
