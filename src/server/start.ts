// The single process `npm start` runs. Filtering comes up first, from what is on disk (the last
// good published policy and client register, or the default pack): it never waits for the
// database. Then the control plane: the database, the first school and its first administrator,
// live policy, the client register, the background jobs and the HTTP API (and the console). When
// the control plane cannot start (the database is down, say), filtering goes on and it is tried
// again every 10 s.
import { mkdirSync } from 'node:fs';
import { buildApi } from '../api/app.ts';
import { consoleBuilt, consoleFiles } from '../api/console-files.ts';
import { apiRoutes } from '../api/routes/index.ts';
import { schoolVisible } from '../api/routes/schools.ts';
import { ErrorCodes, isRingfenceError } from '../core/errors.ts';
import { SmtpNotifier } from '../notify/smtp-notifier.ts';
import { parseEmailConfig } from '../notify/email-config.ts';
import { clientRegisterFor } from '../services/directory/client-register.ts';
import { describeDatabase } from '../storage/sql/config.ts';
import { openDatabase } from '../storage/sql/database.ts';
import { apiContext } from './api-context.ts';
import { BackgroundJobs } from './background-jobs.ts';
import { ClientRegisterSync } from './client-register.ts';
import { openControlPlane, type ControlPlane } from './control-plane.ts';
import { parseDnsConfig } from './dns-config.ts';
import { startDnsService, type DnsService } from './dns-service.ts';
import { firstStart, type FirstStart } from './first-start.ts';
import { Health } from './health.ts';
import { EnforcementGroup, LivePolicy } from './live-policy.ts';
import { nodeJobs } from './node-jobs.ts';
import { parseProxyConfig } from './proxy-config.ts';
import { startProxyService, type ProxyService } from './proxy-service.ts';
import type { StartConfig } from './start-config.ts';

const DATABASE_RETRY_MS = 10_000;

/** The parts that need the database. */
export interface RunningControlPlane {
  readonly http: { readonly host: string; readonly port: number };
  readonly plane: ControlPlane;
  readonly first: FirstStart;
}

export interface RunningRingfence {
  readonly dns: DnsService;
  readonly proxy: ProxyService;
  readonly health: Health;
  /** Null while the database cannot be opened (filtering runs meanwhile). */
  control: RunningControlPlane | null;
  /** Resolves once the control plane is up (at once when it already is). */
  readonly controlReady: Promise<RunningControlPlane>;
  stop(): Promise<void>;
}

const hostPort = (h: string, p: number) => (h.includes(':') ? `[${h}]:${p}` : `${h}:${p}`);
type Stops = (() => Promise<void> | void)[];

export async function startRingfence(config: StartConfig, say: (line: string) => void, version = '0.1.0'): Promise<RunningRingfence> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const health = new Health(version, ['database', 'dns', 'proxy', 'api']);
  const stops: Stops = [];
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const stopAll = async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (e) {
        say(`stopping: ${(e as Error).message}`);
      }
    }
  };
  try {
    const upstream = config.upstreams.map((u) => hostPort(u.host, u.port)).join(',');
    const dns = await startDnsService(parseDnsConfig({ data: config.dataDir, listen: hostPort(config.dns.host, config.dns.port), upstream }), say);
    stops.push(() => dns.stop());
    health.set('dns', 'ok', `${dns.udp.address}:${dns.udp.port}`);
    const consoleUrl = `http://${hostPort(config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host, config.http.port)}`;
    const proxyConfig = parseProxyConfig({ data: config.dataDir, listen: hostPort(config.proxy.host, config.proxy.port), 'upstream-dns': upstream, 'console-url': consoleUrl });
    const proxy = await startProxyService(proxyConfig, say, { enforcement: dns.enforcement });
    stops.push(() => proxy.stop());
    health.set('proxy', 'ok', `${proxy.listening.address}:${proxy.listening.port}`);
    const enforcements = new EnforcementGroup();
    enforcements.attach(dns.enforcement);

    const running: RunningRingfence = { dns, proxy, health, control: null, controlReady: Promise.resolve(null as never), stop: stopAll };
    const attempt = () => startControlPlane(config, say, version, health, dns, proxy, enforcements, stops);
    try {
      running.control = await attempt();
      (running as { controlReady: Promise<RunningControlPlane> }).controlReady = Promise.resolve(running.control);
    } catch (e) {
      // Filtering is up: whatever keeps the control plane from starting (the database, a port in
      // use, a damaged key) is reported and tried again; DNS and the proxy are never stopped for it.
      const why = (e as Error).message;
      if (isRingfenceError(e) && e.code === ErrorCodes.DATABASE_UNAVAILABLE) health.set('database', 'down', why);
      health.set('api', 'down', why);
      say(`control plane: ${why}; filtering goes on with the last good policy, and the control plane is tried again every ${DATABASE_RETRY_MS / 1000} s`);
      (running as { controlReady: Promise<RunningControlPlane> }).controlReady = new Promise((resolve) => {
        const again = () => {
          retry = setTimeout(() => {
            if (stopped) return;
            attempt().then((control) => {
              running.control = control;
              say('control plane: up');
              resolve(control);
            }, (error: Error) => {
              say(`control plane: still not up: ${error.message}`);
              again();
            });
          }, DATABASE_RETRY_MS);
          retry.unref();
        };
        again();
      });
    }
    return running;
  } catch (e) {
    await stopAll();
    throw e;
  }
}

async function startControlPlane(config: StartConfig, say: (line: string) => void, version: string, health: Health, dns: DnsService, proxy: ProxyService, enforcements: EnforcementGroup, stops: Stops): Promise<RunningControlPlane> {
  const mine: Stops = [];
  try {
    const database = await openDatabase(config.database);
    mine.push(() => database.close());
    health.set('database', 'ok', describeDatabase(config.database));
    const notifier = config.smtp ? new SmtpNotifier(parseEmailConfig({ host: config.smtp.host, port: config.smtp.port, from: config.smtp.from })) : undefined;
    if (notifier) mine.push(() => notifier.close());
    const plane = await openControlPlane(database, config.dataDir, { ...(notifier ? { notifier } : {}), onNotifyFailure: say });
    const first = await firstStart(plane, config);
    const schoolId = first.school.id;

    const live = new LivePolicy({ dataDir: config.dataDir, schoolId, enforcements, clock: plane.clock, say });
    const reconciled = await live.reconcile(() => plane.policy.currentVersion(schoolId));
    if (reconciled.kind === 'database-unavailable') say(`policy: the database did not answer; enforcing ${reconciled.keeping}`);
    const clients = new ClientRegisterSync({ dataDir: config.dataDir, read: () => clientRegisterFor({ devices: plane.devices, directory: plane.directory }, schoolId), enforcements, clock: plane.clock, say });
    await clients.refreshClients();
    clients.start();
    mine.push(() => clients.stop());
    const jobs = new BackgroundJobs(nodeJobs(plane, config, schoolId, live.onPublished), say);
    mine.push(() => jobs.stop());

    // The block page words: the database's brought into force if the file on disk had others.
    const blockText = await readBlockPageText(plane, schoolId, say);
    if (blockText !== undefined) proxy.blockPage.adopt(schoolId, blockText);
    const ctx = apiContext(plane, {
      version,
      health,
      onPublished: live.onPublished,
      // Never thrown into the request: the register is read again on the next change or in 30 s.
      onClientsChanged: () => void clients.refreshClients().catch((e: Error) => say(`clients: could not re-read the device register: ${e.message}`)),
      onListsChanged: () => enforcements.reloadAll(),
      logError: (e) => say(`lists: an import failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
      enforcement: dns.enforcement,
      nodeSchoolId: schoolId,
      onBlockPageTextChanged: proxy.blockPage.onSaved,
    });
    const app = await buildApi({
      routes: apiRoutes(ctx),
      sessions: plane.auth,
      schoolVisible: (p, id) => schoolVisible(ctx, p.account.scope, id),
      logError: (e, request) => say(`api: ${request.method} ${request.url.split('?')[0]}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
      extra: consoleFiles(),
    });
    if (!consoleBuilt()) say('console: web/dist is missing; run npm run build:web (the API works without it)');
    await app.listen({ host: config.http.host, port: config.http.port });
    mine.push(() => app.close());
    const address = app.server.address() as { address: string; port: number };
    health.set('api', 'ok', `${address.address}:${address.port}`);
    // Jobs begin once the API answers: a long catch-up of activity must not hold the start.
    jobs.start();
    void jobs.runAll();
    stops.push(...mine);
    return { http: { host: address.address, port: address.port }, plane, first };
  } catch (e) {
    for (const stop of mine.reverse()) await Promise.resolve(stop()).catch(() => {});
    throw e;
  }
}

/** The school's saved block page text (null: never set); undefined (keep what is in force) when the database does not answer. */
async function readBlockPageText(plane: ControlPlane, schoolId: string, say: (line: string) => void) {
  try {
    const stored = await plane.schoolSettings.blockPageText(schoolId);
    return stored ? { text: stored.text, savedAt: stored.updatedAt } : null;
  } catch (e) {
    say(`block page text: cannot read it from the database (${(e as Error).message}); showing the text in force`);
    return undefined;
  }
}
