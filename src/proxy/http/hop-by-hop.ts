// Headers that belong to one connection (RFC 9110 7.6.1) are not forwarded: the fixed list, plus
// every header the Connection header names. Applies to requests and responses alike.

/** Lower-case names of the hop-by-hop headers always removed. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

// Named in Connection, these are still kept: dropping them would change how the message is framed
// or where it goes ("Connection: Content-Length" is an attack, not a request).
const NEVER_DROPPED: ReadonlySet<string> = new Set(['content-length', 'host']);

export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name.toLowerCase());
}

/**
 * A new raw header array (name, value, name, value…) without hop-by-hop headers; the others keep
 * their order, case and values. A trailing name without a value is dropped. Never throws.
 */
export function forwardHeaders(rawHeaders: readonly string[]): string[] {
  const named = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'connection') continue;
    for (const token of rawHeaders[i + 1]!.split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '' && !NEVER_DROPPED.has(name)) named.add(name);
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i]!.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower)) continue;
    out.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return out;
}
