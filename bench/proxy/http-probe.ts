// A plain-HTTP request through a proxy (absolute-form request line, new connection each time), for
// readiness polling and the correctness checks.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Proc } from '../dns/servers.ts';

export interface ProxiedResponse {
  readonly status: number;
  readonly location: string | null;
  readonly body: string;
}

/** GET `url` through the proxy on 127.0.0.1:`proxyPort`; null when the connection fails or times out. */
export function proxiedGet(proxyPort: number, url: string, timeoutMs = 5000): Promise<ProxiedResponse | null> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: proxyPort, path: url, headers: { host: target.host }, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 65_536) body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: typeof res.headers.location === 'string' ? res.headers.location : null, body }));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls until `url` (a listed name) is answered as blocked; returns ms since `proc` was started.
 * Fails when the process exits or `limitMs` passes.
 */
export async function timeToBlockedResponse(proc: Proc, proxyPort: number, url: string, isBlocked: (r: ProxiedResponse) => boolean, limitMs: number): Promise<number> {
  let last: ProxiedResponse | null = null;
  while (performance.now() - proc.startedAt < limitMs) {
    if (proc.exited) throw new Error(`${proc.label} exited (${proc.exited.signal ?? proc.exited.code}) while starting: ${proc.tail()}`);
    last = await proxiedGet(proxyPort, url, 2000);
    if (last && isBlocked(last)) return performance.now() - proc.startedAt;
    await sleep(last ? 20 : 5);
  }
  throw new Error(`${proc.label} did not answer ${url} as blocked within ${limitMs / 1000} s (last: ${last ? `HTTP ${last.status}` : 'no answer'}): ${proc.tail()}`);
}
