// Short dnsperf runs taken in turn by every server, all of them running (the idle ones cost
// nothing): this machine's speed drifts by a quarter within a minute (other tenants), so servers
// measured one after the other were measured on different machines; within a round they share one.
// The targets compare servers round by round: the median over the rounds of A ÷ B in the same round.
import { runDnsperf } from './dnsperf.ts';
import { writeMissFile, type Query } from './lists.ts';
import { say } from './servers.ts';

export interface AlternatedServer {
  readonly name: string;
  readonly port: number;
}

export interface AlternatedRuns {
  readonly rounds: number;
  readonly seconds: number;
  /** The servers in the order each round took them (the same orders for the miss rounds). */
  readonly orders: string[][];
  /** qps of each run, per server, in round order. */
  readonly cached: Record<string, number[]>;
  readonly miss: Record<string, number[]>;
}

export interface AlternatePlan {
  readonly rounds: number;
  readonly seconds: number;
  readonly mixedFile: string;
  readonly mixed: readonly Query[];
  /** Where each round's miss file goes ({round} replaced): fresh names every round. */
  readonly missPath: string;
  readonly missCount: number;
  readonly seed: number;
  readonly outstanding: number;
  readonly loadCpu: number | null;
}

export async function alternate(servers: readonly AlternatedServer[], plan: AlternatePlan): Promise<AlternatedRuns> {
  const cached: Record<string, number[]> = Object.fromEntries(servers.map((s) => [s.name, []]));
  const miss: Record<string, number[]> = Object.fromEntries(servers.map((s) => [s.name, []]));
  const orders: string[][] = [];
  const run = (s: AlternatedServer, file: string, passes?: number) =>
    runDnsperf({ port: s.port, file, outstanding: plan.outstanding, seconds: plan.seconds, passes, cpu: plan.loadCpu, killAfterMs: (plan.seconds + 20) * 1000 });
  // The servers' own cache-miss runs pushed the mixed file's names out of small caches (dnsmasq
  // keeps 50,000): one unmeasured pass each first, then every cached round, then every miss round.
  for (const s of servers) await runDnsperf({ port: s.port, file: plan.mixedFile, outstanding: plan.outstanding, passes: 1, seconds: 60, cpu: plan.loadCpu, killAfterMs: 80_000 });
  for (let i = 0; i < plan.rounds; i++) {
    const order = servers.map((_, k) => servers[(k + i) % servers.length]!);
    orders.push(order.map((s) => s.name));
    for (const s of order) cached[s.name]!.push(Math.round((await run(s, plan.mixedFile)).qps));
    say(`   cached round ${i + 1}: ${order.map((s) => `${s.name} ${cached[s.name]!.at(-1)}`).join(', ')}`);
  }
  for (let i = 0; i < plan.rounds; i++) {
    const order = servers.map((_, k) => servers[(k + i) % servers.length]!);
    // Each server has its own cache, so one file of names never asked before serves the whole round.
    const missFile = plan.missPath.replace('{round}', String(i));
    writeMissFile(missFile, plan.mixed, plan.missCount, plan.seed + i);
    for (const s of order) miss[s.name]!.push(Math.round((await run(s, missFile, 1)).qps));
    say(`   miss round ${i + 1}: ${order.map((s) => `${s.name} ${miss[s.name]!.at(-1)}`).join(', ')}`);
  }
  return { rounds: plan.rounds, seconds: plan.seconds, orders, cached, miss };
}
