// `host[:port]` and `[ipv6][:port]` as found in Host headers, CONNECT targets and URL authorities.
import { RingfenceError, ErrorCodes, quoteInput } from '../errors.ts';
import { formatIPv4, formatIPv6, isIPv4Mapped, parseIPv6 } from '../net/ip.ts';
import { canonicalName, hostError } from './name.ts';
import type { CanonicalHost } from './canonical.ts';

export interface HostAndPort {
  readonly host: CanonicalHost;
  /** null when absent or empty (`example.com:`). */
  readonly port: number | null;
}

/**
 * The text between brackets (or a bare IPv6 literal in a list): canonical RFC 5952 text, with
 * IPv4-mapped addresses folded to IPv4. `shown` is how the host appeared, for messages.
 */
export function canonicalIPv6(text: string, shown: string, input: string): CanonicalHost {
  if (text === '') throw hostError(shown, input, 'is empty');
  const zone = text.indexOf('%');
  if (zone >= 0) {
    throw hostError(shown, input, `has a zone id ${quoteInput(text.slice(zone))}, which is not allowed`);
  }
  if (text.indexOf(':') < 0) {
    const v4like = /^[0-9a-fA-Fx.]+$/.test(text);
    throw hostError(
      shown,
      input,
      v4like ? 'has an IPv4 address in brackets; only IPv6 addresses go in brackets' : 'is not a valid IPv6 address',
    );
  }
  const words = parseIPv6(text);
  if (words === null) throw hostError(shown, input, 'is not a valid IPv6 address');
  if (isIPv4Mapped(words)) return { kind: 'ipv4', host: formatIPv4(((words[6]! << 16) | words[7]!) >>> 0) };
  return { kind: 'ipv6', host: formatIPv6(words) };
}

/** A port: decimal digits, 0–65535; empty means none. */
export function parsePort(text: string, input: string): number | null {
  if (text === '') return null;
  let port = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) {
      throw new RingfenceError(ErrorCodes.HOST_INVALID, `port ${quoteInput(text)} in ${quoteInput(input)} is not a number`, input);
    }
    port = port * 10 + (c - 0x30);
  }
  if (port > 65535) {
    throw new RingfenceError(
      ErrorCodes.HOST_INVALID,
      `port ${quoteInput(text)} in ${quoteInput(input)} is out of range (0–65535)`,
      input,
    );
  }
  return port;
}

/** Splits and canonicalises `host[:port]` / `[v6][:port]`; `input` is the whole text, for messages. */
export function splitHostPort(hp: string, input: string, decodePercent: boolean): HostAndPort {
  if (hp.charCodeAt(0) === 0x5b) {
    const close = hp.indexOf(']');
    if (close < 0) throw hostError(hp, input, 'has "[" without a closing "]"');
    const rest = hp.slice(close + 1);
    if (rest !== '' && rest.charCodeAt(0) !== 0x3a) {
      throw hostError(hp, input, `has ${quoteInput(rest)} after "]" where only ":port" may follow`);
    }
    const port = parsePort(rest.slice(1), input);
    return { host: canonicalIPv6(hp.slice(1, close), hp.slice(0, close + 1), input), port };
  }
  const colon = hp.indexOf(':');
  if (colon < 0) return { host: canonicalName(hp, input, decodePercent), port: null };
  if (hp.indexOf(':', colon + 1) >= 0) {
    throw hostError(hp, input, 'contains more than one ":" (an IPv6 address must be in brackets, like [::1]:443)');
  }
  const port = parsePort(hp.slice(colon + 1), input);
  return { host: canonicalName(hp.slice(0, colon), input, decodePercent), port };
}
