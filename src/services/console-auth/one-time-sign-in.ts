// One-time sign-in tokens: how the first administrator (and anyone whose password must be reset
// by hand) signs in without a password. The token is shown once; the database keeps its hash; it
// works once, before it expires, and using it sets a new password and starts a session.
import { checkPassword } from '../../core/accounts/password-rules.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { OneTimeSignInRecord } from '../ports.ts';
import { audit, existing } from './accounts.ts';
import type { Actor, ConsoleAuthDeps, SignInResult } from './deps.ts';
import { countFailure } from './failures.ts';
import { firstStage, startSession } from './sessions.ts';
import { newToken, tokenId } from './tokens.ts';

export const ONE_TIME_SIGN_IN_TTL_MS = 24 * 60 * 60 * 1000;

/** A new token for the account (any earlier unused one stops working). Shown once; never stored. */
export async function issueOneTimeSignIn(deps: ConsoleAuthDeps, accountId: string, ttlMs: number = ONE_TIME_SIGN_IN_TTL_MS, actor: Actor = 'system'): Promise<string> {
  if (!(Number.isSafeInteger(ttlMs) && ttlMs > 0 && ttlMs <= 7 * ONE_TIME_SIGN_IN_TTL_MS)) {
    throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, 'a one-time sign-in lasts between 1 ms and 7 days');
  }
  const account = await existing(deps, accountId);
  const token = newToken();
  const now = deps.clock.now().getTime();
  const record: OneTimeSignInRecord = { id: tokenId(token)!, accountId: account.id, createdAt: new Date(now).toISOString(), expiresAt: new Date(now + ttlMs).toISOString(), usedAt: null };
  await deps.accounts.insertOneTimeSignIn(record);
  await audit(deps, actor, 'console.account.one-time-sign-in', account, { expiresAt: record.expiresAt });
  return token;
}

/**
 * Uses the token: sets `newPassword`, ends the account's other sessions and starts one, which then
 * needs MFA enrolment or a code as any sign-in would. RF_PASSWORD_INVALID leaves the token usable;
 * RF_ONE_TIME_SIGN_IN_INVALID (counted against the address) when unknown, expired or used.
 */
export async function redeemOneTimeSignIn(deps: ConsoleAuthDeps, token: string, newPassword: string, client: string, userAgent = ''): Promise<SignInResult> {
  const now = deps.clock.now();
  deps.throttle.check(null, client, now.getTime());
  const password = checkPassword(newPassword);
  const invalid = async () => {
    await countFailure(deps, null, client);
    return new RingfenceError(ErrorCodes.ONE_TIME_SIGN_IN_INVALID, 'this sign-in link is not valid: it was used already, has expired or was replaced by a newer one');
  };
  const id = tokenId(token);
  const record = id === null ? null : await deps.accounts.findOneTimeSignIn(id);
  if (!record || record.usedAt !== null || Date.parse(record.expiresAt) <= now.getTime()) throw await invalid();
  const account = await deps.accounts.findAccount(record.accountId);
  if (!account) throw await invalid();
  if (account.disabledAt !== null) throw new RingfenceError(ErrorCodes.ACCOUNT_DISABLED, 'this account is disabled; ask an administrator');
  const passwordHash = await deps.hasher.hash(password);
  // Claimed after the slow hash and just before the change: of two racing redeems, one wins.
  if (!(await deps.accounts.markOneTimeSignInUsed(record.id, now.toISOString()))) throw await invalid();
  const updated = await deps.accounts.updateAccount(account.id, { passwordHash, updatedAt: now.toISOString() });
  if (!updated) throw await invalid();
  const ended = await deps.accounts.deleteSessionsOf(account.id);
  await audit(deps, account.id, 'console.account.one-time-sign-in.use', updated, { client, sessionsEnded: ended });
  return startSession(deps, updated, firstStage(updated), client, userAgent);
}
