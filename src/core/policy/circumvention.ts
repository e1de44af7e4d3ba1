// Names whose answer switches a device's own safeguards off or on: answered NXDOMAIN for everyone,
// whatever the policy says, so browsers keep using the school's filtering resolver.
const CANARIES = new Map<string, string>([
  // Firefox turns its own DNS-over-HTTPS off when this name does not resolve (0.0.0.0 is not enough).
  ['use-application-dns.net', 'Firefox DNS-over-HTTPS canary'],
  // iCloud Private Relay stays off on networks where these do not resolve.
  ['mask.icloud.com', 'iCloud Private Relay'],
  ['mask-h2.icloud.com', 'iCloud Private Relay'],
]);

/** Why `host` must not resolve, or null. */
export function circumventionCanary(host: string): string | null {
  return CANARIES.get(host) ?? null;
}
