// Who may do what: every permission and the roles that hold it, in one place. The HTTP API checks
// one of these on the server for every route (src/api/route.ts), and a test generated from the
// router tries every role against every route.
import type { Role } from './roles.ts';

const SENIOR = ['headteacher', 'dsl'] as const;
const TECHNICAL = ['network-manager'] as const;
const TRUST = ['trust-admin'] as const;

/**
 * Each permission with the roles that hold it. Pupils hold none: they meet the block page, not the
 * console. Reading activity (what a named child looked at) is for safeguarding and technical roles
 * only; governors see change logs and the audit trail, never individual activity.
 */
export const PERMISSIONS = {
  /** Test a request against the policy ("why was this blocked?"). */
  'policy:explain': [...SENIOR, ...TECHNICAL, ...TRUST, 'teacher'],
  'schools:read': [...SENIOR, ...TECHNICAL, ...TRUST, 'governor', 'teacher'],
  /** Create schools, trusts and local authorities. */
  'schools:create': [...TRUST],
  'schools:update': [...SENIOR, ...TECHNICAL, ...TRUST],
  'directory:read': [...SENIOR, ...TECHNICAL, ...TRUST],
  'directory:manage': ['headteacher', ...TECHNICAL, ...TRUST],
  'devices:read': [...SENIOR, ...TECHNICAL, ...TRUST],
  'devices:manage': [...TECHNICAL, ...TRUST],
  'policy:read': [...SENIOR, ...TECHNICAL, ...TRUST, 'governor'],
  /** Edit the draft, submit it with a reason, ask for a rollback. */
  'policy:edit': ['headteacher', ...TECHNICAL, ...TRUST],
  /** Approve or decline someone else's change ("never the sole responsibility of one person"). */
  'policy:approve': [...SENIOR, ...TECHNICAL, ...TRUST],
  /** Turn second-person approval on or off: senior leadership only. */
  'policy:settings': ['headteacher', ...TRUST],
  /** Import category lists from the console (never locked ones: those come from licensed feeds). */
  'lists:manage': [...TECHNICAL, ...TRUST],
  'changelog:read': [...SENIOR, ...TECHNICAL, ...TRUST, 'governor'],
  'unblock:request': ['teacher', ...SENIOR, ...TECHNICAL],
  'unblock:decide': [...SENIOR, ...TECHNICAL, ...TRUST],
  'activity:read': [...SENIOR, ...TECHNICAL, ...TRUST],
  'activity:export': [...SENIOR, ...TECHNICAL],
  'activity:settings': ['headteacher', ...TECHNICAL],
  'accounts:read': ['headteacher', ...TECHNICAL, ...TRUST],
  'accounts:manage': ['headteacher', ...TECHNICAL, ...TRUST],
  'audit:verify': ['headteacher', ...TECHNICAL, ...TRUST, 'governor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function roleHas(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Every permission a role holds (what the console shows and hides). */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSION_NAMES.filter((p) => roleHas(role, p));
}
