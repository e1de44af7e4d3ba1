// `ringfence accounts disable|enable USERNAME`: stop (or allow again) an account's sign-ins, keeping it.
import { canonicalUsername } from '../../core/accounts/account.ts';
import type { Command } from '../command.ts';
import { PROXY_CACHE_NOTE, accountService, usernameArgument } from './accounts-shared.ts';

export const accountsDisableCommand: Command = {
  usage: 'USERNAME',
  options: {},
  allowPositionals: true,
  async run(input, ctx) {
    const username = usernameArgument(input, 'disable');
    const changed = await accountService(ctx).disableAccount(username);
    ctx.out(changed ? `disabled ${canonicalUsername(username)}; ${PROXY_CACHE_NOTE}` : `${canonicalUsername(username)} was already disabled`);
    return 0;
  },
};

export const accountsEnableCommand: Command = {
  usage: 'USERNAME',
  options: {},
  allowPositionals: true,
  async run(input, ctx) {
    const username = usernameArgument(input, 'enable');
    const changed = await accountService(ctx).enableAccount(username);
    ctx.out(changed ? `enabled ${canonicalUsername(username)}` : `${canonicalUsername(username)} was already enabled`);
    return 0;
  },
};
