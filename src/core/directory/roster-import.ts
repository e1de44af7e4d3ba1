// A school's pupil or staff list (CSV) compared with the directory: what an import would add,
// change, leave alone and (only with `replace`) remove, and an error per bad line. Nothing is
// applied when there is any error: a half-imported class list is worse than none.
import { quoteInput } from '../errors.ts';
import { parseCsv } from './csv.ts';
import { validateGroupName } from './devices.ts';
import { canonicalUsername, parseYearGroup, type DirectoryPerson } from './people.ts';
import type { RowError } from './directory.ts';

export type RosterKind = 'pupil' | 'staff';

export interface RosterChange {
  readonly before: DirectoryPerson;
  readonly after: DirectoryPerson;
  /** Which fields differ: "displayName", "yearGroup", "groups", "kind". */
  readonly fields: readonly string[];
}

export interface RosterPreview {
  readonly kind: RosterKind;
  /** With replace, people of this kind missing from the file are removed. */
  readonly replace: boolean;
  readonly add: readonly DirectoryPerson[];
  readonly change: readonly RosterChange[];
  readonly unchanged: readonly string[];
  /** Usernames removed (replace) or, without replace, left as they are although not in the file. */
  readonly remove: readonly string[];
  readonly notInFile: readonly string[];
  readonly errors: readonly RowError[];
}

const COLUMNS: Record<RosterKind, string> = { pupil: 'username, display name, year group', staff: 'username, display name, groups' };

export interface RosterRow {
  readonly line: number;
  readonly text: string;
  readonly person: DirectoryPerson;
}

/** Parses the rows of a pupil or staff list; a header row (first field "username") is skipped. */
export function parseRoster(kind: RosterKind, text: string): { rows: RosterRow[]; errors: RowError[] } {
  const { rows, error } = parseCsv(text);
  const errors: RowError[] = error ? [{ line: error.line, text: '', message: error.message }] : [];
  const people: RosterRow[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const text = row.fields.join(',');
    const bad = (message: string) => void errors.push({ line: row.line, text, message });
    const fields = row.fields.map((f) => f.trim());
    if (i === 0 && fields[0]?.toLowerCase() === 'username') return;
    if (fields.length !== 3) return bad(`expected 3 fields (${COLUMNS[kind]}), found ${fields.length}`);
    const [rawName, displayName, third] = fields as [string, string, string];
    let username: string;
    try {
      username = canonicalUsername(rawName);
    } catch (e) {
      return bad((e as Error).message);
    }
    if (displayName === '') return bad('display name is empty');
    let person: DirectoryPerson;
    if (kind === 'pupil') {
      const yearGroup = parseYearGroup(third);
      if (yearGroup === null) return bad(`year group ${quoteInput(third)} is not R (reception) or 0–13`);
      person = { username, displayName, kind, yearGroup, expiresAt: null, groups: [] };
    } else {
      const names = third.split(/[;\s]+/).filter(Boolean);
      if (names.length === 0) return bad('no groups given');
      const groups: string[] = [];
      for (const name of names) {
        try {
          groups.push(validateGroupName(name));
        } catch (e) {
          return bad((e as Error).message);
        }
      }
      person = { username, displayName, kind, yearGroup: null, expiresAt: null, groups: [...new Set(groups)].sort() };
    }
    if (seen.has(username)) return bad(`username ${quoteInput(username)} is also on line ${seen.get(username)}`);
    seen.set(username, row.line);
    people.push({ line: row.line, text, person });
  });
  return { rows: people, errors };
}

function differences(a: DirectoryPerson, b: DirectoryPerson): string[] {
  const out: string[] = [];
  if (a.kind !== b.kind) out.push('kind');
  if (a.displayName !== b.displayName) out.push('displayName');
  if (a.yearGroup !== b.yearGroup) out.push('yearGroup');
  if (a.expiresAt !== b.expiresAt) out.push('expiresAt');
  if (a.groups.join(';') !== [...b.groups].sort().join(';')) out.push('groups');
  return out;
}

/**
 * Compares a parsed list with the school's current directory. A username already held by a person
 * of another kind (a guest, or staff in a pupil list) is an error on its line, not a silent change.
 */
export function previewRoster(kind: RosterKind, text: string, current: readonly DirectoryPerson[], options: { replace?: boolean; knownGroups?: ReadonlySet<string> } = {}): RosterPreview {
  const { rows, errors } = parseRoster(kind, text);
  const inFile = new Set(rows.map((r) => r.person.username));
  const byName = new Map(current.map((p) => [p.username, p]));
  const add: DirectoryPerson[] = [];
  const change: RosterChange[] = [];
  const unchanged: string[] = [];
  for (const { line, text: rowText, person } of rows) {
    const bad = (message: string) => void errors.push({ line, text: rowText, message });
    const unknown = options.knownGroups ? person.groups.filter((g) => !options.knownGroups!.has(g)) : [];
    const before = byName.get(person.username);
    if (unknown.length > 0) bad(`unknown group(s) ${unknown.map((g) => quoteInput(g)).join(', ')} (known: ${[...options.knownGroups!].join(', ')})`);
    else if (!before) add.push(person);
    else if (before.kind !== kind) bad(`username ${quoteInput(person.username)} already belongs to a ${before.kind}, not a ${kind}`);
    else {
      const fields = differences(before, person);
      if (fields.length === 0) unchanged.push(person.username);
      else change.push({ before, after: person, fields });
    }
  }
  const missing = current.filter((p) => p.kind === kind && !inFile.has(p.username)).map((p) => p.username).sort();
  errors.sort((a, b) => a.line - b.line);
  return {
    kind,
    replace: options.replace ?? false,
    add,
    change,
    unchanged,
    remove: options.replace ? missing : [],
    notInFile: options.replace ? [] : missing,
    errors,
  };
}

/** One line per part of the preview, for a person to read before applying it. */
export function describePreview(p: RosterPreview): string {
  const lines = [`${p.add.length} to add, ${p.change.length} to change, ${p.unchanged.length} unchanged`];
  lines.push(p.replace ? `${p.remove.length} ${p.kind} record(s) not in the file will be removed (replace)` : `${p.notInFile.length} ${p.kind} record(s) not in the file are kept (use replace to remove them)`);
  for (const c of p.change) lines.push(`change ${c.after.username}: ${c.fields.join(', ')}`);
  for (const e of p.errors) lines.push(`line ${e.line}: ${e.message}`);
  return lines.join('\n');
}
