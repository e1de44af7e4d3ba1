// `ringfence accounts passwd USERNAME`: a new password for an account.
import { canonicalUsername } from '../../core/accounts/account.ts';
import type { Command } from '../command.ts';
import { readNewPassword } from './accounts-password-input.ts';
import { PROXY_CACHE_NOTE, accountService, usernameArgument } from './accounts-shared.ts';

export const accountsPasswdCommand: Command = {
  usage: 'USERNAME [--password-stdin]   (without --password-stdin, asked for twice at the terminal)',
  options: { 'password-stdin': { type: 'boolean', default: false } },
  allowPositionals: true,
  async run(input, ctx) {
    const username = usernameArgument(input, 'passwd');
    const service = accountService(ctx);
    await service.getAccount(username);
    const password = await readNewPassword(input.values['password-stdin'] === true, ctx);
    await service.setPassword(username, password);
    ctx.out(`changed the password of ${canonicalUsername(username)}; ${PROXY_CACHE_NOTE}`);
    return 0;
  },
};
