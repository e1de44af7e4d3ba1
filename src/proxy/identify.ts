// Who is asking: proxy credentials (Basic, against Ringfence's accounts) where the network asks for
// them or the browser sends them, otherwise the client's address through the clients map.
import type { ClientIdentity, ClientMap } from '../core/directory/client-map.ts';
import type { ParsedAddress } from '../core/net/ip.ts';
import type { AuthMode, AuthResult, ProxyAuth, ProxyOptions } from './types.ts';

export type Identified =
  | { readonly kind: 'ok'; readonly identity: ClientIdentity }
  /** 407: credentials needed, or the ones sent were wrong. */
  | { readonly kind: 'challenge'; readonly reason: string }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

export function authModeFor(options: ProxyOptions, address: ParsedAddress | null): AuthMode {
  if (address !== null) {
    for (const n of options.authNetworks) if (n.where.has(address)) return n.mode;
  }
  return options.authDefault;
}

function fromAuth(r: AuthResult, mode: AuthMode, byAddress: () => ClientIdentity): Identified {
  switch (r.kind) {
    case 'ok':
      return { kind: 'ok', identity: { user: r.username, groups: r.groups, source: 'proxy-auth' } };
    case 'throttled':
      return r;
    case 'rejected':
      return { kind: 'challenge', reason: r.reason };
    case 'none':
      return mode === 'required' ? { kind: 'challenge', reason: 'this network asks you to sign in to use the web' } : { kind: 'ok', identity: byAddress() };
  }
}

/**
 * Synchronous when it can be (no credentials, or credentials verified recently), so the common
 * request costs no promise; a first sign-in waits for the password check.
 */
export function identify(
  header: string | undefined,
  clientAddress: string,
  parsed: ParsedAddress | null,
  options: ProxyOptions,
  auth: ProxyAuth | null,
  clients: ClientMap,
): Identified | Promise<Identified> {
  const mode = auth === null ? 'off' : authModeFor(options, parsed);
  const byAddress = () => clients.identify(clientAddress);
  if (mode === 'off' || auth === null) return { kind: 'ok', identity: byAddress() };
  if (header === undefined) return fromAuth({ kind: 'none' }, mode, byAddress);
  const hit = auth.cached(header, clientAddress);
  if (hit !== undefined) return fromAuth(hit, mode, byAddress);
  return auth.authenticate(header, clientAddress).then((r) => fromAuth(r, mode, byAddress));
}
