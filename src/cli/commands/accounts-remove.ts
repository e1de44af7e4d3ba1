// `ringfence accounts remove USERNAME`: delete an account.
import { canonicalUsername } from '../../core/accounts/account.ts';
import type { Command } from '../command.ts';
import { PROXY_CACHE_NOTE, accountService, usernameArgument } from './accounts-shared.ts';

export const accountsRemoveCommand: Command = {
  usage: 'USERNAME',
  options: {},
  allowPositionals: true,
  async run(input, ctx) {
    const username = usernameArgument(input, 'remove');
    await accountService(ctx).removeAccount(username);
    ctx.out(`removed ${canonicalUsername(username)}; ${PROXY_CACHE_NOTE}`);
    return 0;
  },
};
