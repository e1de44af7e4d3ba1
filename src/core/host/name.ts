// Canonicalises a bare host name (no port, brackets or user info): lower-case A-labels without
// trailing dots, or a folded IPv4 address. Plain ASCII names take a hand-written single scan; only
// names with non-ASCII characters or `xn--` labels go through UTS-46 (tr46).
import { toASCII } from 'tr46';
import { RingfenceError, ErrorCodes, quoteInput } from '../errors.ts';
import { formatIPv4 } from '../net/ip.ts';
import { endsInNumber, parseLenientIPv4 } from './ipv4.ts';
import type { CanonicalHost } from './canonical.ts';

const MAX_LABEL = 63;
const MAX_NAME = 253;

const UTS46 = {
  checkBidi: true,
  checkHyphens: false,
  checkJoiners: true,
  useSTD3ASCIIRules: false,
  transitionalProcessing: false,
  processingOption: 'nontransitional',
  verifyDNSLength: false,
} as const;

/** An error about `host`, found in `input` (quoted too when the host is only part of it). */
export function hostError(host: string, input: string, what: string): RingfenceError {
  const where = host === input ? `host ${quoteInput(host)}` : `host ${quoteInput(host)} in ${quoteInput(input)}`;
  return new RingfenceError(ErrorCodes.HOST_INVALID, `${where} ${what}`, input);
}

function hex4(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Says what is wrong with an ASCII character that cannot be in a host name. */
function forbidden(c: number): string {
  if (c === 0x20) return 'contains a space';
  if (c === 0x09) return 'contains a tab';
  if (c < 0x20 || c === 0x7f) return `contains control character ${hex4(c)}`;
  const ch = JSON.stringify(String.fromCharCode(c));
  if (c === 0x3a) return `contains ${ch} (a port or an unbracketed IPv6 address is not accepted here)`;
  if (c === 0x40) return `contains ${ch} (user info is not accepted here)`;
  return `contains ${ch}, which is not allowed in a host name`;
}

/** Decodes %XX escapes as UTF-8 (WHATWG host parsing does this before IDNA). */
function percentDecode(name: string, input: string): string {
  for (let i = name.indexOf('%'); i >= 0; i = name.indexOf('%', i + 1)) {
    const a = name.charCodeAt(i + 1);
    const b = name.charCodeAt(i + 2);
    if (!isHex(a) || !isHex(b)) {
      throw hostError(name, input, `has an invalid percent-escape ${JSON.stringify(name.slice(i, i + 3))}`);
    }
  }
  try {
    return decodeURIComponent(name);
  } catch {
    throw hostError(name, input, 'has percent-escapes that are not valid UTF-8');
  }
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/** True when the label starting at `i` begins with `xn--` (any case). */
function isXnLabel(s: string, i: number): boolean {
  return (
    (s.charCodeAt(i + 1) | 0x20) === 0x6e && s.charCodeAt(i + 2) === 0x2d && s.charCodeAt(i + 3) === 0x2d
  );
}

/**
 * Canonicalises a bare name. `input` is what the caller was given (for messages); `decodePercent`
 * is set for sources where WHATWG percent-decodes hosts (URLs, Host headers).
 */
export function canonicalName(name: string, input: string, decodePercent: boolean): CanonicalHost {
  if (decodePercent && name.indexOf('%') >= 0) name = percentDecode(name, input);
  return scan(name, name, input, false);
}

function scan(raw: string, shown: string, input: string, mapped: boolean): CanonicalHost {
  const after = mapped ? ' (after UTS-46 mapping)' : '';
  let end = raw.length;
  while (end > 0 && raw.charCodeAt(end - 1) === 0x2e) end--;
  if (end === 0) throw hostError(shown, input, raw === '' ? `is empty${after}` : `has no labels, only dots${after}`);

  let upper = false;
  let idna = false;
  let labelLen = 0;
  let maxLabel = 0;
  let lastStart = 0;
  for (let i = 0; i < end; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f) {
      if (c === 0x78 && labelLen === 0 && isXnLabel(raw, i)) idna = true;
      labelLen++;
    } else if (c === 0x2e) {
      if (labelLen === 0) throw hostError(shown, input, `has an empty label${after}`);
      if (labelLen > maxLabel) maxLabel = labelLen;
      labelLen = 0;
      lastStart = i + 1;
    } else if (c >= 0x41 && c <= 0x5a) {
      if (c === 0x58 && labelLen === 0 && isXnLabel(raw, i)) idna = true;
      upper = true;
      labelLen++;
    } else if (c >= 0x80) {
      idna = true;
      labelLen++;
    } else {
      throw hostError(shown, input, forbidden(c) + after);
    }
  }
  if (labelLen > maxLabel) maxLabel = labelLen;

  const trimmed = end === raw.length ? raw : raw.slice(0, end);
  if (idna && !mapped) return scan(uts46(trimmed, shown, input), shown, input, true);
  const host = upper ? trimmed.toLowerCase() : trimmed;

  const first = host.charCodeAt(lastStart);
  if (first >= 0x30 && first <= 0x39 && endsInNumber(host, lastStart)) {
    const v4 = parseLenientIPv4(host);
    if (typeof v4 === 'string') throw hostError(shown, input, v4);
    return { kind: 'ipv4', host: formatIPv4(v4) };
  }
  if (maxLabel > MAX_LABEL) {
    const long = host.split('.').find((l) => l.length > MAX_LABEL) ?? '';
    throw new RingfenceError(
      ErrorCodes.HOST_INVALID,
      `label ${quoteInput(long, 20)} in host ${quoteInput(shown)}${shown === input ? '' : ` in ${quoteInput(input)}`} ` +
        `is longer than ${MAX_LABEL} characters (${long.length}${mapped ? ' as an A-label' : ''})`,
      input,
    );
  }
  if (host.length > MAX_NAME) {
    throw hostError(shown, input, `is longer than ${MAX_NAME} characters (${host.length}${mapped ? ' as A-labels' : ''})`);
  }
  return { kind: 'domain', host };
}

/** Longer than any name that can map to ≤ 253 octets; also keeps punycode's quadratic encoder cheap. */
const MAX_IDNA_INPUT = 1024;

function uts46(name: string, shown: string, input: string): string {
  if (name.length > MAX_IDNA_INPUT) {
    throw hostError(shown, input, `is longer than ${MAX_NAME} characters (${name.length} before IDNA conversion)`);
  }
  const ascii = toASCII(name, UTS46);
  if (ascii !== null) return ascii;
  for (const label of name.split('.')) {
    if (label.length >= 4 && label.slice(0, 4).toLowerCase() === 'xn--' && toASCII(label, UTS46) === null) {
      throw hostError(shown, input, `has label ${quoteInput(label)}, which is not a valid punycode A-label`);
    }
  }
  throw hostError(shown, input, 'is not a valid internationalised domain name (UTS-46 processing failed)');
}
