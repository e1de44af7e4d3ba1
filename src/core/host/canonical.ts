// The one host canonicaliser: DNS question names, Host headers, URLs, CONNECT targets, TLS SNI and
// list lines all go through canonicalHost, so that a name means the same thing wherever it appears.
import { RingfenceError, ErrorCodes, isRingfenceError } from '../errors.ts';
import { canonicalName } from './name.ts';
import { canonicalIPv6, splitHostPort } from './hostport.ts';
import { parseUrl } from './url.ts';

export { parseUrl } from './url.ts';
export type { ParsedUrl } from './url.ts';

export type HostKind = 'domain' | 'ipv4' | 'ipv6';

/** A host in its one canonical form: lower-case A-labels without trailing dot, or a folded IP. */
export interface CanonicalHost {
  readonly kind: HostKind;
  /** domain: "www.example.com"; ipv4: "127.0.0.1"; ipv6: RFC 5952 text without brackets, "2001:db8::1". */
  readonly host: string;
}

/** Where a name reached us: decides which syntax around the name is accepted (port, brackets, userinfo). */
export type HostSource = 'dns' | 'host-header' | 'url' | 'connect' | 'sni' | 'list';

/** What an IPv6 literal in a list may look like (zone ids included, to reject them by name). */
const IPV6_CHARS = /^\[?[0-9a-fA-F:.]+(%[^\]]*)?\]?$/;

/**
 * Canonicalises a host as it arrived from `source`:
 * - dns, sni: a bare name (IP literals are folded, even in SNI);
 * - list: a bare name, or an IPv6 literal with or without brackets;
 * - host-header: `host[:port]` / `[v6][:port]`, percent-escapes decoded;
 * - connect: `host[:port]` / `[v6][:port]`;
 * - url: anything parseUrl takes; user info, port, path are dropped.
 * Throws RingfenceError(HOST_INVALID) saying what is wrong.
 */
export function canonicalHost(input: string, source: HostSource): CanonicalHost {
  switch (source) {
    case 'dns':
    case 'sni':
      return canonicalName(input, input, false);
    case 'list':
      if (input.indexOf(':') >= 0 && IPV6_CHARS.test(input)) {
        const bracketed = input.charCodeAt(0) === 0x5b && input.charCodeAt(input.length - 1) === 0x5d;
        return canonicalIPv6(bracketed ? input.slice(1, -1) : input, input, input);
      }
      return canonicalName(input, input, false); // `example.com:80` fails here, on the ':'

    case 'host-header':
      return splitHostPort(input, input, true).host;
    case 'connect':
      return splitHostPort(input, input, false).host;
    case 'url':
      try {
        return parseUrl(input).host;
      } catch (e) {
        if (isRingfenceError(e) && e.code !== ErrorCodes.HOST_INVALID) {
          throw new RingfenceError(ErrorCodes.HOST_INVALID, e.message, input);
        }
        throw e;
      }
  }
}
