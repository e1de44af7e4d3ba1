// `ringfence accounts list`: every account with its groups and state (never the password hashes).
import type { Command } from '../command.ts';
import { accountService } from './accounts-shared.ts';

export const accountsListCommand: Command = {
  usage: '[--json]',
  options: { json: { type: 'boolean', default: false } },
  async run({ values }, ctx) {
    const accounts = await accountService(ctx).listAccounts();
    if (values.json) {
      ctx.out(JSON.stringify(accounts));
      return 0;
    }
    if (accounts.length === 0) {
      ctx.out('no accounts yet (add one with `ringfence accounts add USERNAME --group G`)');
      return 0;
    }
    const rows = [['USERNAME', 'STATE', 'GROUPS', 'NAME', 'UPDATED']];
    for (const a of accounts) rows.push([a.username, a.disabled ? 'disabled' : 'active', a.groups.join(','), a.displayName ?? '-', a.updatedAt]);
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) ctx.out(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
    return 0;
  },
};
