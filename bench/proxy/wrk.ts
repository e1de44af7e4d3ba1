// wrk through a proxy: wrk has no proxy option, so a Lua script makes it send absolute-form
// requests (`GET http://origin.bench.test:PORT/small HTTP/1.1`, Host header to match) over
// connections to the proxy. The script also counts responses by status (wrk's own "Non-2xx"
// line ignores 3xx, which is how squidGuard blocks), and prints the counts as one JSON line.
import { writeFileSync } from 'node:fs';
import { runLoad } from './load-process.ts';

export function writeWrkScript(path: string, url: string): void {
  const host = new URL(url).host;
  writeFileSync(
    path,
    [
      '-- Ringfence proxy benchmark: absolute-form requests, responses counted by status.',
      `wrk.path = "${url}"`,
      `wrk.headers["Host"] = "${host}"`,
      'local threads = {}',
      'function setup(thread) table.insert(threads, thread) end',
      'function init(args) ok = 0; other = 0; first = 0 end',
      'function response(status, headers, body)',
      '  if status == 200 then ok = ok + 1 else other = other + 1; if first == 0 then first = status end end',
      'end',
      'function done(summary, latency, requests)',
      '  local o, b, f = 0, 0, 0',
      '  for _, t in ipairs(threads) do o = o + t:get("ok"); b = b + t:get("other"); if f == 0 then f = t:get("first") end end',
      '  io.write(string.format("WRK-STATUS {\\"ok\\":%d,\\"other\\":%d,\\"firstOther\\":%d}\\n", o, b, f))',
      'end',
    ].join('\n') + '\n',
  );
}

export interface WrkResult {
  readonly seconds: number;
  readonly connections: number;
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly ok: number;
  /** Responses whose status was not 200 (the first such status in `firstOtherStatus`). */
  readonly notOk: number;
  readonly firstOtherStatus: number | null;
  readonly socketErrors: { readonly connect: number; readonly read: number; readonly write: number; readonly timeout: number };
  readonly commandLine: string;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function percentileMs(text: string, pct: number): number {
  const m = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(text);
  return m ? Math.round(Number(m[1]) * UNIT_MS[m[2]!]! * 1000) / 1000 : NaN;
}

function parseWrk(text: string): Omit<WrkResult, 'seconds' | 'connections' | 'commandLine'> {
  const status = /WRK-STATUS (\{.*\})/.exec(text);
  const counts = status ? (JSON.parse(status[1]!) as { ok: number; other: number; firstOther: number }) : { ok: 0, other: 0, firstOther: 0 };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    requests: Number(/(\d+) requests in/.exec(text)?.[1] ?? NaN),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN),
    p50Ms: percentileMs(text, 50),
    p90Ms: percentileMs(text, 90),
    p99Ms: percentileMs(text, 99),
    ok: counts.ok,
    notOk: counts.other,
    firstOtherStatus: counts.firstOther || null,
    socketErrors: { connect: Number(sock?.[1] ?? 0), read: Number(sock?.[2] ?? 0), write: Number(sock?.[3] ?? 0), timeout: Number(sock?.[4] ?? 0) },
  };
}

export interface WrkRun {
  readonly wrk: string;
  readonly script: string;
  /** Where wrk connects: the proxy (or the origin itself for the reference run). */
  readonly port: number;
  readonly seconds: number;
  readonly connections: number;
  readonly cpu: number | null;
}

/** Runs wrk with one thread (it shares its core with the origin) and reads its report. */
export async function runWrk(run: WrkRun): Promise<WrkResult> {
  const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--timeout', '5s', '--latency', '-s', run.script, `http://127.0.0.1:${run.port}`];
  const r = await runLoad(run.wrk, args, run.cpu, (run.seconds + 30) * 1000);
  const out = r.stdout + r.stderr;
  const parsed = parseWrk(out);
  if (r.code !== 0 || !Number.isFinite(parsed.rps)) throw new Error(`wrk failed (${r.code ?? 'killed'}): ${out.trim().slice(-400)}`);
  return { ...parsed, seconds: run.seconds, connections: run.connections, commandLine: `wrk ${args.join(' ')}` };
}
