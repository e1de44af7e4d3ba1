// Every sub-command, in the order `ringfence --help` lists them.
import type { Command } from '../command.ts';
import { directoryImportCommand } from './directory-import.ts';
import { dnsCommand } from './dns.ts';
import { proxyCommand } from './proxy.ts';
import { explainCommand } from './explain.ts';
import { listsCompileCommand, listsStatusCommand } from './lists-compile.ts';
import { listsImportCommand } from './lists-import.ts';
import { listsUpdateCommand } from './lists-update.ts';
import { accountsAddCommand } from './accounts-add.ts';
import { accountsDisableCommand, accountsEnableCommand } from './accounts-disable.ts';
import { accountsListCommand } from './accounts-list.ts';
import { accountsPasswdCommand } from './accounts-passwd.ts';
import { accountsRemoveCommand } from './accounts-remove.ts';
import { auditVerifyCommand } from './audit-verify.ts';
import { startCommand } from './start.ts';

export const commands: readonly Command[] = [
  startCommand,
  explainCommand,
  listsImportCommand,
  listsUpdateCommand,
  listsCompileCommand,
  listsStatusCommand,
  directoryImportCommand,
  dnsCommand,
  proxyCommand,
  accountsAddCommand,
  accountsPasswdCommand,
  accountsDisableCommand,
  accountsEnableCommand,
  accountsRemoveCommand,
  accountsListCommand,
  auditVerifyCommand,
];
