// Every sub-command, in the order `ringfence --help` lists them.
import type { Command } from '../command.ts';
import { directoryImportCommand } from './directory-import.ts';
import { dnsCommand } from './dns.ts';
import { explainCommand } from './explain.ts';
import { listsCompileCommand, listsStatusCommand } from './lists-compile.ts';
import { listsImportCommand } from './lists-import.ts';
import { listsUpdateCommand } from './lists-update.ts';

export const commands: readonly Command[] = [
  explainCommand,
  listsImportCommand,
  listsUpdateCommand,
  listsCompileCommand,
  listsStatusCommand,
  directoryImportCommand,
  dnsCommand,
];
