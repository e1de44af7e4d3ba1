// Wires the DNS server: enforcement from the data folder (reloaded live), the upstream forwarder,
// the answer cache, the activity log, and the UDP, TCP and DoH listeners.
import { join } from 'node:path';
import { parseDeviceTokens, type DeviceIdentity } from '../core/directory/device-tokens.ts';
import { DnsPipeline } from '../dns/pipeline.ts';
import { RateLimiter } from '../dns/rate-limit.ts';
import { startTcp } from '../dns/server/tcp.ts';
import { startUdp, type Listening } from '../dns/server/udp.ts';
import { Forwarder } from '../dns/upstream/forwarder.ts';
import { ResponseCache } from '../dns/wire/cache.ts';
import type { LiveEnforcement } from '../services/live-enforcement.ts';
import { JsonlActivityLog } from '../storage/files/activity-log.ts';
import type { DnsConfig } from './dns-config.ts';
import { readText, startEnforcement } from './enforcement.ts';

/** Port pairs tried when any free port will do (UDP's pick may be taken for TCP). */
const ANY_PORT_TRIES = 5;

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

/** Enforcement started elsewhere and shared (the single-process start runs DNS and the proxy on one). */
export interface SharedEnforcement {
  readonly enforcement: LiveEnforcement;
}

export async function startDnsService(config: DnsConfig, say: (line: string) => void, shared?: SharedEnforcement): Promise<DnsService> {
  let tokens: ReadonlyMap<string, DeviceIdentity> = new Map();
  const tokensFile = config.doh?.tokensFile ?? null;
  const { enforcement, stop: stopWatching } = shared ? { enforcement: shared.enforcement, stop: () => {} } : await startEnforcement(
    {
      dataDir: config.dataDir,
      clientsFile: config.clientsFile,
      // Tokens are replaced together with the policy they name groups of.
      alsoLoad: tokensFile ? (groups) => void (tokens = parseDeviceTokens(readText(tokensFile, 'device tokens file'), groups, tokensFile)) : undefined,
      extraWatched: tokensFile ? [tokensFile] : [],
      reloadCheckMs: config.reloadCheckMs,
    },
    say,
  );

  const onError = (e: Error) => say(`dns: ${e.message}`);
  const forwarder = new Forwarder({ upstreams: [...config.upstreams] });
  const cache = new ResponseCache({ maxBytes: config.cacheBytes }, Date.now);
  const activity = new JsonlActivityLog(join(config.dataDir, 'logs'), { onError: (e) => say(`activity log: ${e.message}`) });
  const pipeline = new DnsPipeline(enforcement, forwarder, cache, activity, { blockAnswer: config.blockAnswer, answerTtl: config.answerTtl });
  const limiter = new RateLimiter(config.rateLimit);

  const listeners: Listening[] = [];
  const cleanUp = async () => {
    stopWatching();
    for (const l of listeners.splice(0)) await l.close();
    await forwarder.close();
    await activity.close();
  };
  try {
    // TCP on the same port as UDP. When port 0 was asked for, the system picks UDP's port, and a
    // TCP listener of another program may already hold that number: then both try another.
    const tries = config.listen.port === 0 ? ANY_PORT_TRIES : 1;
    let udp: Listening | null = null;
    for (let attempt = 1; udp === null; attempt++) {
      const u = await startUdp(pipeline, config.listen.host, config.listen.port, limiter, onError);
      listeners.push(u);
      try {
        listeners.push(await startTcp(pipeline, config.listen.host, u.port, limiter, onError));
        udp = u;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= tries) throw e;
        await listeners.pop()!.close();
      }
    }
    const tcp = listeners[listeners.length - 1]!;
    let doh: Listening | null = null;
    if (config.doh) {
      const d = config.doh;
      // Loaded only when asked for: node:http2 and TLS cost about 4 MiB resident.
      const { startDoh } = await import('../dns/server/doh.ts');
      doh = await startDoh(pipeline, d.listen.host, d.listen.port, limiter, { cert: Buffer.from(readText(d.certFile, 'TLS certificate')), key: Buffer.from(readText(d.keyFile, 'TLS key')), tokens: () => tokens }, onError);
      listeners.push(doh);
    }
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
        await cleanUp();
      },
    };
  } catch (e) {
    await cleanUp();
    throw e;
  }
}
