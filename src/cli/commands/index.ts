// Every sub-command, in the order `ringfence --help` lists them. Modules load on demand (see
// CommandEntry), so this file imports none of them.
import type { CommandEntry } from '../command.ts';

export const commands: readonly CommandEntry[] = [
  {
    path: ['start'],
    summary: 'Run everything in one process: API and console, DNS server, proxy',
    load: async () => (await import('./start.ts')).startCommand,
  },
  {
    path: ['explain'],
    summary: 'Show the decision for a request and the rule, tier, category and list that made it',
    load: async () => (await import('./explain.ts')).explainCommand,
  },
  {
    path: ['lists', 'import'],
    summary: 'Import category lists (UT1 folder or .tar.gz, hosts, plain domains, adblock) and rebuild the snapshot',
    load: async () => (await import('./lists-import.ts')).listsImportCommand,
  },
  {
    path: ['lists', 'update'],
    summary: 'Download the UT1 lists archive, import it and rebuild the snapshot',
    load: async () => (await import('./lists-update.ts')).listsUpdateCommand,
  },
  {
    path: ['lists', 'compile'],
    summary: 'Compile the imported lists and the starter lists into a new category snapshot',
    load: async () => (await import('./lists-compile.ts')).listsCompileCommand,
  },
  {
    path: ['lists', 'status'],
    summary: 'Show the lists in the current snapshot, with their categories and counts',
    load: async () => (await import('./lists-compile.ts')).listsStatusCommand,
  },
  {
    path: ['directory', 'import'],
    summary: 'Import users from a CSV file (username, display name, groups separated by ";")',
    load: async () => (await import('./directory-import.ts')).directoryImportCommand,
  },
  {
    path: ['dns'],
    summary: 'Run the filtering DNS server (UDP, TCP and optionally DNS over HTTPS)',
    load: async () => (await import('./dns.ts')).dnsCommand,
  },
  {
    path: ['proxy'],
    summary: 'Run the filtering web proxy (HTTP and CONNECT, block page, PAC/WPAD)',
    load: async () => (await import('./proxy.ts')).proxyCommand,
  },
  {
    path: ['accounts', 'add'],
    summary: 'Add a proxy sign-in account (argon2id password) in one or more policy groups',
    load: async () => (await import('./accounts-add.ts')).accountsAddCommand,
  },
  {
    path: ['accounts', 'passwd'],
    summary: 'Set a new password for an account',
    load: async () => (await import('./accounts-passwd.ts')).accountsPasswdCommand,
  },
  {
    path: ['accounts', 'disable'],
    summary: 'Stop an account signing in (it is kept, with its groups)',
    load: async () => (await import('./accounts-disable.ts')).accountsDisableCommand,
  },
  {
    path: ['accounts', 'enable'],
    summary: 'Let a disabled account sign in again',
    load: async () => (await import('./accounts-disable.ts')).accountsEnableCommand,
  },
  {
    path: ['accounts', 'remove'],
    summary: 'Delete an account',
    load: async () => (await import('./accounts-remove.ts')).accountsRemoveCommand,
  },
  {
    path: ['accounts', 'list'],
    summary: 'List the accounts, their groups and whether they are disabled',
    load: async () => (await import('./accounts-list.ts')).accountsListCommand,
  },
  {
    path: ['audit', 'verify'],
    summary: 'Check the audit log for edited, deleted, inserted or reordered entries',
    load: async () => (await import('./audit-verify.ts')).auditVerifyCommand,
  },
];
