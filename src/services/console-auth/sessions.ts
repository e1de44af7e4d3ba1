// Console sessions: made by signIn (or a one-time sign-in), found again by resume on every request,
// ended by signOut, expiry, a password change or disabling the account. The token is in the
// client's cookie only; the database holds its SHA-256.
import {
  CLIENT_ADDRESS_MAX,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  SESSION_TOUCH_MS,
  USER_AGENT_MAX,
  cleanClientText,
  sessionExpired,
  toConsoleAccount,
  toConsoleSession,
  type SessionStage,
  type StoredConsoleAccount,
  type StoredConsoleSession,
} from '../../core/access/console-account.ts';
import { roleRequiresMfa } from '../../core/access/roles.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { audit } from './accounts.ts';
import type { ConsoleAuthDeps, ResumedSession, SignInResult } from './deps.ts';
import { newToken, tokenId } from './tokens.ts';

/** What a new session of this account still needs: a code if it has an authenticator, enrolment if its role demands one. */
export function firstStage(account: StoredConsoleAccount): SessionStage {
  if (account.mfaEnrolledAt !== null) return 'mfa-code';
  return roleRequiresMfa(account.role) ? 'mfa-enrolment' : 'full';
}

export async function startSession(deps: ConsoleAuthDeps, account: StoredConsoleAccount, stage: SessionStage, client: string, userAgent: string): Promise<SignInResult> {
  const token = newToken();
  const now = deps.clock.now().toISOString();
  const session: StoredConsoleSession = {
    id: tokenId(token)!,
    accountId: account.id,
    csrfToken: newToken(),
    stage,
    pendingTotpSecretSealed: null,
    createdAt: now,
    lastSeenAt: now,
    clientAddress: cleanClientText(client, CLIENT_ADDRESS_MAX),
    userAgent: cleanClientText(userAgent, USER_AGENT_MAX),
  };
  await deps.accounts.insertSession(session);
  if (stage === 'full') await auditSignIn(deps, account, session);
  return { token, session: toConsoleSession(session), account: toConsoleAccount(account) };
}

/** Successful sign-ins are audited once the session is complete (a password alone is not a sign-in). */
export async function auditSignIn(deps: ConsoleAuthDeps, account: StoredConsoleAccount, session: Pick<StoredConsoleSession, 'clientAddress'>): Promise<void> {
  await audit(deps, account.id, 'console.sign-in', account, { client: session.clientAddress, mfa: account.mfaEnrolledAt !== null });
}

/** The session and its account when the token names a live session of an enabled account; else null (and a dead session is removed). */
export async function liveSession(deps: ConsoleAuthDeps, token: string): Promise<{ session: StoredConsoleSession; account: StoredConsoleAccount } | null> {
  const id = tokenId(token);
  if (id === null) return null;
  const session = await deps.accounts.findSession(id);
  if (!session) return null;
  const account = sessionExpired(session, deps.clock.now().getTime()) ? null : await deps.accounts.findAccount(session.accountId);
  if (!account || account.disabledAt !== null) {
    await deps.accounts.deleteSession(id);
    return null;
  }
  return { session, account };
}

/** Like liveSession, but RF_SESSION_INVALID when it has ended and RF_SESSION_STEP_INVALID unless it is at one of `stages`. */
export async function sessionAt(deps: ConsoleAuthDeps, token: string, stages: readonly SessionStage[]): Promise<{ session: StoredConsoleSession; account: StoredConsoleAccount }> {
  const live = await liveSession(deps, token);
  if (!live) throw new RingfenceError(ErrorCodes.SESSION_INVALID, 'the session has ended; sign in again');
  if (!stages.includes(live.session.stage)) {
    throw new RingfenceError(ErrorCodes.SESSION_STEP_INVALID, `this step is not for a session at stage "${live.session.stage}"`, undefined, { stage: live.session.stage });
  }
  return live;
}

/**
 * The signed-in account and session for a request, or null (unknown, idle 30 minutes, older than
 * 12 hours, or the account disabled). Records the time and address at most once a minute.
 */
export async function resume(deps: ConsoleAuthDeps, token: string, client: string): Promise<ResumedSession | null> {
  const live = await liveSession(deps, token);
  if (!live) return null;
  let { session } = live;
  const now = deps.clock.now();
  if (now.getTime() - Date.parse(session.lastSeenAt) >= SESSION_TOUCH_MS) {
    session = { ...session, lastSeenAt: now.toISOString(), clientAddress: cleanClientText(client, CLIENT_ADDRESS_MAX) };
    await deps.accounts.touchSession(session.id, session.lastSeenAt, session.clientAddress);
  }
  return { account: toConsoleAccount(live.account), session: toConsoleSession(session) };
}

/** Ends the session; false when there was none. */
export async function signOut(deps: ConsoleAuthDeps, token: string): Promise<boolean> {
  const id = tokenId(token);
  if (id === null) return false;
  const session = await deps.accounts.findSession(id);
  if (!session || !(await deps.accounts.deleteSession(id))) return false;
  const account = await deps.accounts.findAccount(session.accountId);
  if (account) await audit(deps, account.id, 'console.sign-out', account, {});
  return true;
}

/** Removes sessions that can no longer be resumed (for a periodic clean-up); how many. */
export function purgeStaleSessions(deps: ConsoleAuthDeps): Promise<number> {
  const now = deps.clock.now().getTime();
  return deps.accounts.deleteStaleSessions(new Date(now - SESSION_IDLE_MS).toISOString(), new Date(now - SESSION_MAX_MS).toISOString());
}
