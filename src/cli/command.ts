// The shape every `ringfence` sub-command has, and the context it runs in.
import type { ParseArgsConfig } from 'node:util';
import type { Clock } from '../core/clock.ts';
import type { ProgressReporter } from '../services/ports.ts';

export interface CliContext {
  /** Where lists, snapshots and the directory live (`--data`, default ./data). */
  readonly dataDir: string;
  readonly clock: Clock;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly progress: ProgressReporter;
  /** Lines of standard input, when a command reads it. */
  readonly stdinIsTTY: boolean;
}

export interface CommandInput {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

/**
 * One line of `ringfence --help` and the way to its code. The command's module is imported only
 * when it runs: a long-running `ringfence dns` then carries no other command's modules (about
 * 23 MiB resident: argon2, the database, list importers).
 */
export interface CommandEntry {
  /** Words that select the command, e.g. ['lists', 'import']. */
  readonly path: readonly string[];
  readonly summary: string;
  load(): Promise<Command>;
}

/** A command's options and code, from its own module. */
export interface Command {
  /** Usage lines shown by --help, after `ringfence <path>`. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly allowPositionals?: boolean;
  /** Returns the process exit code; throw RingfenceError for bad input (exit 2). */
  run(input: CommandInput, ctx: CliContext): Promise<number>;
}
