// One catalog of errors with stable codes. Adapters map codes to exit codes or HTTP statuses;
// the core only says what went wrong and with which input.

export const ErrorCodes = {
  HOST_INVALID: 'RF_HOST_INVALID',
  URL_INVALID: 'RF_URL_INVALID',
  IP_INVALID: 'RF_IP_INVALID',
  CIDR_INVALID: 'RF_CIDR_INVALID',
  TIME_INVALID: 'RF_TIME_INVALID',
  LIST_LINE_INVALID: 'RF_LIST_LINE_INVALID',
  LIST_UNREADABLE: 'RF_LIST_UNREADABLE',
  LIST_EMPTY: 'RF_LIST_EMPTY',
  LIST_TOO_LARGE: 'RF_LIST_TOO_LARGE',
  LIST_NAME_INVALID: 'RF_LIST_NAME_INVALID',
  /** A list import job that this node does not know (finished long ago, another node, or never). */
  LIST_IMPORT_UNKNOWN: 'RF_LIST_IMPORT_UNKNOWN',
  /** A console import that would replace a locked list or one imported with the ringfence command. */
  LIST_IMPORT_CONFLICT: 'RF_LIST_IMPORT_CONFLICT',
  /** Too many list imports waiting on this node. */
  LIST_IMPORT_THROTTLED: 'RF_LIST_IMPORT_THROTTLED',
  CSV_ROW_INVALID: 'RF_CSV_ROW_INVALID',
  SNAPSHOT_CORRUPT: 'RF_SNAPSHOT_CORRUPT',
  SNAPSHOT_VERSION: 'RF_SNAPSHOT_VERSION',
  SNAPSHOT_MISSING: 'RF_SNAPSHOT_MISSING',
  POLICY_INVALID: 'RF_POLICY_INVALID',
  SCHEDULE_INVALID: 'RF_SCHEDULE_INVALID',
  USER_UNKNOWN: 'RF_USER_UNKNOWN',
  GROUP_UNKNOWN: 'RF_GROUP_UNKNOWN',
  REQUEST_INVALID: 'RF_REQUEST_INVALID',
  ARGUMENT_INVALID: 'RF_ARGUMENT_INVALID',
  DOWNLOAD_FAILED: 'RF_DOWNLOAD_FAILED',
  ARCHIVE_INVALID: 'RF_ARCHIVE_INVALID',
  USERNAME_INVALID: 'RF_USERNAME_INVALID',
  PASSWORD_INVALID: 'RF_PASSWORD_INVALID',
  ACCOUNT_EXISTS: 'RF_ACCOUNT_EXISTS',
  ACCOUNT_UNKNOWN: 'RF_ACCOUNT_UNKNOWN',
  ACCOUNT_FILE_INVALID: 'RF_ACCOUNT_FILE_INVALID',
  /** Console sign-in: unknown username or wrong password (the same for both, on purpose). */
  SIGN_IN_FAILED: 'RF_SIGN_IN_FAILED',
  /** Too many failed sign-ins from this address or for this username; details.retryAfterSeconds. */
  SIGN_IN_THROTTLED: 'RF_SIGN_IN_THROTTLED',
  /** The right password, but the console account is disabled. */
  ACCOUNT_DISABLED: 'RF_ACCOUNT_DISABLED',
  /** A TOTP code that is wrong, expired or already used. */
  MFA_CODE_INVALID: 'RF_MFA_CODE_INVALID',
  /** A console session that is unknown, expired, or not at the stage the step needs. */
  SESSION_INVALID: 'RF_SESSION_INVALID',
  /** A sign-in step the session is not at (e.g. enrolling an authenticator twice). */
  SESSION_STEP_INVALID: 'RF_SESSION_STEP_INVALID',
  /** A one-time sign-in token that is unknown, expired or already used. */
  ONE_TIME_SIGN_IN_INVALID: 'RF_ONE_TIME_SIGN_IN_INVALID',
  /** The key that encrypts stored secrets (DATA/keys/mfa.key) is unreadable or the wrong size. */
  SECRET_KEY_INVALID: 'RF_SECRET_KEY_INVALID',
  /** A stored secret cannot be decrypted: the wrong key, or the value was altered. */
  SECRET_UNREADABLE: 'RF_SECRET_UNREADABLE',
  NAME_NOT_FOUND: 'RF_NAME_NOT_FOUND',
  UPSTREAM_UNREACHABLE: 'RF_UPSTREAM_UNREACHABLE',
  DATABASE_CONFIG_INVALID: 'RF_DATABASE_CONFIG_INVALID',
  DATABASE_UNAVAILABLE: 'RF_DATABASE_UNAVAILABLE',
  ORGANISATION_INVALID: 'RF_ORGANISATION_INVALID',
  ORGANISATION_UNKNOWN: 'RF_ORGANISATION_UNKNOWN',
  ORGANISATION_CONFLICT: 'RF_ORGANISATION_CONFLICT',
  AUDIT_ENTRY_INVALID: 'RF_AUDIT_ENTRY_INVALID',
  AUDIT_KEY_INVALID: 'RF_AUDIT_KEY_INVALID',
  AUDIT_KEY_MISSING: 'RF_AUDIT_KEY_MISSING',
  AUDIT_CHECKPOINT_INVALID: 'RF_AUDIT_CHECKPOINT_INVALID',
  /** An append was refused because the log no longer reaches its checkpoint (entries removed). */
  AUDIT_BEHIND_CHECKPOINT: 'RF_AUDIT_BEHIND_CHECKPOINT',
  /** A directory record (user, guest, device, network) is malformed. */
  DIRECTORY_INVALID: 'RF_DIRECTORY_INVALID',
  /** Another record of the school already has this username, MAC or CIDR. */
  DIRECTORY_CONFLICT: 'RF_DIRECTORY_CONFLICT',
  DIRECTORY_UNKNOWN: 'RF_DIRECTORY_UNKNOWN',
  /** A pupil or staff import was applied although its preview has errors. */
  DIRECTORY_IMPORT_INVALID: 'RF_DIRECTORY_IMPORT_INVALID',
  /** A policy change request that is malformed: no reason, a reason too long, a bad id. */
  POLICY_CHANGE_INVALID: 'RF_POLICY_CHANGE_INVALID',
  /** No such draft, change request or version (to roll back to). */
  POLICY_CHANGE_UNKNOWN: 'RF_POLICY_CHANGE_UNKNOWN',
  /** The approver is the author, or has no permission to approve. */
  POLICY_CHANGE_FORBIDDEN: 'RF_POLICY_CHANGE_FORBIDDEN',
  /** The change is no longer pending, or another change was published since it was drafted. */
  POLICY_CHANGE_CONFLICT: 'RF_POLICY_CHANGE_CONFLICT',
  /** An unblock request that is malformed: a bad site, period, group or reason. */
  UNBLOCK_INVALID: 'RF_UNBLOCK_INVALID',
  /** No such unblock request. */
  UNBLOCK_UNKNOWN: 'RF_UNBLOCK_UNKNOWN',
  /** The requester tried to decide their own request, or someone else tried to cancel it. */
  UNBLOCK_FORBIDDEN: 'RF_UNBLOCK_FORBIDDEN',
  /** The unblock request is no longer pending (decided, cancelled or expired), or its period has ended. */
  UNBLOCK_CONFLICT: 'RF_UNBLOCK_CONFLICT',
  /** The email (SMTP) settings are malformed. */
  NOTIFY_CONFIG_INVALID: 'RF_NOTIFY_CONFIG_INVALID',
  /** A last-good copy in the data folder (published policy, client register) is damaged or unreadable. */
  LAST_GOOD_DAMAGED: 'RF_LAST_GOOD_DAMAGED',
  /** An HTTP request without a valid session (or one that has not finished multi-factor sign-in). */
  NOT_SIGNED_IN: 'RF_NOT_SIGNED_IN',
  /** The signed-in account's role does not hold the permission the route needs. */
  PERMISSION_DENIED: 'RF_PERMISSION_DENIED',
  /** An unsafe request without the session's CSRF token, or from another origin. */
  CSRF_REJECTED: 'RF_CSRF_REJECTED',
  /** No such route, or a record outside the account's schools. */
  NOT_FOUND: 'RF_NOT_FOUND',
  /** A request body of a type the API does not take, or larger than the route allows. */
  BODY_UNSUPPORTED: 'RF_BODY_UNSUPPORTED',
  /** An activity-log search with a bad filter, time range or limit. */
  ACTIVITY_QUERY_INVALID: 'RF_ACTIVITY_QUERY_INVALID',
  /** An activity-log page cursor that was not made by Ringfence (or was altered). */
  ACTIVITY_CURSOR_INVALID: 'RF_ACTIVITY_CURSOR_INVALID',
  /** A retention period for activity logs outside the allowed range of days. */
  ACTIVITY_RETENTION_INVALID: 'RF_ACTIVITY_RETENTION_INVALID',
  /** Block page text a school set that is too long, empty where it must not be, or holds control characters. */
  BLOCK_PAGE_TEXT_INVALID: 'RF_BLOCK_PAGE_TEXT_INVALID',
  /** Another ingester moved the same log file's position at the same time (this run's batch was undone). */
  ACTIVITY_INGEST_CONFLICT: 'RF_ACTIVITY_INGEST_CONFLICT',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Errors caused by what a user or a peer gave us (as opposed to bugs). */
export class RingfenceError extends Error {
  readonly code: ErrorCode;
  /** The offending input, quoted back so the user can find it. */
  readonly input: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, input?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'RingfenceError';
    this.code = code;
    this.input = input;
    this.details = details;
  }
}

export function isRingfenceError(e: unknown): e is RingfenceError {
  return e instanceof RingfenceError;
}

/** Quote an input for an error message: bounded in length; control and invisible characters made visible. */
export function quoteInput(input: string, max = 80): string {
  const shown = input.length > max ? `${input.slice(0, max)}…` : input;
  // JSON.stringify escapes C0 controls; format characters (soft hyphen, zero-width joiners, bidi
  // marks) would still vanish on screen and make "a\u00ad.com" read as "a.com".
  return JSON.stringify(shown).replace(/[\p{Cf}\p{Zl}\p{Zp}\u0080-\u009f]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
