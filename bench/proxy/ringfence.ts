// Ringfence's side: a data folder holding the block list, made as bench/dns makes it (the list
// imported as one `domains` list in category pornography, which the default policy pack blocks for
// everyone (row 5); the import compiles the snapshot), the upstream DNS its proxy resolves
// through, and the proxy's command line.
import { join } from 'node:path';
import { Prober, Proc } from '../dns/servers.ts';
import { writeDomainsFile } from '../dns/lists.ts';
import { runStep } from './load-process.ts';
import { ORIGIN_NAME } from './origin.ts';

export interface RingfenceData {
  readonly dataDir: string;
  /** `ringfence lists import` wall time, snapshot compile included. */
  readonly importMs: number;
  readonly summary: string;
}

export async function prepareRingfenceData(repo: string, dir: string, names: readonly string[]): Promise<RingfenceData> {
  const domainsFile = join(dir, 'blocklist.txt');
  writeDomainsFile(domainsFile, names);
  const dataDir = join(dir, 'ringfence-data');
  const args = ['bin/ringfence.mjs', 'lists', 'import', '--format', 'domains', '--path', domainsFile, '--name', 'bench/blocklist', '--category', 'pornography', '--data', dataDir];
  const imp = await runStep('ringfence lists import', process.execPath, args, repo, 300_000);
  if (!imp.ok) throw new Error(`ringfence lists import failed: ${imp.output.trim().slice(-600)}`);
  return { dataDir, importMs: imp.ms, summary: imp.stdout.trim().split('\n').join(' / ') };
}

/** The upstream DNS: dnsmasq answering every name with 127.0.0.1 (A only; AAAA gets no address). */
export function startUpstreamDns(dnsmasq: string, port: number, cpu: number | null): Proc {
  return new Proc('upstream dnsmasq', cpu, dnsmasq, ['--no-daemon', '--no-resolv', '--no-hosts', '--listen-address=127.0.0.1', '--bind-interfaces', `--port=${port}`, '--address=/#/127.0.0.1', '--cache-size=0', '--local-ttl=3600', '--log-facility=/dev/null']);
}

export async function upstreamDnsReady(port: number, proc: Proc): Promise<void> {
  const prober = new Prober(port);
  try {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (proc.exited) throw new Error(`upstream dnsmasq exited: ${proc.tail()}`);
      const a = await prober.ask(ORIGIN_NAME, 'A', 100);
      if (a) {
        if (a.data[0] !== '127.0.0.1') throw new Error(`upstream answers ${ORIGIN_NAME} with ${a.rcode} ${a.data}, not 127.0.0.1`);
        return;
      }
    }
    throw new Error(`upstream dnsmasq did not answer within 10 s: ${proc.tail()}`);
  } finally {
    prober.close();
  }
}

export function ringfenceArgs(o: { port: number; upstreamPort: number; dataDir: string; originPorts: readonly number[] }): string[] {
  // --allow-non-tls-tunnels: the plain-bytes bulk run tunnels HTTP, which squid lets through as it
  // lets any CONNECT to an allowed port; once a tunnel is joined the bytes take the same path either way.
  return ['bin/ringfence.mjs', 'proxy', '--listen', `127.0.0.1:${o.port}`, '--upstream-dns', `127.0.0.1:${o.upstreamPort}`, '--data', o.dataDir, '--allow-ports', ['80', '443', ...o.originPorts.map(String)].join(','), '--allow-non-tls-tunnels'];
}

export function isRingfenceBlock(r: { status: number }): boolean {
  return r.status === 403;
}
