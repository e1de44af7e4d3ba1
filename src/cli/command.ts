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

export interface Command {
  /** Words that select the command, e.g. ['lists', 'import']. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Usage lines shown by --help, after `ringfence <path>`. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly allowPositionals?: boolean;
  /** Returns the process exit code; throw RingfenceError for bad input (exit 2). */
  run(input: CommandInput, ctx: CliContext): Promise<number>;
}
