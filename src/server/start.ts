// The single process `npm start` runs: the database and control plane, the first school and its
// first administrator, live policy, the DNS server and the proxy sharing one enforcement, the HTTP
// API (and the console), and the background jobs. Enforcement starts from the last good copies on
// disk, so filtering runs even when the database cannot be opened.
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/app.ts';
import { apiRoutes } from '../api/routes/index.ts';
import { schoolVisible } from '../api/routes/schools.ts';
import { clientRegisterFor } from '../services/directory/client-register.ts';
import { openDatabase, type Database } from '../storage/sql/database.ts';
import { describeDatabase } from '../storage/sql/config.ts';
import { ClientRegisterSync } from './client-register.ts';
import { openControlPlane, type ControlPlane } from './control-plane.ts';
import { parseDnsConfig } from './dns-config.ts';
import { startDnsService, type DnsService } from './dns-service.ts';
import { firstStart, type FirstStart } from './first-start.ts';
import { Health } from './health.ts';
import { EnforcementGroup, LivePolicy } from './live-policy.ts';
import { apiContext } from './api-context.ts';
import { parseProxyConfig } from './proxy-config.ts';
import { startProxyService, type ProxyService } from './proxy-service.ts';
import type { StartConfig } from './start-config.ts';
import { BackgroundJobs, type Job } from './background-jobs.ts';
import { SmtpNotifier } from '../notify/smtp-notifier.ts';
import { parseEmailConfig } from '../notify/email-config.ts';
import { runDue } from '../services/unblock/unblock-due.ts';
import type { Policy } from '../core/policy/schema.ts';

export interface RunningRingfence {
  readonly http: { readonly host: string; readonly port: number };
  readonly dns: DnsService;
  readonly proxy: ProxyService;
  readonly plane: ControlPlane;
  readonly first: FirstStart;
  readonly health: Health;
  stop(): Promise<void>;
}

const hostPort = (h: string, p: number) => (h.includes(':') ? `[${h}]:${p}` : `${h}:${p}`);

export async function startRingfence(config: StartConfig, say: (line: string) => void, version = '0.1.0'): Promise<RunningRingfence> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const health = new Health(version, ['database', 'dns', 'proxy', 'api']);
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (e) {
        say(`stopping: ${(e as Error).message}`);
      }
    }
  };
  try {
    const database: Database = await openDatabase(config.database);
    stops.push(() => database.close());
    health.set('database', 'ok', describeDatabase(config.database));
    const notifier = config.smtp ? new SmtpNotifier(parseEmailConfig({ host: config.smtp.host, port: config.smtp.port, from: config.smtp.from })) : undefined;
    if (notifier) stops.push(() => notifier.close());
    const plane = await openControlPlane(database, config.dataDir, { ...(notifier ? { notifier } : {}), onNotifyFailure: say });
    const first = await firstStart(plane, config);

    const enforcements = new EnforcementGroup();
    const live = new LivePolicy({ dataDir: config.dataDir, schoolId: first.school.id, enforcements, clock: plane.clock, say });
    const reconciled = await live.reconcile(() => plane.policy.currentVersion(first.school.id));
    if (reconciled.kind === 'database-unavailable') say(`policy: the database did not answer; enforcing ${reconciled.keeping}`);

    const dns = await startDnsService(parseDnsConfig({ data: config.dataDir, listen: hostPort(config.dns.host, config.dns.port), upstream: config.upstreams.map((u) => hostPort(u.host, u.port)).join(',') }), say);
    stops.push(() => dns.stop());
    enforcements.attach(dns.enforcement);
    health.set('dns', 'ok', `${dns.udp.address}:${dns.udp.port}`);

    const consoleUrl = `http://${hostPort(config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host, config.http.port)}`;
    const proxyConfig = parseProxyConfig({ data: config.dataDir, listen: hostPort(config.proxy.host, config.proxy.port), 'upstream-dns': config.upstreams.map((u) => hostPort(u.host, u.port)).join(','), 'console-url': consoleUrl });
    const proxy = await startProxyService(proxyConfig, say, { enforcement: dns.enforcement });
    stops.push(() => proxy.stop());
    health.set('proxy', 'ok', `${proxy.listening.address}:${proxy.listening.port}`);

    const clients = new ClientRegisterSync({ dataDir: config.dataDir, read: () => clientRegisterFor({ devices: plane.devices, directory: plane.directory }, first.school.id), enforcements, clock: plane.clock, say });
    await clients.refreshClients();
    clients.start();
    stops.push(() => clients.stop());

    const jobs = new BackgroundJobs(nodeJobs(plane, config, live.onPublished), say);
    await jobs.runAll();
    jobs.start();
    stops.push(() => jobs.stop());

    const ctx = apiContext(plane, { version, health, onPublished: live.onPublished, onClientsChanged: () => void clients.refreshClients(), enforcement: dns.enforcement, nodeSchoolId: first.school.id });
    const app: FastifyInstance = await buildApi({
      routes: apiRoutes(ctx),
      sessions: plane.auth,
      schoolVisible: (p, id) => schoolVisible(ctx, p.account.scope, id),
      logError: (e, request) => say(`api: ${request.method} ${request.url.split('?')[0]}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    });
    await app.listen({ host: config.http.host, port: config.http.port });
    stops.push(() => app.close());
    const address = app.server.address() as { address: string; port: number };
    health.set('api', 'ok', `${address.address}:${address.port}`);
    return { http: { host: address.address, port: address.port }, dns, proxy, plane, first, health, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

function nodeJobs(plane: ControlPlane, config: StartConfig, onPublished: (schoolId: string, version: number, document: Policy) => Promise<void>): Job[] {
  const unblock = plane.unblockDeps(onPublished);
  return [
    {
      name: 'sessions',
      everyMs: config.housekeepingEveryMs,
      run: async () => {
        const ended = await plane.auth.purgeStaleSessions();
        return ended > 0 ? `ended ${ended} stale console sessions` : null;
      },
    },
    {
      name: 'unblock requests',
      everyMs: config.housekeepingEveryMs,
      run: async () => {
        const r = await runDue(unblock);
        const parts = [r.activated.length ? `${r.activated.length} started` : '', r.expired.length ? `${r.expired.length} expired` : '', r.failed.length ? `${r.failed.length} failed` : ''].filter(Boolean);
        return parts.length ? parts.join(', ') : null;
      },
    },
  ];
}
