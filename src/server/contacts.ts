// Who to email about unblock requests, from the console accounts: the requester's address, and the
// school's approvers (accounts whose role may decide unblock requests and who can see the school).
import { roleHas } from '../core/access/permissions.ts';
import type { ConsoleAuthService } from '../services/console-auth/console-auth-service.ts';
import type { ContactDirectory } from '../services/ports.ts';

export function accountContacts(auth: ConsoleAuthService): ContactDirectory {
  return {
    async emailOf(accountId) {
      const account = await auth.findAccount(accountId);
      return account && !account.disabled ? account.email : null;
    },
    async approversOf(schoolId) {
      const accounts = await auth.listAccounts([schoolId]);
      return accounts.filter((a) => !a.disabled && a.email !== null && roleHas(a.role, 'unblock:decide')).map((a) => a.id);
    },
  };
}
