// Ringfence's own accounts (proxy sign-in): who someone is and which policy groups decide for them.
// Kept behind the AccountStore port; the file store checks every record it reads with parseAccount.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';

export interface Account {
  /** Canonical: see canonicalUsername. */
  readonly username: string;
  readonly displayName?: string;
  /** Policy group ids (e.g. "pupils-ks2", "staff"); at least one. */
  readonly groups: readonly string[];
  /** A PHC string, e.g. "$argon2id$v=19$m=19456,t=2,p=1$salt$hash". */
  readonly passwordHash: string;
  readonly disabled: boolean;
  /** ISO-8601 instants. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What may be shown about an account (lists, APIs): everything but the hash. */
export type AccountSummary = Omit<Account, 'passwordHash'>;

export const USERNAME_MAX = 64;
export const DISPLAY_NAME_MAX = 200;
const USERNAME = /^[\p{L}\p{Nd}][\p{L}\p{Nd}._@-]{0,63}$/u;
const PHC = /^\$[a-z0-9-]{1,32}(\$[A-Za-z0-9+/.=,-]+){1,8}$/;
const GROUP_ID = /^[a-z0-9][a-z0-9._:/-]{0,99}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * Trimmed, NFC, lower-cased; 1–64 letters, digits, ".", "_", "-" or "@", starting with a letter or
 * digit. "Pupil.One " and "pupil.one" are the same account. Throws RF_USERNAME_INVALID.
 */
export function canonicalUsername(input: string): string {
  // NFC again after lower-casing: a few capitals lower-case to a decomposed sequence.
  const name = input.trim().normalize('NFC').toLowerCase().normalize('NFC');
  if (name === '') throw new RingfenceError(ErrorCodes.USERNAME_INVALID, 'the username is empty', input);
  const length = [...name].length;
  if (length > USERNAME_MAX) {
    throw new RingfenceError(ErrorCodes.USERNAME_INVALID, `username ${quoteInput(input)} is ${length} characters long; the most is ${USERNAME_MAX}`, input);
  }
  if (!USERNAME.test(name)) {
    const bad = [...name].find((c) => !/[\p{L}\p{Nd}._@-]/u.test(c));
    const why = bad !== undefined ? `contains ${quoteInput(bad)}` : 'must start with a letter or digit';
    throw new RingfenceError(ErrorCodes.USERNAME_INVALID, `username ${quoteInput(input)} ${why} (use letters, digits, . _ - @, starting with a letter or digit)`, input);
  }
  return name;
}

/** Null when the input is not a valid username, for callers that only need yes or no (the proxy). */
export function tryCanonicalUsername(input: string): string | null {
  try {
    return canonicalUsername(input);
  } catch {
    return null;
  }
}

/** Order kept, duplicates dropped; every id must be one the policy defines. Throws RF_GROUP_UNKNOWN. */
export function checkGroups(groups: readonly string[], knownGroups: ReadonlySet<string>): string[] {
  const ids = [...new Set(groups.map((g) => g.trim()).filter((g) => g !== ''))];
  if (ids.length === 0) throw new RingfenceError(ErrorCodes.GROUP_UNKNOWN, `an account needs at least one group (known: ${[...knownGroups].join(', ')})`);
  const unknown = ids.filter((g) => !knownGroups.has(g));
  if (unknown.length > 0) {
    throw new RingfenceError(
      ErrorCodes.GROUP_UNKNOWN,
      `unknown group${unknown.length > 1 ? 's' : ''} ${unknown.map((g) => quoteInput(g)).join(', ')} (known: ${[...knownGroups].join(', ')})`,
      unknown[0],
    );
  }
  return ids;
}

/** Trimmed; undefined when empty. Throws RF_ARGUMENT_INVALID when too long or holding control characters. */
export function checkDisplayName(input: string | undefined): string | undefined {
  const name = input?.trim().normalize('NFC');
  if (!name) return undefined;
  if ([...name].length > DISPLAY_NAME_MAX) throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `the display name is longer than ${DISPLAY_NAME_MAX} characters`, input);
  if (/\p{Cc}/u.test(name)) throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `the display name ${quoteInput(name)} contains control characters`, input);
  return name;
}

/** The account without its hash. */
export function summarise(account: Account): AccountSummary {
  const { passwordHash: _hash, ...rest } = account;
  return rest;
}

/**
 * Checks a stored record (from a file or a database row). Throws a plain Error saying which field
 * is wrong; the store wraps it with where the record came from.
 */
export function parseAccount(value: unknown): Account {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('an account must be an object');
  const v = value as Record<string, unknown>;
  const known = new Set(['username', 'displayName', 'groups', 'passwordHash', 'disabled', 'createdAt', 'updatedAt']);
  const extra = Object.keys(v).filter((k) => !known.has(k));
  if (extra.length > 0) throw new Error(`unknown field ${quoteInput(extra[0]!)}`);
  if (typeof v.username !== 'string' || tryCanonicalUsername(v.username) !== v.username) throw new Error(`"username" must be a canonical username, found ${describe(v.username)}`);
  const where = `account ${quoteInput(v.username)}`;
  if (v.displayName !== undefined && (typeof v.displayName !== 'string' || checkDisplayName(v.displayName) !== v.displayName)) {
    throw new Error(`${where}: "displayName" must be a trimmed string of at most ${DISPLAY_NAME_MAX} characters`);
  }
  if (!Array.isArray(v.groups) || v.groups.length === 0 || !v.groups.every((g) => typeof g === 'string' && GROUP_ID.test(g))) {
    throw new Error(`${where}: "groups" must be a non-empty array of group ids`);
  }
  if (typeof v.passwordHash !== 'string' || v.passwordHash.length > 512 || !PHC.test(v.passwordHash)) throw new Error(`${where}: "passwordHash" is not a PHC hash string`);
  if (typeof v.disabled !== 'boolean') throw new Error(`${where}: "disabled" must be true or false`);
  for (const field of ['createdAt', 'updatedAt'] as const) {
    const t = v[field];
    if (typeof t !== 'string' || !ISO_INSTANT.test(t) || Number.isNaN(Date.parse(t))) throw new Error(`${where}: "${field}" must be an ISO-8601 UTC time, found ${describe(t)}`);
  }
  return {
    username: v.username,
    ...(v.displayName !== undefined ? { displayName: v.displayName as string } : {}),
    groups: [...(v.groups as string[])],
    passwordHash: v.passwordHash,
    disabled: v.disabled,
    createdAt: v.createdAt as string,
    updatedAt: v.updatedAt as string,
  };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? quoteInput(value) : value === undefined ? 'nothing' : typeof value;
}
