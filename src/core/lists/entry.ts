// What one line of a category list means once parsed and canonicalised.

export type ListEntry =
  /** Matches the domain and every subdomain, by whole labels. */
  | { readonly kind: 'domain'; readonly host: string }
  /** Matches requests for this host (and its subdomains) whose path starts with `path` at a segment boundary. */
  | { readonly kind: 'url'; readonly host: string; readonly path: string }
  /** One address or a CIDR block; `prefix` is 32 or 128 for a single address. */
  | { readonly kind: 'ip'; readonly family: 4 | 6; readonly address: string; readonly prefix: number };

export type ListFormat = 'ut1' | 'hosts' | 'domains' | 'adblock';

/** How a list is used: block-lists feed block rules, allow-lists feed allow rules (UT1 `usage`). */
export type ListUsage = 'block' | 'allow';

/** Describes one imported list. `id` is unique, e.g. "ut1/gambling" or "blp/gambling". */
export interface ListMeta {
  readonly id: string;
  /** Ringfence category this list feeds, when the importer was told (`--category`); else the pack decides. */
  readonly category: string | null;
  readonly usage: ListUsage;
  /** Marked illegal (IWF, CTIRU feeds): always in the locked tier. */
  readonly illegal: boolean;
  readonly source: string;
  readonly format: ListFormat | 'builtin';
  readonly importedAt: string;
  readonly counts: { readonly domains: number; readonly urls: number; readonly ips: number };
}

const LIST_ID = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)?$/;

export function isValidListId(id: string): boolean {
  return id.length <= 100 && LIST_ID.test(id);
}
