// Who may give which role. Whoever manages accounts may only hand out roles no stronger than their
// own reach: a school's headteacher or network manager can make any school role, never a trust
// administrator (whose scope spans other schools).
import { PERMISSION_NAMES, roleHas } from './permissions.ts';
import type { Role } from './roles.ts';

const SCHOOL_GRANTERS: ReadonlySet<Role> = new Set<Role>(['headteacher', 'network-manager']);

export function mayGrantRole(actor: Role, target: Role): boolean {
  if (actor === 'trust-admin') return true;
  return SCHOOL_GRANTERS.has(actor) && target !== 'trust-admin';
}

/**
 * Whether the actor may act on an existing account of this role (disable, enable, reset its
 * sign-in). Stricter than granting: a reset hands the actor a one-time sign-in for that account,
 * so it is only allowed over accounts that can do nothing the actor cannot already do.
 */
export function mayManageAccountOf(actor: Role, target: Role): boolean {
  if (actor === 'trust-admin') return true;
  if (!mayGrantRole(actor, target)) return false;
  return PERMISSION_NAMES.every((p) => !roleHas(target, p) || roleHas(actor, p));
}
