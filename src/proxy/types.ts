// What the web proxy needs from the rest of Ringfence, and its validated options. The proxy only
// moves bytes and asks: decisions come from the live policy engine, names from the DNS pipeline.
import type { CanonicalHost } from '../core/host/canonical.ts';
import type { AddressSet } from '../core/policy/address-set.ts';
import type { LiveEnforcement } from '../services/live-enforcement.ts';
import type { ActivityLog } from '../services/ports.ts';

/** Resolves names as DNS clients see them (safe-search CNAMEs included); implemented in src/dns. */
export interface NameResolver {
  /** Rejects with NAME_NOT_FOUND or UPSTREAM_UNREACHABLE (RingfenceError). */
  resolve(host: CanonicalHost, groups: readonly string[]): Promise<{ readonly addresses: readonly string[]; readonly via: string | null }>;
}

export type AuthResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly username: string; readonly groups: readonly string[] }
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

/** Checks `Proxy-Authorization` against Ringfence's accounts (src/services/accounts). */
export interface ProxyAuth {
  /** A verified result without waiting, when these credentials were verified recently. */
  cached(header: string | undefined, clientAddress: string): AuthResult | undefined;
  authenticate(header: string | undefined, clientAddress: string): Promise<AuthResult>;
}

export type AuthMode = 'off' | 'optional' | 'required';

export interface ProxyOptions {
  /** Ports a request or tunnel may go to (80 and 443 by default). */
  readonly allowPorts: ReadonlySet<number>;
  /** Proxy authentication per network, first match wins; `authDefault` elsewhere. */
  readonly authNetworks: readonly { readonly where: AddressSet; readonly mode: AuthMode }[];
  readonly authDefault: AuthMode;
  /** The console's base URL, for the block page's "ask to unblock" and "report a problem" links. */
  readonly consoleUrl: string;
  /** `host:port` that browsers should use in the PAC file; null: the address the PAC was asked at. */
  readonly pacProxy: string | null;
  /** Destinations browsers reach directly (PAC): domains and CIDRs. */
  readonly pacBypass: { readonly domains: readonly string[]; readonly networks: readonly string[] };
  /** Largest request head accepted, bytes (larger: 431). */
  readonly maxHeaderBytes: number;
  readonly maxConnectionsPerClient: number;
  readonly maxConnections: number;
  /** Time to connect to a site, ms (then 504). */
  readonly connectTimeoutMs: number;
  /** A connection or tunnel with nothing sent either way for this long is closed, ms. */
  readonly idleTimeoutMs: number;
  /** Time for a client to send a whole request head, ms (slow clients: 408). */
  readonly headersTimeoutMs: number;
  /** Time for a client to send a tunnel's TLS ClientHello after the 200, ms. */
  readonly helloTimeoutMs: number;
  /** Tunnels whose first bytes are not TLS are refused unless this is set (SSH over 443 and the like). */
  readonly allowNonTlsTunnels: boolean;
}

export interface ProxyDeps {
  readonly enforcement: LiveEnforcement;
  readonly resolver: NameResolver;
  readonly log: ActivityLog;
  /** null: no accounts; credentials are ignored and the client's address decides who it is. */
  readonly auth: ProxyAuth | null;
  readonly now: () => number;
  readonly onError: (e: Error) => void;
}

export const DEFAULT_PROXY_OPTIONS: ProxyOptions = Object.freeze({
  allowPorts: new Set([80, 443]),
  authNetworks: [],
  authDefault: 'optional',
  consoleUrl: 'http://127.0.0.1:8080',
  pacProxy: null,
  pacBypass: { domains: [], networks: [] },
  maxHeaderBytes: 16 * 1024,
  maxConnectionsPerClient: 256,
  maxConnections: 20_000,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 120_000,
  headersTimeoutMs: 20_000,
  helloTimeoutMs: 10_000,
  allowNonTlsTunnels: false,
});
