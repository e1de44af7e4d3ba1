// Enrolling an authenticator app: the session gets a new secret to show (QR code and text), kept
// sealed on the session until a code from the app proves it was stored; then it moves onto the
// account. Required before a privileged role's first session becomes full; allowed for anyone.
import { toConsoleAccount, toConsoleSession } from '../../core/access/console-account.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { audit } from './accounts.ts';
import type { ConsoleAuthDeps, MfaEnrolment, ResumedSession } from './deps.ts';
import { countFailure } from './failures.ts';
import { auditSignIn, sessionAt } from './sessions.ts';
import { newTotpSecret, totpUri, verifyTotp } from './totp.ts';

/** A new secret for the session's account; again replaces the one shown before. */
export async function startMfaEnrolment(deps: ConsoleAuthDeps, token: string): Promise<MfaEnrolment> {
  const { session, account } = await sessionAt(deps, token, ['mfa-enrolment', 'full']);
  if (account.mfaEnrolledAt !== null) throw new RingfenceError(ErrorCodes.SESSION_STEP_INVALID, 'this account already has an authenticator; an administrator can reset it');
  const secret = newTotpSecret();
  await deps.accounts.setPendingTotpSecret(session.id, deps.secrets.seal(secret, account.id));
  return { secret, otpauthUri: totpUri(account.username, secret) };
}

/** Confirms the app with a code from it: the account is enrolled and the session becomes full. */
export async function confirmMfaEnrolment(deps: ConsoleAuthDeps, token: string, code: string): Promise<ResumedSession> {
  const { session, account } = await sessionAt(deps, token, ['mfa-enrolment', 'full']);
  if (account.mfaEnrolledAt !== null) throw new RingfenceError(ErrorCodes.SESSION_STEP_INVALID, 'this account already has an authenticator');
  if (session.pendingTotpSecretSealed === null) throw new RingfenceError(ErrorCodes.SESSION_STEP_INVALID, 'start the enrolment first (a secret to scan)');
  const now = deps.clock.now();
  deps.throttle.check(account.username, session.clientAddress, now.getTime());
  const secret = deps.secrets.open(session.pendingTotpSecretSealed, account.id);
  const step = await verifyTotp(secret, code, now.getTime(), null);
  if (step === null) {
    await countFailure(deps, account.username, session.clientAddress);
    throw new RingfenceError(ErrorCodes.MFA_CODE_INVALID, 'the code does not match; check the app shows "Ringfence" and try the next code');
  }
  const enrolled = await deps.accounts.updateAccount(account.id, {
    totpSecretSealed: session.pendingTotpSecretSealed,
    totpLastStep: step,
    mfaEnrolledAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
  if (!enrolled) throw new RingfenceError(ErrorCodes.SESSION_INVALID, 'the account is gone');
  const wasPending = session.stage === 'mfa-enrolment';
  if (wasPending && !(await deps.accounts.advanceSession(session.id, 'mfa-enrolment', 'full'))) {
    throw new RingfenceError(ErrorCodes.SESSION_INVALID, 'the session has ended; sign in again');
  }
  if (!wasPending) await deps.accounts.setPendingTotpSecret(session.id, null);
  deps.throttle.recordSuccess(account.username);
  await audit(deps, account.id, 'console.account.mfa-enrol', enrolled, {});
  if (wasPending) await auditSignIn(deps, enrolled, session);
  return { account: toConsoleAccount(enrolled), session: toConsoleSession({ ...session, stage: 'full', pendingTotpSecretSealed: null }) };
}
