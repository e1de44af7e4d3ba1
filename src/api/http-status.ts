// The one place where error codes become HTTP statuses. Codes follow naming conventions (…_INVALID,
// …_UNKNOWN, …_CONFLICT); the table names the exceptions. A test checks every code in the catalog
// gets a deliberate status, so a new code cannot silently turn into a 500.
import { ErrorCodes, type ErrorCode } from '../core/errors.ts';

const EXACT: Partial<Record<ErrorCode, number>> = {
  [ErrorCodes.NOT_SIGNED_IN]: 401,
  [ErrorCodes.PERMISSION_DENIED]: 403,
  [ErrorCodes.CSRF_REJECTED]: 403,
  [ErrorCodes.NOT_FOUND]: 404,
  [ErrorCodes.BODY_UNSUPPORTED]: 415,
  [ErrorCodes.USER_UNKNOWN]: 400,
  [ErrorCodes.GROUP_UNKNOWN]: 400,
  [ErrorCodes.ACCOUNT_EXISTS]: 409,
  [ErrorCodes.NAME_NOT_FOUND]: 502,
  [ErrorCodes.UPSTREAM_UNREACHABLE]: 502,
  [ErrorCodes.DOWNLOAD_FAILED]: 502,
  [ErrorCodes.DATABASE_UNAVAILABLE]: 503,
  [ErrorCodes.LIST_TOO_LARGE]: 413,
  [ErrorCodes.LIST_EMPTY]: 400,
  [ErrorCodes.SIGN_IN_FAILED]: 401,
  [ErrorCodes.MFA_CODE_INVALID]: 401,
  [ErrorCodes.SESSION_INVALID]: 401,
  [ErrorCodes.SESSION_STEP_INVALID]: 409,
  [ErrorCodes.ONE_TIME_SIGN_IN_INVALID]: 401,
  [ErrorCodes.ACCOUNT_DISABLED]: 403,
  [ErrorCodes.NOTIFY_CONFIG_INVALID]: 500,
};

/** Codes that mean the server's own state is broken: 500, and the message is not shown to the caller. */
export const SERVER_FAULTS: ReadonlySet<string> = new Set<string>([
  ErrorCodes.LIST_UNREADABLE,
  ErrorCodes.SNAPSHOT_CORRUPT,
  ErrorCodes.SNAPSHOT_VERSION,
  ErrorCodes.SNAPSHOT_MISSING,
  ErrorCodes.ACCOUNT_FILE_INVALID,
  ErrorCodes.DATABASE_CONFIG_INVALID,
  ErrorCodes.AUDIT_KEY_INVALID,
  ErrorCodes.AUDIT_KEY_MISSING,
  ErrorCodes.AUDIT_CHECKPOINT_INVALID,
  ErrorCodes.AUDIT_BEHIND_CHECKPOINT,
  ErrorCodes.SECRET_KEY_INVALID,
  ErrorCodes.SECRET_UNREADABLE,
  ErrorCodes.LAST_GOOD_DAMAGED,
  ErrorCodes.NOTIFY_CONFIG_INVALID,
]);

const SUFFIXES: readonly (readonly [string, number])[] = [
  ['_INVALID', 400],
  ['_UNKNOWN', 404],
  ['_CONFLICT', 409],
  ['_EXISTS', 409],
  ['_FORBIDDEN', 403],
  ['_THROTTLED', 429],
  ['_EXPIRED', 410],
  ['_REQUIRED', 400],
];

/** The HTTP status for an error code; null when the code has no rule (the caller answers 500). */
export function statusForCode(code: string): number | null {
  const exact = EXACT[code as ErrorCode];
  if (exact !== undefined) return exact;
  if (SERVER_FAULTS.has(code)) return 500;
  for (const [suffix, status] of SUFFIXES) if (code.endsWith(suffix)) return status;
  return null;
}
