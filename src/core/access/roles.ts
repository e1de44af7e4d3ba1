// The console's roles (SCHOOL-POLICY.md §1). What each may do is in permissions.ts; this file says
// only which roles exist, how they are shown, and which must prove a second factor to sign in.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';

export const ROLES = ['governor', 'headteacher', 'dsl', 'network-manager', 'teacher', 'pupil', 'trust-admin'] as const;

export type Role = (typeof ROLES)[number];

const TITLES: Readonly<Record<Role, string>> = {
  governor: 'Governor',
  headteacher: 'Headteacher',
  dsl: 'Designated Safeguarding Lead',
  'network-manager': 'Network manager',
  teacher: 'Teacher',
  pupil: 'Pupil',
  'trust-admin': 'Trust administrator',
};

/**
 * Roles that must sign in with a TOTP code as well as a password. The headteacher and the DSL see
 * safeguarding reports about named children; the network manager can change filtering for a whole
 * school. The trust administrator too: their scope spans every school of a trust and they can
 * create accounts with any of the other roles, so one stolen password would reach all of it.
 */
const MFA_ROLES: ReadonlySet<Role> = new Set<Role>(['headteacher', 'dsl', 'network-manager', 'trust-admin']);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Throws RF_ARGUMENT_INVALID naming the roles there are. */
export function parseRole(value: string): Role {
  const role = value.trim().toLowerCase();
  if (!isRole(role)) throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `unknown role ${quoteInput(value)} (roles: ${ROLES.join(', ')})`, value);
  return role;
}

export function roleRequiresMfa(role: Role): boolean {
  return MFA_ROLES.has(role);
}

/** The role's name for people, e.g. "Designated Safeguarding Lead". */
export function roleTitle(role: Role): string {
  return TITLES[role];
}
