// Signing in to the console with a username and password, then (for accounts with an authenticator)
// a TOTP code, either with the password or in a second step.
import { normalisePassword, PASSWORD_MAX } from '../../core/accounts/password-rules.ts';
import { tryCanonicalUsername } from '../../core/accounts/account.ts';
import { toConsoleAccount, toConsoleSession, type StoredConsoleAccount } from '../../core/access/console-account.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { ConsoleAuthDeps, ResumedSession, SignInResult } from './deps.ts';
import { countFailure, throttleKey } from './failures.ts';
import { auditSignIn, firstStage, sessionAt, startSession } from './sessions.ts';
import { verifyTotp } from './totp.ts';

export interface SignInInput {
  readonly username: string;
  readonly password: string;
  /** A TOTP code given with the password completes MFA at once. */
  readonly code?: string;
  /** The client's address (for limits and the audit log). */
  readonly client: string;
  readonly userAgent: string;
}

const failed = () => new RingfenceError(ErrorCodes.SIGN_IN_FAILED, 'wrong username or password');

/**
 * A new session, at stage 'full', or 'mfa-code' / 'mfa-enrolment' when a second factor is still
 * needed. RF_SIGN_IN_FAILED for an unknown username and a wrong password alike (both cost one
 * argon2 run); RF_SIGN_IN_THROTTLED (details.retryAfterSeconds) after too many failures;
 * RF_ACCOUNT_DISABLED only after the right password; RF_MFA_CODE_INVALID for a wrong code given.
 */
export async function signIn(deps: ConsoleAuthDeps, input: SignInInput): Promise<SignInResult> {
  const key = throttleKey(input.username);
  deps.throttle.check(key, input.client, deps.clock.now().getTime());
  const username = tryCanonicalUsername(input.username);
  const account = username === null ? null : await deps.accounts.findAccountByUsername(username);
  // Beyond the longest allowed password nothing can match; do not spend argon2 on megabytes.
  const tooLong = input.password.length > PASSWORD_MAX * 2;
  const hash = account?.passwordHash ?? (await deps.dummyHash());
  const matches = !tooLong && (await deps.hasher.verify(hash, normalisePassword(input.password)));
  if (!account || account.passwordHash === null || !matches) {
    await countFailure(deps, key, input.client);
    throw failed();
  }
  if (account.disabledAt !== null) throw new RingfenceError(ErrorCodes.ACCOUNT_DISABLED, 'this account is disabled; ask an administrator');
  let stage = firstStage(account);
  if (stage === 'mfa-code' && input.code !== undefined && input.code.trim() !== '') {
    await useCode(deps, account, input.code, input.client);
    stage = 'full';
  }
  deps.throttle.recordSuccess(key);
  return startSession(deps, account, stage, input.client, input.userAgent);
}

/** Completes a session at stage 'mfa-code' with a code from the account's authenticator. */
export async function completeMfa(deps: ConsoleAuthDeps, token: string, code: string): Promise<ResumedSession> {
  const { session, account } = await sessionAt(deps, token, ['mfa-code']);
  deps.throttle.check(account.username, session.clientAddress, deps.clock.now().getTime());
  await useCode(deps, account, code, session.clientAddress);
  if (!(await deps.accounts.advanceSession(session.id, 'mfa-code', 'full'))) throw new RingfenceError(ErrorCodes.SESSION_INVALID, 'the session has ended; sign in again');
  deps.throttle.recordSuccess(account.username);
  await auditSignIn(deps, account, session);
  return { account: toConsoleAccount(account), session: toConsoleSession({ ...session, stage: 'full' }) };
}

/** Checks a code against the account's secret and claims its time step; RF_MFA_CODE_INVALID (counted) when wrong or used before. */
async function useCode(deps: ConsoleAuthDeps, account: StoredConsoleAccount, code: string, client: string): Promise<void> {
  if (account.totpSecretSealed === null) throw new RingfenceError(ErrorCodes.SESSION_INVALID, 'this account has no authenticator enrolled');
  const secret = deps.secrets.open(account.totpSecretSealed, account.id);
  const step = await verifyTotp(secret, code, deps.clock.now().getTime(), account.totpLastStep);
  // The claim is a conditional update: of two requests racing with the same code, one wins.
  if (step === null || !(await deps.accounts.claimTotpStep(account.id, step))) {
    await countFailure(deps, account.username, client);
    throw new RingfenceError(ErrorCodes.MFA_CODE_INVALID, 'the code is wrong, has expired or was used already; wait for the next code');
  }
}
