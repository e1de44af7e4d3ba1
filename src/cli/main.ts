// `ringfence` entry point: picks the sub-command, parses its options, maps errors to exit codes.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { isRingfenceError, quoteInput } from '../core/errors.ts';
import type { CliContext, CommandEntry } from './command.ts';
import { commands } from './commands/index.ts';
import { stderrProgress } from './progress.ts';
import { installSystemZoneinfo } from './zoneinfo.ts';

const EXIT_OK = 0;
const EXIT_INTERNAL = 1;
const EXIT_BAD_INPUT = 2;

const commonOptions = {
  data: { type: 'string', default: './data' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function findCommand(argv: string[]): { entry: CommandEntry; rest: string[] } | null {
  let best: { entry: CommandEntry; rest: string[] } | null = null;
  for (const entry of commands) {
    const n = entry.path.length;
    if (argv.length >= n && entry.path.every((word, i) => argv[i] === word)) {
      if (!best || n > best.entry.path.length) best = { entry, rest: argv.slice(n) };
    }
  }
  return best;
}

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    'usage: ringfence <command> [options] [--data DIR]',
    '',
    'commands:',
    ...lines,
    '',
    'Every command takes --data DIR (default ./data): where lists, snapshots and the directory live.',
    'Run `ringfence <command> --help` for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[], io = defaultIo()): Promise<number> {
  const found = findCommand(argv);
  if (!found) {
    const wantsHelp = argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help';
    const firstOption = argv.findIndex((a) => a.startsWith('-'));
    const words = argv.slice(0, firstOption < 0 ? argv.length : firstOption).join(' ');
    const problem = words ? `unknown command ${quoteInput(words)}` : 'no command given';
    (wantsHelp ? io.out : io.err)(wantsHelp ? helpText() : `${problem}\n\n${helpText()}`);
    return wantsHelp ? EXIT_OK : EXIT_BAD_INPUT;
  }
  const { entry, rest } = found;
  const name = entry.path.join(' ');
  installSystemZoneinfo(io.err);
  const command = await entry.load();
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...commonOptions, ...command.options },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (e) {
    io.err(`ringfence ${name}: ${(e as Error).message}\nusage: ringfence ${name} ${command.usage}`);
    return EXIT_BAD_INPUT;
  }
  if (parsed.values.help) {
    io.out(`usage: ringfence ${name} ${command.usage}\n\n${entry.summary}`);
    return EXIT_OK;
  }
  const ctx: CliContext = {
    dataDir: resolve(String(parsed.values.data)),
    clock: { now: () => new Date() },
    out: io.out,
    err: io.err,
    progress: stderrProgress(io.err, io.stderrIsTTY),
    stdinIsTTY: io.stdinIsTTY,
  };
  try {
    return await command.run({ values: parsed.values, positionals: parsed.positionals }, ctx);
  } catch (e) {
    if (isRingfenceError(e)) {
      io.err(`ringfence ${name}: ${e.message} [${e.code}]`);
      return EXIT_BAD_INPUT;
    }
    io.err(`ringfence ${name}: internal error: ${(e as Error).stack ?? String(e)}`);
    return EXIT_INTERNAL;
  }
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
}

function defaultIo(): CliIo {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
  };
}
