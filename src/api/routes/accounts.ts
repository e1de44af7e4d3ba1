// Console accounts: list those who can see the account's schools, create one (it signs in first
// with a one-time token), disable and enable, and reset a password or an authenticator app.
import { z } from 'zod';
import { mayGrantRole, mayManageAccountOf } from '../../core/access/grants.ts';
import { ROLES, type Role } from '../../core/access/roles.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { scopeWithin } from '../../services/org/scope-within.ts';
import type { ApiContext } from '../context.ts';
import type { Principal } from '../principal.ts';
import { route, type AnyRoute } from '../route.ts';
import { ConsoleAccount, Id } from '../schemas.ts';

const Account = ConsoleAccount;
const AccountParams = z.object({ accountId: Id });
const OneTime = z.object({ oneTimeToken: z.string(), expiresInHours: z.number() });

export function accountRoutes(ctx: ApiContext): AnyRoute[] {
  const auth = ctx.auth;
  /** The actor may manage an account of this role and scope: refused otherwise, before anything changes. */
  const mayManage = async (actor: Principal, role: Role, scope: readonly string[]) => {
    if (!mayGrantRole(actor.account.role, role) || !(await scopeWithin(ctx.organisations, actor.account.scope, scope))) {
      throw new RingfenceError(ErrorCodes.PERMISSION_DENIED, `a ${actor.account.role} may not manage a ${role} account with this scope`);
    }
  };
  const target = async (actor: Principal, accountId: string) => {
    const account = await auth.findAccount(accountId);
    if (!account || !(await scopeWithin(ctx.organisations, actor.account.scope, account.scope))) throw new RingfenceError(ErrorCodes.NOT_FOUND, 'no such account', accountId);
    if (!mayManageAccountOf(actor.account.role, account.role)) {
      throw new RingfenceError(ErrorCodes.PERMISSION_DENIED, `a ${actor.account.role} may not change a ${account.role}'s account: it can do things a ${actor.account.role} cannot`);
    }
    return account;
  };
  const oneTime = async (accountId: string, actor: string) => ({ oneTimeToken: await auth.issueOneTimeSignIn(accountId, undefined, actor), expiresInHours: 24 });
  return [
    route({
      method: 'GET', url: '/api/accounts', summary: 'List accounts that can see this account’s schools', tag: 'accounts', access: 'accounts:read',
      response: z.object({ accounts: z.array(Account) }),
      handle: async ({ principal }) => ({ accounts: await auth.listAccounts(principal!.account.scope) }),
    }),
    route({
      method: 'POST', url: '/api/accounts', summary: 'Create an account', tag: 'accounts', access: 'accounts:manage',
      body: z.object({ username: z.string().min(1).max(64), displayName: z.string().max(200).optional(), email: z.string().max(254).nullable().optional(), role: z.enum(ROLES), scope: z.array(Id).min(1).max(100) }),
      response: z.object({ account: Account, oneTime: OneTime }), status: 201,
      handle: async ({ body, principal }) => {
        await mayManage(principal!, body.role, body.scope);
        const account = await auth.createAccount(body, principal!.account.id);
        return { account, oneTime: await oneTime(account.id, principal!.account.id) };
      },
    }),
    route({
      method: 'POST', url: '/api/accounts/:accountId/disable', summary: 'Disable an account', tag: 'accounts', access: 'accounts:manage', params: AccountParams,
      response: Account,
      handle: async ({ params, principal }) => {
        if (params.accountId === principal!.account.id) throw new RingfenceError(ErrorCodes.PERMISSION_DENIED, 'an account cannot disable itself');
        await target(principal!, params.accountId);
        await auth.disable(params.accountId, principal!.account.id);
        return (await auth.findAccount(params.accountId))!;
      },
    }),
    route({
      method: 'POST', url: '/api/accounts/:accountId/enable', summary: 'Enable an account', tag: 'accounts', access: 'accounts:manage', params: AccountParams,
      response: Account,
      handle: async ({ params, principal }) => {
        await target(principal!, params.accountId);
        await auth.enable(params.accountId, principal!.account.id);
        return (await auth.findAccount(params.accountId))!;
      },
    }),
    route({
      method: 'POST', url: '/api/accounts/:accountId/reset', summary: 'Reset an account’s password and authenticator app (one-time sign-in)', tag: 'accounts', access: 'accounts:manage', params: AccountParams,
      response: OneTime,
      handle: async ({ params, principal }) => {
        await target(principal!, params.accountId);
        if (params.accountId === principal!.account.id) throw new RingfenceError(ErrorCodes.PERMISSION_DENIED, 'an account cannot reset itself; sign out and ask another administrator');
        await auth.resetSignIn(params.accountId, principal!.account.id);
        return oneTime(params.accountId, principal!.account.id);
      },
    }),
  ];
}
