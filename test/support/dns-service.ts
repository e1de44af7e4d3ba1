// A DNS service on an ephemeral loopback port, forwarding to a fresh fixture upstream.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDnsConfig, type DnsOptionsInput } from '../../src/server/dns-config.ts';
import { startDnsService, type DnsService } from '../../src/server/dns-service.ts';
import { startDnsFixture, type DnsFixture } from './dns-fixture.ts';

export interface TestDns {
  readonly upstream: DnsFixture;
  readonly service: DnsService;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export async function startTestDns(options: Partial<DnsOptionsInput> = {}, say: (line: string) => void = () => {}): Promise<TestDns> {
  const upstream = await startDnsFixture();
  const dataDir = options.data ?? mkdtempSync(join(tmpdir(), 'rf-dns-'));
  const config = parseDnsConfig({ listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}`, 'rate-limit': '0', ...options, data: dataDir });
  const service = await startDnsService(config, say);
  return {
    upstream,
    service,
    dataDir,
    async stop() {
      await service.stop();
      await upstream.close();
    },
  };
}
