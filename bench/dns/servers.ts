// Processes the benchmark starts (upstream, servers under test), pinned with taskset and always
// stopped by PID; a small UDP DNS client for readiness polling and correctness checks.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import dnsPacket from 'dns-packet';

export const say = (message: string): void => void process.stderr.write(`${message}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Every process started here, so that `stopAll` (run from `finally` and on signals) can end them. */
const running = new Set<Proc>();

export class Proc {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly startedAt: number;
  /** Everything the process wrote to stderr and stdout (capped). */
  output = '';
  exited: { code: number | null; signal: string | null } | null = null;
  private readonly done: Promise<void>;

  constructor(readonly label: string, cpu: number | null, command: string, args: readonly string[], cwd?: string, env?: Record<string, string>) {
    const [cmd, argv] = cpu === null ? [command, [...args]] : ['taskset', ['-c', String(cpu), command, ...args]];
    this.startedAt = performance.now();
    this.child = spawn(cmd, argv, { cwd, env: env ? { ...process.env, ...env } : process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.child.pid === undefined) throw new Error(`${label}: could not start ${command}`);
    this.pid = this.child.pid;
    running.add(this);
    const keep = (s: string) => {
      if (this.output.length < 1 << 20) this.output += s;
    };
    this.child.stdout!.setEncoding('utf8').on('data', keep);
    this.child.stderr!.setEncoding('utf8').on('data', keep);
    this.done = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exited = { code, signal };
        running.delete(this);
        resolve();
      });
      this.child.on('error', (e) => {
        this.output += `\nspawn error: ${e.message}`;
        this.exited ??= { code: null, signal: null };
        running.delete(this);
        resolve();
      });
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.exited) return;
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, graceMs);
    await this.done;
    clearTimeout(timer);
  }

  tail(lines = 5): string {
    return this.output.trim().split('\n').slice(-lines).join(' | ');
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** Synchronous last resort (process 'exit'): SIGKILL whatever is still running. */
export function killAllNow(): void {
  for (const p of running) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

export function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** A port free for both UDP and TCP on 127.0.0.1 (the system's choice, checked for both). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => resolve(udp.address().port));
    });
    const tcpOk = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    await new Promise<void>((r) => udp.close(() => r()));
    if (tcpOk) return port;
  }
  throw new Error('no free port on 127.0.0.1');
}

export type Verdict = 'blocked' | 'allowed' | 'other';

export interface Answer {
  readonly rcode: string;
  readonly data: string[];
  readonly verdict: Verdict;
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const BLOCK_ADDRESSES = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);
const UPSTREAM_ADDRESSES = new Set(['192.0.2.1', '2001:db8::1']);

function verdictOf(rcode: string, data: string[]): Verdict {
  if (rcode === 'NXDOMAIN') return 'blocked';
  if (rcode !== 'NOERROR') return 'other';
  if (data.some((d) => BLOCK_ADDRESSES.has(d))) return 'blocked';
  if (data.some((d) => UPSTREAM_ADDRESSES.has(d))) return 'allowed';
  return 'other';
}

/**
 * A UDP DNS client on one socket: `ask` sends one query and resolves with the answer, or null
 * after `timeoutMs` (no retries: callers poll).
 */
export class Prober {
  private readonly socket = createSocket('udp4');
  private readonly waiting = new Map<number, (a: Answer) => void>();
  private nextId = 1;

  constructor(private readonly port: number) {
    this.socket.on('message', (msg) => {
      let p;
      try {
        p = dnsPacket.decode(msg);
      } catch {
        return;
      }
      const done = p.id === undefined ? undefined : this.waiting.get(p.id);
      if (!done) return;
      this.waiting.delete(p.id!);
      const rcode = RCODES[(p.flags ?? 0) & 15] ?? `RCODE${(p.flags ?? 0) & 15}`;
      const data = (p.answers ?? []).flatMap((a) => (a.type === 'A' || a.type === 'AAAA' ? [String(a.data)] : []));
      done({ rcode, data, verdict: verdictOf(rcode, data) });
    });
    this.socket.on('error', () => undefined); // ICMP unreachable while a server starts: just no answer
  }

  ask(name: string, type: 'A' | 'AAAA', timeoutMs: number): Promise<Answer | null> {
    const id = (this.nextId = (this.nextId % 65535) + 1);
    const bytes = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(id, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
      this.socket.send(bytes, this.port, '127.0.0.1', (e) => {
        if (e) {
          clearTimeout(timer);
          this.waiting.delete(id);
          resolve(null);
        }
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * Polls every few ms until `name` answers blocked; returns ms since `proc` was started. Fails when
 * the process exits or `limitMs` passes.
 */
export async function timeToBlockedAnswer(proc: Proc, port: number, name: string, limitMs: number): Promise<number> {
  const prober = new Prober(port);
  try {
    while (performance.now() - proc.startedAt < limitMs) {
      if (proc.exited) throw new Error(`${proc.label} exited (${proc.exited.signal ?? proc.exited.code}) while loading: ${proc.tail()}`);
      const a = await prober.ask(name, 'A', 25);
      if (a?.verdict === 'blocked') return performance.now() - proc.startedAt;
      if (a === null) continue; // the timeout itself paced this poll
      await sleep(5);
    }
    throw new Error(`${proc.label} did not answer ${name} as blocked within ${limitMs / 1000} s: ${proc.tail()}`);
  } finally {
    prober.close();
  }
}
