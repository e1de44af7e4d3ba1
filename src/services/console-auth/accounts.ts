// Managing console accounts: create, set a password, disable/enable, reset MFA, list by scope, and
// the first administrator at first start. Disabling an account or changing its password ends all
// its sessions. Every change is written to the audit log.
import { canonicalUsername, checkDisplayName } from '../../core/accounts/account.ts';
import { checkPassword } from '../../core/accounts/password-rules.ts';
import { checkEmail, toConsoleAccount, type ConsoleAccount, type StoredConsoleAccount } from '../../core/access/console-account.ts';
import { parseRole, type Role } from '../../core/access/roles.ts';
import type { JsonObject } from '../../core/audit/canonical.ts';
import { ErrorCodes, RingfenceError, isRingfenceError, quoteInput } from '../../core/errors.ts';
import { parseEntityId } from '../../core/org/id.ts';
import { organisationScope } from '../../core/org/scope.ts';
import type { Actor, ConsoleAuthDeps } from './deps.ts';
import { issueOneTimeSignIn } from './one-time-sign-in.ts';

export interface NewConsoleAccount {
  readonly username: string;
  /** Defaults to the username. */
  readonly displayName?: string;
  readonly email?: string | null;
  readonly role: Role | string;
  /** Organisation ids: schools, or trusts / local authorities meaning all their schools. At least one. */
  readonly scope: readonly string[];
  /** Without one, the account signs in first with a one-time token (issueOneTimeSignIn). */
  readonly password?: string;
}

/** The username the first administrator gets at first start. */
export const FIRST_ADMINISTRATOR = 'admin';

/** Throws RF_USERNAME_INVALID, RF_PASSWORD_INVALID, RF_ARGUMENT_INVALID (role, email, empty scope), RF_ORGANISATION_INVALID/UNKNOWN or RF_ACCOUNT_EXISTS. */
export async function createAccount(deps: ConsoleAuthDeps, input: NewConsoleAccount, actor: Actor = 'system'): Promise<ConsoleAccount> {
  const username = canonicalUsername(input.username);
  const displayName = checkDisplayName(input.displayName) ?? username;
  const email = checkEmail(input.email);
  const role = parseRole(input.role);
  const scope = [...organisationScope(input.scope)].sort();
  if (scope.length === 0) throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, 'an account needs at least one school, trust or local authority in its scope');
  for (const id of scope) {
    if (!(await deps.organisations.findOrganisation(id))) throw new RingfenceError(ErrorCodes.ORGANISATION_UNKNOWN, `there is no school, trust or local authority with id ${quoteInput(id)}`, id);
  }
  const passwordHash = input.password === undefined ? null : await deps.hasher.hash(checkPassword(input.password));
  const now = deps.clock.now().toISOString();
  const account: StoredConsoleAccount = {
    id: deps.ids.newId(),
    username, displayName, email, role, scope, passwordHash,
    totpSecretSealed: null, totpLastStep: null, mfaEnrolledAt: null, disabledAt: null,
    createdAt: now, updatedAt: now,
  };
  await deps.accounts.insertAccount(account);
  await audit(deps, actor, 'console.account.create', account, { role, passwordSet: passwordHash !== null });
  return toConsoleAccount(account);
}

export async function findAccount(deps: ConsoleAuthDeps, id: string): Promise<ConsoleAccount | null> {
  const account = await deps.accounts.findAccount(id.trim().toLowerCase());
  return account ? toConsoleAccount(account) : null;
}

/**
 * Accounts that may see at least one school the viewer's scope covers (so a school's headteacher
 * also sees the trust administrators who can see their school), sorted by username.
 */
export async function listAccounts(deps: ConsoleAuthDeps, viewerScope: Iterable<string>): Promise<ConsoleAccount[]> {
  const scope = organisationScope(viewerScope);
  const schools = await deps.organisations.schoolsVisibleTo(scope);
  const ids = new Set<string>(scope);
  for (const school of schools) {
    ids.add(school.id);
    if (school.responsibleBodyId !== null) ids.add(school.responsibleBodyId);
  }
  return (await deps.accounts.listAccounts({ scopeAnyOf: [...ids] })).map(toConsoleAccount);
}

/** Sets a new password and ends every session of the account (whoever knew the old one is out). */
export async function setPassword(deps: ConsoleAuthDeps, accountId: string, password: string, actor: Actor = 'system'): Promise<void> {
  const account = await existing(deps, accountId);
  const passwordHash = await deps.hasher.hash(checkPassword(password));
  await deps.accounts.updateAccount(account.id, { passwordHash, updatedAt: deps.clock.now().toISOString() });
  const ended = await deps.accounts.deleteSessionsOf(account.id);
  await audit(deps, actor, 'console.account.password', account, { sessionsEnded: ended });
}

/** The account stays but cannot sign in; its sessions end now. False when it was disabled already. */
export async function disableAccount(deps: ConsoleAuthDeps, accountId: string, actor: Actor = 'system'): Promise<boolean> {
  const account = await existing(deps, accountId);
  // Sessions are ended even when it was disabled already: a retry after a failure must finish the job.
  const ended = await deps.accounts.deleteSessionsOf(account.id);
  if (account.disabledAt !== null) return false;
  const now = deps.clock.now().toISOString();
  await deps.accounts.updateAccount(account.id, { disabledAt: now, updatedAt: now });
  await audit(deps, actor, 'console.account.disable', account, { sessionsEnded: ended });
  return true;
}

/** False when it was enabled already. */
export async function enableAccount(deps: ConsoleAuthDeps, accountId: string, actor: Actor = 'system'): Promise<boolean> {
  const account = await existing(deps, accountId);
  if (account.disabledAt === null) return false;
  await deps.accounts.updateAccount(account.id, { disabledAt: null, updatedAt: deps.clock.now().toISOString() });
  await audit(deps, actor, 'console.account.enable', account, {});
  return true;
}

/** Forgets the account's authenticator (a lost phone) and ends its sessions; it enrols again at next sign-in. */
export async function resetMfa(deps: ConsoleAuthDeps, accountId: string, actor: Actor = 'system'): Promise<void> {
  const account = await existing(deps, accountId);
  await deps.accounts.updateAccount(account.id, { totpSecretSealed: null, totpLastStep: null, mfaEnrolledAt: null, updatedAt: deps.clock.now().toISOString() });
  const ended = await deps.accounts.deleteSessionsOf(account.id);
  await audit(deps, actor, 'console.account.mfa-reset', account, { sessionsEnded: ended });
}

/**
 * Clears the password and the authenticator and ends every session: the account can only sign in
 * again with a one-time token (issued by whoever reset it), so nobody who knew the old password,
 * or holds the old phone, keeps a way in.
 */
export async function resetSignIn(deps: ConsoleAuthDeps, accountId: string, actor: Actor = 'system'): Promise<void> {
  const account = await existing(deps, accountId);
  await deps.accounts.updateAccount(account.id, { passwordHash: null, totpSecretSealed: null, totpLastStep: null, mfaEnrolledAt: null, updatedAt: deps.clock.now().toISOString() });
  const ended = await deps.accounts.deleteSessionsOf(account.id);
  await audit(deps, actor, 'console.account.sign-in-reset', account, { sessionsEnded: ended });
}

/**
 * At first start: when there is no console account at all, creates the network manager "admin"
 * scoped to the school, without a password, and returns a one-time sign-in token for it (to print
 * once). Null when any account exists, so later starts (and a racing second process) do nothing.
 */
export async function ensureFirstAdministrator(deps: ConsoleAuthDeps, schoolId: string): Promise<string | null> {
  if ((await deps.accounts.countAccounts()) > 0) return null;
  let account: ConsoleAccount;
  try {
    account = await createAccount(deps, { username: FIRST_ADMINISTRATOR, displayName: 'First administrator', role: 'network-manager', scope: [schoolId] });
  } catch (e) {
    if (isRingfenceError(e) && e.code === ErrorCodes.ACCOUNT_EXISTS) return null;
    throw e;
  }
  return issueOneTimeSignIn(deps, account.id);
}

/** The stored account; RF_ACCOUNT_UNKNOWN when there is none. */
export async function existing(deps: ConsoleAuthDeps, accountId: string): Promise<StoredConsoleAccount> {
  const id = parseEntityId(accountId, 'account id', ErrorCodes.ACCOUNT_UNKNOWN);
  const account = await deps.accounts.findAccount(id);
  if (!account) throw new RingfenceError(ErrorCodes.ACCOUNT_UNKNOWN, `there is no console account with id ${quoteInput(accountId)}`, accountId);
  return account;
}

/**
 * One audit entry about an account. Its school is null (a scope may name a trust, and one account
 * may span schools); the scope is in the details, so a school's entries can still be found.
 */
export async function audit(deps: ConsoleAuthDeps, actor: Actor, action: string, account: Pick<StoredConsoleAccount, 'id' | 'username' | 'scope'>, details: JsonObject): Promise<void> {
  await deps.audit.append({
    schoolId: null,
    actor,
    action,
    target: `console-account:${account.id}`,
    details: { username: account.username, scope: [...account.scope], ...details },
  });
}
