// Reading a new password: from standard input with --password-stdin (scripts, tests), or typed
// twice at a terminal without echo. Never from an argument: those end up in shell history and `ps`.
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { CliContext } from '../command.ts';

/** More than any password (1024 characters) can need; stops someone piping a file in by mistake. */
const STDIN_MAX_BYTES = 16 * 1024;

export async function readNewPassword(fromStdin: boolean, ctx: CliContext): Promise<string> {
  if (fromStdin) return passwordFromStdin();
  if (!ctx.stdinIsTTY || !process.stdin.setRawMode) {
    throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, 'standard input is not a terminal: give the password on standard input with --password-stdin');
  }
  const first = await promptHidden('New password: ');
  const second = await promptHidden('Repeat the password: ');
  if (first !== second) throw new RingfenceError(ErrorCodes.PASSWORD_INVALID, 'the two passwords typed differ; nothing was changed');
  return first;
}

/** All of standard input, less one final line break; it must be a single line. */
async function passwordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > STDIN_MAX_BYTES) throw new RingfenceError(ErrorCodes.PASSWORD_INVALID, `standard input holds more than ${STDIN_MAX_BYTES} bytes; give just the password`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new RingfenceError(ErrorCodes.PASSWORD_INVALID, 'no password on standard input (--password-stdin reads one line)');
  if (/[\r\n]/.test(text)) throw new RingfenceError(ErrorCodes.PASSWORD_INVALID, 'standard input holds more than one line; give the password on one line');
  return text;
}

/** One line typed at the terminal with echo off. Ctrl-C or Ctrl-D abandons. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: RingfenceError) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (text: string) => {
      for (const c of text) {
        if (c === '\r' || c === '\n') return finish();
        if (c === '\u0003' || c === '\u0004') return finish(new RingfenceError(ErrorCodes.PASSWORD_INVALID, 'password entry abandoned; nothing was changed'));
        if (c === '\u007f' || c === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += c;
      }
    };
    stdin.on('data', onData);
  });
}
