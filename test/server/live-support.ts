// A DNS service on a data folder with live policy wired as the single-process server wires it:
// one EnforcementGroup, the LivePolicy publisher, and answers read with dig (optionally from another
// loopback source address).
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnforcementGroup, LivePolicy } from '../../src/server/live-policy.ts';
import { answers, dig } from '../support/dns-clients.ts';
import { startTestDns, type TestDns } from '../support/dns-service.ts';

export const BLOCKED = '0.0.0.0';

export interface LiveDns {
  readonly dns: TestDns;
  readonly dataDir: string;
  readonly said: string[];
  /** The first A record dig gets for `name`, asking from `from` (default 127.0.0.1). */
  answer(name: string, from?: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'rf-live-'));
}

export async function startLiveDns(dataDir: string, enforcements: EnforcementGroup, options: { clients?: string } = {}): Promise<LiveDns> {
  const said: string[] = [];
  const dns = await startTestDns({ data: dataDir, ...(options.clients ? { clients: options.clients } : {}) }, (l) => said.push(l));
  const detach = enforcements.attach(dns.service.enforcement);
  return {
    dns,
    dataDir,
    said,
    async answer(name, from) {
      const out = await dig(dns.service.udp.port, name, 'A', from ? ['-b', from] : []);
      return answers(out.stdout)[0]?.[4];
    },
    async stop() {
      detach();
      await dns.stop();
    },
  };
}

export function livePolicy(dataDir: string, schoolId: string, enforcements: EnforcementGroup, said: string[]): LivePolicy {
  return new LivePolicy({ dataDir, schoolId, enforcements, clock: { now: () => new Date() }, say: (l) => said.push(l) });
}

/** A loopback port nothing listens on (a database that is down). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
