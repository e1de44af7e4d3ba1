// What the console sign-in use cases need, and what they return to the API.
import type { ConsoleAccount, ConsoleSession } from '../../core/access/console-account.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock, ConsoleAccountRepository, IdSource, OrganisationRepository, PasswordHasher, SecretBox } from '../ports.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

export interface ConsoleAuthDeps {
  readonly accounts: ConsoleAccountRepository;
  readonly organisations: Pick<OrganisationRepository, 'findOrganisation' | 'schoolsVisibleTo'>;
  readonly hasher: PasswordHasher;
  /** Seals TOTP secrets under the key in DATA/keys/mfa.key. */
  readonly secrets: SecretBox;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly ids: IdSource;
  readonly clock: Clock;
  readonly throttle: SignInThrottle;
  /** A hash of a random password, verified against when the username is unknown (same cost, same answer). */
  readonly dummyHash: () => Promise<string>;
}

/** A session just made or moved on: the token goes in the cookie, and is never shown again. */
export interface SignInResult {
  readonly token: string;
  readonly session: ConsoleSession;
  readonly account: ConsoleAccount;
}

export interface ResumedSession {
  readonly account: ConsoleAccount;
  readonly session: ConsoleSession;
}

export interface MfaEnrolment {
  /** Base32, for typing into an app by hand. */
  readonly secret: string;
  /** otpauth://totp/Ringfence:USERNAME?secret=…&issuer=Ringfence, for a QR code. */
  readonly otpauthUri: string;
}

/** Who made a change, for the audit log: an account id, or "system". */
export type Actor = string;
