// The device classes of the school's policy (SCHOOL-POLICY.md 2.2) held as data: each column of the
// table as written, and the network access level that follows from it. Where the written policy
// answers no access level with "yes" for a device allowed in school, the class gets no network
// access (the safe reading) and `policyContradictions` says so, so a person can fix the policy.

export type AccessLevel = 'full network access' | 'internet only' | 'no network access';
type Answer = 'yes' | 'no' | 'n/a' | '';

export type DeviceClassId =
  | 'school-owned-single-user'
  | 'school-owned-shared'
  | 'school-scheme'
  | 'pupil-owned'
  | 'staff-owned'
  | 'visitor-owned';

export interface DeviceClass {
  readonly id: DeviceClassId;
  readonly title: string;
  readonly allowedInSchool: boolean;
  /** The table's answers, as written. */
  readonly answers: Readonly<Record<AccessLevel, Answer>>;
  /** The group a device of this class is in when it has no owner and no group of its own. */
  readonly defaultGroup: string | null;
}

const row = (full: Answer, internetOnly: Answer, none: Answer): DeviceClass['answers'] =>
  Object.freeze({ 'full network access': full, 'internet only': internetOnly, 'no network access': none });

export const DEVICE_CLASSES: readonly DeviceClass[] = Object.freeze([
  { id: 'school-owned-single-user', title: 'School-owned, single user', allowedInSchool: true, answers: row('yes', '', ''), defaultGroup: null },
  { id: 'school-owned-shared', title: 'School-owned, multiple users', allowedInSchool: true, answers: row('yes', '', ''), defaultGroup: null },
  { id: 'school-scheme', title: 'Authorised (bought through a school scheme)', allowedInSchool: true, answers: row('yes', '', ''), defaultGroup: null },
  { id: 'pupil-owned', title: 'Pupil-owned', allowedInSchool: false, answers: row('n/a', 'n/a', 'n/a'), defaultGroup: null },
  { id: 'staff-owned', title: 'Staff-owned', allowedInSchool: true, answers: row('no', 'yes', ''), defaultGroup: 'staff' },
  { id: 'visitor-owned', title: 'Visitor-owned', allowedInSchool: true, answers: row('no', 'no', 'no'), defaultGroup: 'guests' },
] satisfies DeviceClass[]);

const LEVELS: readonly AccessLevel[] = ['full network access', 'internet only', 'no network access'];

export function isDeviceClassId(value: string): value is DeviceClassId {
  return DEVICE_CLASSES.some((c) => c.id === value);
}

export function deviceClass(id: DeviceClassId): DeviceClass {
  return DEVICE_CLASSES.find((c) => c.id === id)!;
}

/** The first access level the policy answers "yes" for; none for devices not allowed in school. */
export function accessLevelOf(id: DeviceClassId): AccessLevel {
  const c = deviceClass(id);
  if (!c.allowedInSchool) return 'no network access';
  return LEVELS.find((level) => c.answers[level] === 'yes') ?? 'no network access';
}

/** Classes allowed in school for which the written policy grants no access level at all. */
export function policyContradictions(): { readonly classId: DeviceClassId; readonly problem: string }[] {
  return DEVICE_CLASSES.filter((c) => c.allowedInSchool && !LEVELS.some((l) => c.answers[l] === 'yes')).map((c) => ({
    classId: c.id,
    problem: `${c.title} devices are allowed in school but every access level is answered "no"; treated as no network access`,
  }));
}
