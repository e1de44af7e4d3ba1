// A web proxy on an ephemeral loopback port with everything it needs on loopback: a DNS fixture
// that answers 127.0.0.1 for every name (so every tunnel goes to 127.0.0.1), and test sites over
// HTTP and HTTPS (self-signed) that echo what reached them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import type { Policy } from '../../src/core/policy/schema.ts';
import { parseProxyConfig, type ProxyOptionsInput } from '../../src/server/proxy-config.ts';
import { startProxyService, type ProxyService } from '../../src/server/proxy-service.ts';
import { AccountService } from '../../src/services/accounts/account-service.ts';
import { Argon2Hasher } from '../../src/storage/crypto/argon2-hasher.ts';
import { AccountFile } from '../../src/storage/files/account-file.ts';
import { loadDefaultPack } from '../../src/storage/files/pack-files.ts';
import { selfSignedCert } from './dns-clients.ts';
import { startDnsFixture, type DnsFixture } from './dns-fixture.ts';

/** What a test site saw of one request (it answers this as JSON). */
export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly bodyBytes: number;
  readonly tls: boolean;
}

export interface TestSites {
  readonly httpPort: number;
  readonly httpsPort: number;
  /** A port with nothing listening (an unreachable site). */
  readonly closedPort: number;
  readonly seen: Seen[];
  close(): Promise<void>;
}

function handler(tls: boolean, seen: Seen[]): http.RequestListener {
  return (req, res) => {
    let bodyBytes = 0;
    req.on('data', (c: Buffer) => (bodyBytes += c.length));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodyBytes, tls };
      seen.push(s);
      if (req.url === '/hang') return; // a site that stops answering
      const big = /^\/bytes\/(\d+)$/.exec(req.url ?? '');
      if (big) {
        const n = Number(big[1]);
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': n });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        let left = n;
        const pump = () => {
          while (left > 0) {
            const part = chunk.subarray(0, Math.min(chunk.length, left));
            left -= part.length;
            if (!res.write(part)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      const body = JSON.stringify(s);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Site': 'test-site' });
      res.end(body);
    });
  };
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function startTestSites(): Promise<TestSites> {
  const seen: Seen[] = [];
  const { certFile, keyFile } = await selfSignedCert();
  const plain = http.createServer(handler(false, seen));
  const secure = https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, handler(true, seen));
  const closed = http.createServer();
  const httpPort = await listen(plain);
  const httpsPort = await listen(secure);
  const closedPort = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return {
    httpPort,
    httpsPort,
    closedPort,
    seen,
    async close() {
      for (const s of [plain, secure]) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}

export interface TestProxy {
  readonly port: number;
  readonly url: string;
  readonly dns: DnsFixture;
  readonly service: ProxyService;
  readonly dataDir: string;
  readonly lines: string[];
  stop(): Promise<void>;
}

export interface TestProxyOptions {
  readonly sites: TestSites;
  readonly options?: Partial<ProxyOptionsInput>;
  /** Changes to the default pack before it is written as the data folder's policy. */
  readonly policy?: (p: Policy) => void;
  /** clients.csv contents; by default 127.0.0.3 is nominated staff and the rest of 127/8 KS2 pupils. */
  readonly clients?: string;
  readonly accounts?: readonly { username: string; password: string; groups: string[] }[];
}

export const DEFAULT_CLIENTS = 'address,group,user\n127.0.0.3,nominated-staff,teacher.n\n127.0.0.0/8,pupils-ks2\n';

export async function startTestProxy(o: TestProxyOptions): Promise<TestProxy> {
  const dns = await startDnsFixture({ loopback: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'rf-proxy-'));
  const policy = loadDefaultPack();
  o.policy?.(policy);
  writeFileSync(join(dataDir, 'policy.yaml'), toYaml(policy));
  const clients = join(dataDir, 'clients.csv');
  writeFileSync(clients, o.clients ?? DEFAULT_CLIENTS);
  if (o.accounts?.length) {
    const service = new AccountService({ store: new AccountFile(dataDir), hasher: new Argon2Hasher(), clock: { now: () => new Date() }, knownGroups: new Set(policy.groups.map((g) => g.id)) });
    for (const a of o.accounts) await service.createAccount(a);
  }
  const { sites } = o;
  const config = parseProxyConfig({
    listen: '127.0.0.1:0',
    'upstream-dns': `127.0.0.1:${dns.port}`,
    clients,
    'allow-ports': `80,443,${sites.httpPort},${sites.httpsPort},${sites.closedPort}`,
    'console-url': 'https://console.school.test/',
    ...o.options,
    data: dataDir,
  });
  const lines: string[] = [];
  const service = await startProxyService(config, (l) => lines.push(l));
  const port = service.listening.port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    dns,
    service,
    dataDir,
    lines,
    async stop() {
      await service.stop();
      await dns.close();
    },
  };
}

/** The proxy's activity records so far (flushed first). */
export async function proxyLog(p: TestProxy): Promise<Record<string, unknown>[]> {
  await p.service.activity.flush();
  const day = new Date().toISOString().slice(0, 10);
  try {
    return readFileSync(join(p.dataDir, 'logs', 'proxy', `${day}.jsonl`), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}
