// Wires the DNS server: enforcement from the data folder (reloaded live), the upstream forwarder,
// the answer cache, the activity log, and the UDP, TCP and DoH listeners.
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { join } from 'node:path';
import { ClientMap } from '../core/directory/client-map.ts';
import { parseDeviceTokens, type DeviceIdentity } from '../core/directory/device-tokens.ts';
import { ErrorCodes, RingfenceError } from '../core/errors.ts';
import { DnsPipeline } from '../dns/pipeline.ts';
import { RateLimiter } from '../dns/rate-limit.ts';
import { startDoh } from '../dns/server/doh.ts';
import { startTcp } from '../dns/server/tcp.ts';
import { startUdp, type Listening } from '../dns/server/udp.ts';
import { Forwarder } from '../dns/upstream/forwarder.ts';
import { ResponseCache } from '../dns/wire/cache.ts';
import { LiveEnforcement, type EnforcementEvent } from '../services/live-enforcement.ts';
import { JsonlActivityLog } from '../storage/files/activity-log.ts';
import { policyPath } from '../storage/files/pack-files.ts';
import { SnapshotStore } from '../storage/files/snapshot-store.ts';
import type { DnsConfig } from './dns-config.ts';
import { loadEnforcement } from './wiring.ts';

export interface DnsService {
  readonly udp: Listening;
  readonly tcp: Listening;
  readonly doh: Listening | null;
  readonly pipeline: DnsPipeline;
  readonly enforcement: LiveEnforcement;
  readonly activity: JsonlActivityLog;
  reload(): Promise<boolean>;
  stop(): Promise<void>;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new RingfenceError(ErrorCodes.LIST_UNREADABLE, `cannot read the ${what} ${path}: ${(e as Error).message}`, path);
  }
}

export async function startDnsService(config: DnsConfig, say: (line: string) => void): Promise<DnsService> {
  let tokens: ReadonlyMap<string, DeviceIdentity> = new Map();
  const load = async () => {
    const started = performance.now();
    const loaded = await loadEnforcement(config.dataDir);
    const groups = new Set(loaded.engine.compiled.policy.groups.map((g) => g.id));
    const clients = config.clientsFile ? ClientMap.parse(readText(config.clientsFile, 'clients file'), groups, config.clientsFile) : ClientMap.empty();
    // Tokens are replaced together with the policy they name groups of.
    if (config.doh?.tokensFile) tokens = parseDeviceTokens(readText(config.doh.tokensFile, 'device tokens file'), groups, config.doh.tokensFile);
    const ms = Math.round(performance.now() - started);
    const t = loaded.timings;
    return { engine: loaded.engine, clients, version: `lists v${loaded.snapshot.version} (${loaded.snapshot.domainCount} domains), policy from ${loaded.policySource}; lists loaded in ${t.listsMs} ms, policy in ${t.policyMs} ms, engine in ${t.engineMs} ms (${ms} ms in all)`, loadedAt: new Date(), problems: loaded.skipped };
  };
  const report = (e: EnforcementEvent) => {
    if (e.kind === 'loaded') {
      for (const p of e.problems) say(`skipped a damaged snapshot: ${p}`);
      say(`enforcing ${e.version}${e.warnings.length ? ` (${e.warnings.length} warnings; \`ringfence lists status\` shows them)` : ''}`);
    } else {
      say(`reload failed, still enforcing ${e.keeping}: ${e.error.message}`);
    }
  };
  const enforcement = new LiveEnforcement(load, report);
  await enforcement.start();

  const onError = (e: Error) => say(`dns: ${e.message}`);
  const forwarder = new Forwarder({ upstreams: [...config.upstreams] });
  const cache = new ResponseCache({ maxBytes: config.cacheBytes }, Date.now);
  const activity = new JsonlActivityLog(join(config.dataDir, 'logs'), { onError: (e) => say(`activity log: ${e.message}`) });
  const pipeline = new DnsPipeline(enforcement, forwarder, cache, activity, { blockAnswer: config.blockAnswer, answerTtl: config.answerTtl });
  const limiter = new RateLimiter(config.rateLimit);

  const listeners: Listening[] = [];
  const closeAll = async () => {
    for (const l of listeners.splice(0)) await l.close();
  };
  try {
    const udp = await startUdp(pipeline, config.listen.host, config.listen.port, limiter, onError);
    listeners.push(udp);
    // TCP on the same port as UDP (which may have been chosen by the system when port 0 was asked).
    const tcp = await startTcp(pipeline, config.listen.host, udp.port, limiter, onError);
    listeners.push(tcp);
    let doh: Listening | null = null;
    if (config.doh) {
      const d = config.doh;
      doh = await startDoh(pipeline, d.listen.host, d.listen.port, limiter, { cert: Buffer.from(readText(d.certFile, 'TLS certificate')), key: Buffer.from(readText(d.keyFile, 'TLS key')), tokens: () => tokens }, onError);
      listeners.push(doh);
    }
    const watched = [policyPath(config.dataDir), join(new SnapshotStore(config.dataDir).dir, 'current.json'), config.clientsFile, config.doh?.tokensFile].filter((p): p is string => !!p);
    // watchFile also reports a file that is still missing; only a real change means a reload.
    const onChange = (now: Stats, before: Stats) => {
      if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino || now.size !== before.size) void enforcement.reload();
    };
    for (const path of watched) watchFile(path, { interval: config.reloadCheckMs, persistent: false }, onChange);
    let stopped = false;
    return {
      udp,
      tcp,
      doh,
      pipeline,
      enforcement,
      activity,
      reload: () => enforcement.reload(),
      async stop() {
        if (stopped) return;
        stopped = true;
        for (const path of watched) unwatchFile(path, onChange);
        await closeAll();
        await forwarder.close();
        await activity.close();
      },
    };
  } catch (e) {
    await closeAll();
    await forwarder.close();
    await activity.close();
    throw e;
  }
}
