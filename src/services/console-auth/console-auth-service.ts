// The console's accounts and sign-in, as one object the server builds once and the API calls.
// The use cases live in the files beside this one; this holds their dependencies and the
// in-memory sign-in throttle, and hashes the dummy password once.
import { randomBytes } from 'node:crypto';
import type { ConsoleAccount } from '../../core/access/console-account.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock, ConsoleAccountRepository, IdSource, OrganisationRepository, PasswordHasher, SecretBox } from '../ports.ts';
import * as accounts from './accounts.ts';
import type { Actor, ConsoleAuthDeps, MfaEnrolment, ResumedSession, SignInResult } from './deps.ts';
import { confirmMfaEnrolment, startMfaEnrolment } from './mfa-enrolment.ts';
import { issueOneTimeSignIn, ONE_TIME_SIGN_IN_TTL_MS, redeemOneTimeSignIn } from './one-time-sign-in.ts';
import { purgeStaleSessions, resume, signOut } from './sessions.ts';
import { completeMfa, signIn, type SignInInput } from './sign-in.ts';
import { SignInThrottle } from './sign-in-throttle.ts';

export { SESSION_IDLE_MS, SESSION_MAX_MS, SESSION_PENDING_MFA_MS } from '../../core/access/console-account.ts';
export type { ConsoleAccount, ConsoleSession, SessionStage } from '../../core/access/console-account.ts';
export type { NewConsoleAccount } from './accounts.ts';
export type { MfaEnrolment, ResumedSession, SignInResult } from './deps.ts';
export type { SignInInput } from './sign-in.ts';

export interface ConsoleAuthOptions {
  readonly accounts: ConsoleAccountRepository;
  readonly organisations: Pick<OrganisationRepository, 'findOrganisation' | 'schoolsVisibleTo'>;
  readonly hasher: PasswordHasher;
  readonly secrets: SecretBox;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly ids: IdSource;
  readonly clock: Clock;
  /** Defaults: 5 failures in 15 minutes per address and per username. */
  readonly throttle?: SignInThrottle;
}

export class ConsoleAuthService {
  readonly #deps: ConsoleAuthDeps;

  constructor(options: ConsoleAuthOptions) {
    let dummy: Promise<string> | undefined;
    this.#deps = {
      ...options,
      throttle: options.throttle ?? new SignInThrottle(),
      dummyHash: () => (dummy ??= options.hasher.hash(randomBytes(24).toString('base64'))),
    };
  }

  // --- accounts ---
  createAccount(input: accounts.NewConsoleAccount, actor?: Actor): Promise<ConsoleAccount> {
    return accounts.createAccount(this.#deps, input, actor);
  }
  setPassword(accountId: string, password: string, actor?: Actor): Promise<void> {
    return accounts.setPassword(this.#deps, accountId, password, actor);
  }
  disable(accountId: string, actor?: Actor): Promise<boolean> {
    return accounts.disableAccount(this.#deps, accountId, actor);
  }
  enable(accountId: string, actor?: Actor): Promise<boolean> {
    return accounts.enableAccount(this.#deps, accountId, actor);
  }
  resetMfa(accountId: string, actor?: Actor): Promise<void> {
    return accounts.resetMfa(this.#deps, accountId, actor);
  }
  resetSignIn(accountId: string, actor?: Actor): Promise<void> {
    return accounts.resetSignIn(this.#deps, accountId, actor);
  }
  listAccounts(scope: Iterable<string>): Promise<ConsoleAccount[]> {
    return accounts.listAccounts(this.#deps, scope);
  }
  findAccount(id: string): Promise<ConsoleAccount | null> {
    return accounts.findAccount(this.#deps, id);
  }
  ensureFirstAdministrator(schoolId: string): Promise<string | null> {
    return accounts.ensureFirstAdministrator(this.#deps, schoolId);
  }

  // --- sign-in and sessions ---
  signIn(input: SignInInput): Promise<SignInResult> {
    return signIn(this.#deps, input);
  }
  completeMfa(token: string, code: string): Promise<ResumedSession> {
    return completeMfa(this.#deps, token, code);
  }
  startMfaEnrolment(token: string): Promise<MfaEnrolment> {
    return startMfaEnrolment(this.#deps, token);
  }
  confirmMfaEnrolment(token: string, code: string): Promise<ResumedSession> {
    return confirmMfaEnrolment(this.#deps, token, code);
  }
  resume(token: string, client: string): Promise<ResumedSession | null> {
    return resume(this.#deps, token, client);
  }
  signOut(token: string): Promise<boolean> {
    return signOut(this.#deps, token);
  }
  purgeStaleSessions(): Promise<number> {
    return purgeStaleSessions(this.#deps);
  }
  issueOneTimeSignIn(accountId: string, ttlMs: number = ONE_TIME_SIGN_IN_TTL_MS, actor?: Actor): Promise<string> {
    return issueOneTimeSignIn(this.#deps, accountId, ttlMs, actor);
  }
  redeemOneTimeSignIn(token: string, newPassword: string, client: string, userAgent?: string): Promise<SignInResult> {
    return redeemOneTimeSignIn(this.#deps, token, newPassword, client, userAgent);
  }
}
