// Users and the groups they belong to, as the policy engine needs them (until storage holds the
// directory, it comes from a CSV file: username, display name, groups).
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import { parseCsv } from './csv.ts';

export interface DirectoryUser {
  readonly username: string;
  readonly displayName: string;
  readonly groups: readonly string[];
}

export interface Directory {
  readonly users: readonly DirectoryUser[];
}

export interface RowError {
  readonly line: number;
  readonly text: string;
  readonly message: string;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/**
 * Reads a directory CSV. A header row (first field "username") is skipped. Groups are separated by
 * ";" or spaces and must be groups the policy defines. Every bad row is reported; callers import
 * nothing when there is any (a half-imported class list is worse than none).
 */
export function parseDirectoryCsv(text: string, knownGroups: ReadonlySet<string>): { users: DirectoryUser[]; errors: RowError[] } {
  const { rows, error } = parseCsv(text);
  const errors: RowError[] = [];
  if (error) errors.push({ line: error.line, text: '', message: error.message });
  const users: DirectoryUser[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const text = row.fields.join(',');
    const bad = (message: string) => errors.push({ line: row.line, text, message });
    if (i === 0 && row.fields[0]?.trim().toLowerCase() === 'username') return;
    if (row.fields.length !== 3) return bad(`expected 3 fields (username, display name, groups), found ${row.fields.length}`);
    const [username, displayName, groupText] = row.fields.map((f) => f.trim()) as [string, string, string];
    if (!USERNAME.test(username)) return bad(`username ${quoteInput(username)} must be 1–128 letters, digits, . _ @ or -, starting with a letter or digit`);
    if (displayName === '') return bad('display name is empty');
    const groups = groupText.split(/[;\s]+/).filter(Boolean);
    if (groups.length === 0) return bad('no groups given');
    const unknown = groups.filter((g) => !knownGroups.has(g));
    if (unknown.length > 0) return bad(`unknown group${unknown.length > 1 ? 's' : ''} ${unknown.map((g) => quoteInput(g)).join(', ')} (known: ${[...knownGroups].join(', ')})`);
    const key = username.toLowerCase();
    if (seen.has(key)) return bad(`username ${quoteInput(username)} is also on line ${seen.get(key)}`);
    seen.set(key, row.line);
    users.push({ username, displayName, groups });
  });
  return { users, errors };
}

/** Merges imported users into a directory: same username (case-insensitive) replaces, others stay. */
export function mergeDirectory(current: Directory, imported: readonly DirectoryUser[]): Directory {
  const byName = new Map(current.users.map((u) => [u.username.toLowerCase(), u]));
  for (const u of imported) byName.set(u.username.toLowerCase(), u);
  return { users: [...byName.values()].sort((a, b) => a.username.localeCompare(b.username)) };
}

export function findUser(directory: Directory, username: string): DirectoryUser {
  const key = username.toLowerCase();
  const user = directory.users.find((u) => u.username.toLowerCase() === key);
  if (!user) throw new RingfenceError(ErrorCodes.USER_UNKNOWN, `no user ${quoteInput(username)} in the directory (import one with \`ringfence directory import FILE.csv\`)`, username);
  return user;
}
