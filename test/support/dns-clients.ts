// Real DNS clients (dig, kdig, curl) run asynchronously, so an in-process server keeps serving.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], timeoutMs = 15_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `dig +short` style answers (one per line), or the status line with `full`. */
export async function dig(port: number, name: string, type = 'A', extra: string[] = []): Promise<Run> {
  return run('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=4', name, type, ...extra]);
}

export function status(out: string): string | null {
  return /status: ([A-Z]+)/.exec(out)?.[1] ?? null;
}

/** The records of the ANSWER SECTION, as [name, ttl, class, type, data] rows. */
export function answers(out: string): string[][] {
  const section = /;; ANSWER SECTION:\n([\s\S]*?)\n\n/.exec(out)?.[1] ?? '';
  return section.split('\n').filter(Boolean).map((l) => l.split(/\s+/));
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl. */
export async function selfSignedCert(): Promise<{ certFile: string; keyFile: string; cert: Buffer }> {
  const dir = mkdtempSync(join(tmpdir(), 'rf-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const r = await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-keyout', keyFile, '-out', certFile, '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  if (r.code !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { certFile, keyFile, cert: readFileSync(certFile) };
}
