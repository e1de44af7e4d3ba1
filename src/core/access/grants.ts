// Who may give which role. Whoever manages accounts may only hand out roles no stronger than their
// own reach: a school's headteacher or network manager can make any school role, never a trust
// administrator (whose scope spans other schools).
import type { Role } from './roles.ts';

const SCHOOL_GRANTERS: ReadonlySet<Role> = new Set<Role>(['headteacher', 'network-manager']);

export function mayGrantRole(actor: Role, target: Role): boolean {
  if (actor === 'trust-admin') return true;
  return SCHOOL_GRANTERS.has(actor) && target !== 'trust-admin';
}
