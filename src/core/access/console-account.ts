// Console accounts (people who sign in to the web console) and their sessions: the records as
// stored, what the API may show of them, and the session lifetime rules. Pure: times are passed in.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import type { Role } from './roles.ts';

/** A session is ended after this long without a request… */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** …and after this long in any case. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** A session still waiting for its second factor lives at most this long: a password alone buys little. */
export const SESSION_PENDING_MFA_MS = 15 * 60 * 1000;
/** last_seen_at is written at most this often, so a busy console does not write on every request. */
export const SESSION_TOUCH_MS = 60 * 1000;

/** What a session still needs: enrol a TOTP app, give a code, or nothing ('full'). */
export type SessionStage = 'mfa-enrolment' | 'mfa-code' | 'full';
export const SESSION_STAGES: readonly SessionStage[] = ['mfa-enrolment', 'mfa-code', 'full'];

/** An account as the API shows it: never its password hash or TOTP secret. */
export interface ConsoleAccount {
  readonly id: string;
  /** Canonical (core/accounts/account.ts canonicalUsername). */
  readonly username: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly role: Role;
  /** Organisation ids: a school, or a trust or local authority meaning all its schools. */
  readonly scope: readonly string[];
  readonly mfaEnrolled: boolean;
  readonly disabled: boolean;
}

/** The stored record. Secrets are opaque here: a PHC hash and a sealed (encrypted) TOTP secret. */
export interface StoredConsoleAccount {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly role: Role;
  /** Sorted, no duplicates. */
  readonly scope: readonly string[];
  /** Null until a password is set (the first administrator signs in with a one-time token). */
  readonly passwordHash: string | null;
  readonly totpSecretSealed: string | null;
  /** The TOTP time step of the last code accepted: a code is never accepted twice. */
  readonly totpLastStep: number | null;
  readonly mfaEnrolledAt: string | null;
  readonly disabledAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ConsoleSession {
  /** SHA-256 (hex) of the session token; the token itself is only ever in the client's cookie. */
  readonly id: string;
  readonly accountId: string;
  readonly csrfToken: string;
  readonly stage: SessionStage;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  /** When it ends unless used again (idle), or at the latest (absolute). */
  readonly expiresAt: string;
}

export interface StoredConsoleSession {
  readonly id: string;
  readonly accountId: string;
  readonly csrfToken: string;
  readonly stage: SessionStage;
  /** A TOTP secret shown for enrolment but not yet confirmed (sealed). */
  readonly pendingTotpSecretSealed: string | null;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly clientAddress: string;
  readonly userAgent: string;
}

export function toConsoleAccount(stored: StoredConsoleAccount): ConsoleAccount {
  return {
    id: stored.id,
    username: stored.username,
    displayName: stored.displayName,
    email: stored.email,
    role: stored.role,
    scope: [...stored.scope],
    mfaEnrolled: stored.mfaEnrolledAt !== null,
    disabled: stored.disabledAt !== null,
  };
}

/** The instant (ms) the session ends: idle, absolute, or the shorter limit while MFA is pending. */
export function sessionExpiresAtMs(session: Pick<StoredConsoleSession, 'stage' | 'createdAt' | 'lastSeenAt'>): number {
  const created = Date.parse(session.createdAt);
  const absolute = created + (session.stage === 'full' ? SESSION_MAX_MS : SESSION_PENDING_MFA_MS);
  return Math.min(Date.parse(session.lastSeenAt) + SESSION_IDLE_MS, absolute);
}

export function sessionExpired(session: Pick<StoredConsoleSession, 'stage' | 'createdAt' | 'lastSeenAt'>, nowMs: number): boolean {
  return nowMs >= sessionExpiresAtMs(session);
}

export function toConsoleSession(stored: StoredConsoleSession): ConsoleSession {
  return {
    id: stored.id,
    accountId: stored.accountId,
    csrfToken: stored.csrfToken,
    stage: stored.stage,
    createdAt: stored.createdAt,
    lastSeenAt: stored.lastSeenAt,
    expiresAt: new Date(sessionExpiresAtMs(stored)).toISOString(),
  };
}

export const EMAIL_MAX = 254;
export const USER_AGENT_MAX = 512;
export const CLIENT_ADDRESS_MAX = 64;

/** Trimmed; null when empty. Throws RF_ARGUMENT_INVALID for anything that is not one plain address. */
export function checkEmail(input: string | null | undefined): string | null {
  const email = input?.trim().normalize('NFC') ?? '';
  if (email === '') return null;
  if (email.length > EMAIL_MAX || !/^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u.test(email)) {
    throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `${quoteInput(email)} is not an email address`, input ?? '');
  }
  return email;
}

/** Control characters dropped and length bounded: it is shown to people, never trusted. */
export function cleanClientText(value: string, max: number): string {
  return value.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, max);
}
