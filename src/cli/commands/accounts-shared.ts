// What the `ringfence accounts …` commands share: the account service over DATA/accounts.json, and
// the one USERNAME argument.
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { AccountService } from '../../services/accounts/account-service.ts';
import { Argon2Hasher } from '../../storage/crypto/argon2-hasher.ts';
import { AccountFile } from '../../storage/files/account-file.ts';
import { loadPolicy } from '../../storage/files/pack-files.ts';
import type { CliContext, CommandInput } from '../command.ts';

/** How long the proxy may keep trusting a sign-in it has checked (ProxyAuthenticator's default cache time). */
export const PROXY_CACHE_NOTE = 'a running proxy notices within 5 minutes (when its cached sign-ins expire)';

/** `withGroups`: load the policy in force to check group ids (only creating an account needs it). */
export function accountService(ctx: CliContext, withGroups = false): AccountService {
  const knownGroups = withGroups ? new Set(loadPolicy(ctx.dataDir).policy.groups.map((g) => g.id)) : new Set<string>();
  return new AccountService({ store: new AccountFile(ctx.dataDir), hasher: new Argon2Hasher(), clock: ctx.clock, knownGroups });
}

export function usernameArgument({ positionals }: CommandInput, command: string): string {
  const [username, ...extra] = positionals;
  if (username === undefined || extra.length > 0) {
    throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `give exactly one username: ringfence accounts ${command} USERNAME${extra.length ? ` (also got ${extra.length} more argument${extra.length > 1 ? 's' : ''})` : ''}`);
  }
  return username;
}
