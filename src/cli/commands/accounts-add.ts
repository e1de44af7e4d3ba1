// `ringfence accounts add USERNAME --group G[,G…]`: a proxy sign-in account in the policy's groups.
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { Command } from '../command.ts';
import { readNewPassword } from './accounts-password-input.ts';
import { accountService, usernameArgument } from './accounts-shared.ts';

export const accountsAddCommand: Command = {
  usage: 'USERNAME --group G[,G…] [--name "Display name"] [--password-stdin]\n       (without --password-stdin, the password is asked for twice at the terminal)',
  options: {
    group: { type: 'string', multiple: true },
    name: { type: 'string' },
    'password-stdin': { type: 'boolean', default: false },
  },
  allowPositionals: true,
  async run(input, ctx) {
    const username = usernameArgument(input, 'add');
    const groups = ((input.values.group as string[] | undefined) ?? []).flatMap((g) => g.split(','));
    if (groups.every((g) => g.trim() === '')) throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, 'give the account\'s groups with --group G[,G…] (the policy\'s group ids)');
    const service = accountService(ctx, true);
    const name = input.values.name;
    const details = { username, groups, ...(typeof name === 'string' ? { displayName: name } : {}) };
    // Refuse a bad name, group or a taken username before anyone types a password.
    await service.checkNewAccount(details);
    const password = await readNewPassword(input.values['password-stdin'] === true, ctx);
    const account = await service.createAccount({ ...details, password });
    ctx.out(`added account ${account.username} in ${account.groups.join(', ')}`);
    return 0;
  },
};
