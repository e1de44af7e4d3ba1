// The people of a school's directory: staff, pupils (year group → key stage) and guests (who lapse
// at an expiry time), and the groups each is in at a given moment.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';

export type UserKind = 'staff' | 'pupil' | 'guest';
export type KeyStage = 'EYFS' | 'KS1' | 'KS2' | 'KS3' | 'KS4' | 'KS5';

export interface DirectoryPerson {
  readonly username: string;
  readonly displayName: string;
  readonly kind: UserKind;
  /** Pupils only: 0 (reception) to 13. */
  readonly yearGroup: number | null;
  /** Guests only: ISO-8601 instant after which they are in no group. */
  readonly expiresAt: string | null;
  /** Groups given explicitly (staff lists); derived groups are added by `groupsOf`. */
  readonly groups: readonly string[];
}

/** A stored person: the record plus its id. */
export interface StoredPerson extends DirectoryPerson {
  readonly id: string;
}

export const GUEST_GROUP = 'guests';

// Year groups as the national curriculum counts them: reception is year 0.
const KEY_STAGES: readonly (readonly [number, KeyStage])[] = [
  [0, 'EYFS'], [2, 'KS1'], [6, 'KS2'], [9, 'KS3'], [11, 'KS4'], [13, 'KS5'],
];

export function keyStageOf(yearGroup: number): KeyStage {
  if (!Number.isInteger(yearGroup) || yearGroup < 0 || yearGroup > 13) throw new RangeError(`year group ${yearGroup} is not 0–13`);
  return KEY_STAGES.find(([last]) => yearGroup <= last)![1];
}

/** The policy group for a key stage, as the default pack names them: "pupils-ks2". */
export function keyStageGroup(stage: KeyStage): string {
  return `pupils-${stage.toLowerCase()}`;
}

/** "R", "Reception", "0"–"13", "Year 7", "Y7" → the number; null when it is none of those. */
export function parseYearGroup(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'r' || t === 'reception' || t === 'yr') return 0;
  const m = /^(?:year\s*|y)?(\d{1,2})$/.exec(t);
  if (!m) return null;
  const n = Number(m[1]);
  return n <= 13 ? n : null;
}

const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,127}$/;

/** Usernames are compared without case, so they are stored lower-case. */
export function canonicalUsername(text: string): string {
  const name = text.trim().toLowerCase();
  if (!USERNAME.test(name)) {
    throw new RingfenceError(ErrorCodes.DIRECTORY_INVALID, `username ${quoteInput(text)} must be 1–128 letters, digits, . _ @ or -, starting with a letter or digit`, text);
  }
  return name;
}

/** Groups this person is in at `now`: explicit ones plus the key-stage or guest group; none once a guest has expired. */
export function groupsOf(person: DirectoryPerson, now: Date): string[] {
  if (person.kind === 'guest') {
    if (person.expiresAt === null || Date.parse(person.expiresAt) <= now.getTime()) return [];
    return unique([...person.groups, GUEST_GROUP]);
  }
  if (person.kind === 'pupil' && person.yearGroup !== null) return unique([...person.groups, keyStageGroup(keyStageOf(person.yearGroup))]);
  return unique(person.groups);
}

function unique(groups: readonly string[]): string[] {
  return [...new Set(groups)].sort();
}

export interface GuestInput {
  readonly username: string;
  readonly displayName: string;
  /** ISO-8601 instant. */
  readonly expiresAt: string;
}

/** Validates a guest; `now` is when it is added (a guest must expire after that). */
export function validateGuest(input: GuestInput, now: Date): DirectoryPerson {
  const username = canonicalUsername(input.username);
  const displayName = input.displayName.trim();
  if (displayName === '') throw new RingfenceError(ErrorCodes.DIRECTORY_INVALID, 'a guest needs a display name');
  const at = Date.parse(input.expiresAt);
  if (Number.isNaN(at) || !/^\d{4}-\d\d-\d\dT/.test(input.expiresAt)) {
    throw new RingfenceError(ErrorCodes.DIRECTORY_INVALID, `expiry ${quoteInput(input.expiresAt)} is not an ISO-8601 time such as 2025-09-01T16:00:00Z`, input.expiresAt);
  }
  if (at <= now.getTime()) throw new RingfenceError(ErrorCodes.DIRECTORY_INVALID, `expiry ${quoteInput(input.expiresAt)} is not in the future`, input.expiresAt);
  return { username, displayName, kind: 'guest', yearGroup: null, expiresAt: new Date(at).toISOString(), groups: [] };
}
