// squid with squidGuard as its URL rewriter: configs in the run's temp folder, the block list as a
// squidGuard `domainlist` compiled to its Berkeley DB (`squidGuard -C all`, timed: squid's list
// load), and squid's command line. squid runs in the foreground as root and drops to the Debian
// `proxy` user, so its folder is handed to that user.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStep } from './load-process.ts';
import { ORIGIN_NAME } from './origin.ts';

/** Where squidGuard sends a blocked request (never fetched: the 302 itself is the verdict). */
export const SQUIDGUARD_REDIRECT = 'http://blocked.bench.test/denied';
const SQUID_USER = 'proxy';

export interface SquidSetup {
  readonly conf: string;
  /** `squidGuard -C all` wall time: turning the plain list into the database the helpers read. */
  readonly compileMs: number;
  readonly dbBytes: number;
  readonly children: number;
  readonly queueSize: number;
}

export interface SquidOptions {
  readonly dir: string;
  readonly squidGuard: string;
  readonly names: readonly string[];
  readonly port: number;
  readonly originPorts: readonly number[];
  /** url_rewrite_children: squidGuard answers one request at a time, so this is squid's parallelism. */
  readonly children: number;
  readonly connections: number;
}

function writeSquidGuard(dir: string, names: readonly string[]): string {
  const db = join(dir, 'db');
  mkdirSync(join(db, 'blocked'), { recursive: true });
  writeFileSync(join(db, 'blocked', 'domains'), names.join('\n') + '\n');
  const conf = join(dir, 'squidGuard.conf');
  writeFileSync(
    conf,
    [
      '# Ringfence proxy benchmark: the block list as one squidGuard destination, everything else passes.',
      `dbhome ${db}`,
      `logdir ${dir}`,
      'dest blocked {',
      '  domainlist blocked/domains',
      '}',
      'acl {',
      '  default {',
      '    pass !blocked all',
      `    redirect 302:${SQUIDGUARD_REDIRECT}?url=%u`,
      '  }',
      '}',
    ].join('\n') + '\n',
  );
  return conf;
}

export async function prepareSquid(o: SquidOptions): Promise<SquidSetup> {
  if (spawnSync('id', ['-u', SQUID_USER]).status !== 0) throw new Error(`the user ${SQUID_USER} (made by the Debian squid package) does not exist`);
  const dir = join(o.dir, 'squid');
  const sgDir = join(dir, 'squidguard');
  mkdirSync(sgDir, { recursive: true });
  const sgConf = writeSquidGuard(sgDir, o.names);
  const c = await runStep('squidGuard -C all', o.squidGuard, ['-c', sgConf, '-C', 'all'], undefined, 600_000);
  const dbFile = join(sgDir, 'db', 'blocked', 'domains.db');
  let dbBytes = 0;
  try {
    dbBytes = statSync(dbFile).size;
  } catch {
    /* reported below */
  }
  if (!c.ok || dbBytes === 0) throw new Error(`squidGuard -C all failed (${dbFile} ${dbBytes} bytes): ${c.output.trim().slice(-400)}`);
  writeFileSync(join(dir, 'hosts'), `127.0.0.1 ${ORIGIN_NAME}\n`);
  const queueSize = Math.max(2 * o.children, 2 * o.connections);
  const conf = join(dir, 'squid.conf');
  writeFileSync(
    conf,
    [
      '# Ringfence proxy benchmark: squid as a filtering forward proxy, no cache, squidGuard as URL rewriter.',
      `http_port 127.0.0.1:${o.port}`,
      'max_filedescriptors 65536',
      `cache_effective_user ${SQUID_USER}`,
      `cache_effective_group ${SQUID_USER}`,
      `pid_filename ${join(dir, 'squid.pid')}`,
      `cache_log ${join(dir, 'cache.log')}`,
      // Logged like a school would run it (buffered stdio, in squid's own process).
      `access_log stdio:${join(dir, 'access.log')}`,
      `coredump_dir ${dir}`,
      'cache deny all',
      'cache_mem 0 MB',
      // The origin's name from a hosts file: squid's dns_nameservers takes no port, so it cannot ask
      // the benchmark's upstream dnsmasq; loopback port 53 (nothing there) so nothing leaves the machine.
      `hosts_file ${join(dir, 'hosts')}`,
      'dns_nameservers 127.0.0.1',
      'pinger_enable off',
      'shutdown_lifetime 0 seconds',
      'acl bench_clients src 127.0.0.1',
      `acl bench_ports port ${o.originPorts.join(' ')}`,
      'http_access deny !bench_ports',
      'http_access allow bench_clients',
      'http_access deny all',
      `url_rewrite_program ${o.squidGuard} -c ${sgConf}`,
      // squidGuard 1.6 cannot take concurrent requests (it answers ERR to channel ids): one per helper.
      `url_rewrite_children ${o.children} startup=${o.children} idle=1 concurrency=0 queue-size=${queueSize}`,
    ].join('\n') + '\n',
  );
  // squid and its helpers run as `proxy`: the temp folder must be traversable and squid's folder theirs.
  chmodSync(o.dir, 0o755);
  const own = spawnSync('chown', ['-R', `${SQUID_USER}:${SQUID_USER}`, dir]);
  if (own.status !== 0) throw new Error(`chown ${SQUID_USER} ${dir} failed (the benchmark runs squid as root, dropping to ${SQUID_USER})`);
  return { conf, compileMs: c.ms, dbBytes, children: o.children, queueSize };
}

export function squidArgs(conf: string): string[] {
  return ['-N', '-d', '1', '-f', conf];
}

export function isSquidGuardBlock(r: { status: number; location: string | null }): boolean {
  return r.status === 302 && (r.location ?? '').startsWith(SQUIDGUARD_REDIRECT);
}
