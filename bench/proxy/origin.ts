// The origin both proxies fetch from: nginx (Debian nginx-light) on loopback, one process in the
// foreground with its own prefix and config in the run's temp folder. nginx rather than a Node
// server so the origin is not the bottleneck: it answers the small response from its config
// without touching a file and serves the bulk file with a few large buffers, at a small fraction
// of the CPU a proxy spends per request (the report measures it directly as a reference).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Proc } from '../dns/servers.ts';

/** The 100-byte body of the small plain-HTTP response. */
export const SMALL_BODY = 'ringfence-proxy-bench-small-response-'.padEnd(99, '0123456789') + '\n';
/** Every request names the origin by this name: each proxy must resolve it (to 127.0.0.1). */
export const ORIGIN_NAME = 'origin.bench.test';

export interface OriginFiles {
  readonly conf: string;
  readonly prefix: string;
  readonly bulkBytes: number;
  /** Size of /bulk on the plain-HTTP port (bytes through the tunnel as they are, no TLS). */
  readonly plainBulkBytes: number;
}

/** Self-signed certificate for ORIGIN_NAME (curl runs with -k; the proxies only tunnel the bytes). */
function writeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'origin-cert.pem');
  const key = join(dir, 'origin-key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-keyout', key, '-out', cert, '-subj', `/CN=${ORIGIN_NAME}`, '-addext', `subjectAltName=DNS:${ORIGIN_NAME}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl could not make the origin's certificate: ${r.stderr}`);
  return { cert, key };
}

/** A sparse file: reads come from zero pages, so no disk is involved; TLS costs the same for any bytes. */
function sparseFile(path: string, bytes: number): void {
  const t = spawnSync('truncate', ['-s', String(bytes), path]);
  if (t.status !== 0) throw new Error(`could not create the bulk file ${path}`);
}

export function writeOriginFiles(dir: string, httpPort: number, tlsPort: number, bulkMiB: number, plainBulkMiB: number): OriginFiles {
  const prefix = join(dir, 'nginx');
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const { cert, key } = writeCertificate(dir);
  const bulk = join(prefix, 'bulk.bin');
  const bulkBytes = bulkMiB * 1024 * 1024;
  sparseFile(bulk, bulkBytes);
  const plainBulk = join(prefix, 'bulk-plain.bin');
  const plainBulkBytes = plainBulkMiB * 1024 * 1024;
  sparseFile(plainBulk, plainBulkBytes);
  const temp = (name: string) => `${name}_temp_path ${join(prefix, 'tmp', name)};`;
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    [
      '# Ringfence proxy benchmark origin: one nginx process in the foreground, loopback only.',
      'daemon off;',
      'master_process off;',
      'worker_rlimit_nofile 65536;',
      `pid ${join(prefix, 'nginx.pid')};`,
      'error_log stderr warn;',
      'events { worker_connections 16384; multi_accept on; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((n) => `  ${temp(n)}`),
      // Proxies keep their upstream connections open: never make them reconnect mid-run.
      '  keepalive_requests 100000000;',
      '  keepalive_timeout 300s;',
      '  server {',
      `    listen 127.0.0.1:${httpPort} backlog=4096;`,
      `    location = /small { default_type text/plain; return 200 "${SMALL_BODY.replace('\n', '\\n')}"; }`,
      '    output_buffers 2 256k;',
      `    location = /bulk { default_type application/octet-stream; alias ${plainBulk}; }`,
      '  }',
      '  server {',
      `    listen 127.0.0.1:${tlsPort} ssl backlog=4096;`,
      `    ssl_certificate ${cert};`,
      `    ssl_certificate_key ${key};`,
      '    ssl_protocols TLSv1.2 TLSv1.3;',
      '    output_buffers 2 256k;',
      `    location = /small { default_type text/plain; return 200 "${SMALL_BODY.replace('\n', '\\n')}"; }`,
      `    location = /bulk { default_type application/octet-stream; alias ${bulk}; }`,
      '  }',
      '}',
    ].join('\n') + '\n',
  );
  return { conf, prefix, bulkBytes, plainBulkBytes };
}

export function startOrigin(nginx: string, files: OriginFiles, cpu: number | null): Proc {
  return new Proc('origin nginx', cpu, nginx, ['-p', files.prefix, '-c', files.conf, '-e', 'stderr']);
}

/** Resolves once the origin answers /small with the expected body directly (no proxy). */
export async function originReady(proc: Proc, httpPort: number, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (proc.exited) throw new Error(`origin nginx exited: ${proc.tail()}`);
    const body = await new Promise<string | null>((resolve) => {
      const req = request({ host: '127.0.0.1', port: httpPort, path: '/small', agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(res.statusCode === 200 ? text : null));
      });
      req.on('error', () => resolve(null)).end();
    });
    if (body === SMALL_BODY) return;
    if (body !== null) throw new Error(`origin answered /small with an unexpected body: ${JSON.stringify(body.slice(0, 120))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`origin nginx did not answer within ${limitMs / 1000} s: ${proc.tail()}`);
}
