// Wires the web proxy: enforcement from the data folder (reloaded live), name resolution through
// a DNS pipeline of its own (same canaries, safe search and cache rules as the DNS server),
// proxy accounts, the pages, the activity log and the listener.
import { join } from 'node:path';
import { DnsPipeline } from '../dns/pipeline.ts';
import { PipelineResolver } from '../dns/proxy-resolver.ts';
import { Forwarder } from '../dns/upstream/forwarder.ts';
import { ResponseCache } from '../dns/wire/cache.ts';
import { proxyPages } from '../proxy/answers.ts';
import { pacPages } from '../proxy/pac-file.ts';
import { startProxy, type ProxyListening } from '../proxy/server.ts';
import { ProxyAuthenticator } from '../services/accounts/proxy-authenticator.ts';
import type { LiveEnforcement } from '../services/live-enforcement.ts';
import type { ActivityLog } from '../services/ports.ts';
import { Argon2Hasher } from '../storage/crypto/argon2-hasher.ts';
import { processHmac } from '../storage/crypto/hmac.ts';
import { JsonlActivityLog } from '../storage/files/activity-log.ts';
import { AccountFile } from '../storage/files/account-file.ts';
import { startEnforcement } from './enforcement.ts';
import { LiveBlockPageText } from './live-block-page.ts';
import type { SharedEnforcement } from './dns-service.ts';
import type { ProxyConfig } from './proxy-config.ts';

export interface ProxyService {
  readonly listening: ProxyListening;
  readonly enforcement: LiveEnforcement;
  readonly activity: ActivityLog;
  /** The school's block page words in force (swapped after a save, see live-block-page.ts). */
  readonly blockPage: LiveBlockPageText;
  reload(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startProxyService(config: ProxyConfig, say: (line: string) => void, shared?: SharedEnforcement): Promise<ProxyService> {
  const { enforcement, stop: stopWatching } = shared ? { enforcement: shared.enforcement, stop: () => {} } : await startEnforcement(config, say);
  const forwarder = new Forwarder({ upstreams: [...config.upstreamDns] });
  const activity = new JsonlActivityLog(join(config.dataDir, 'logs'), { onError: (e) => say(`activity log: ${e.message}`) });
  const cleanUp = async () => {
    stopWatching();
    await forwarder.close();
    await activity.close();
  };
  try {
    const cache = new ResponseCache({ maxBytes: config.cacheBytes }, Date.now);
    // The pipeline's block answer is never used: the proxy decides before it looks a name up.
    const pipeline = new DnsPipeline(enforcement, forwarder, cache, activity, { blockAnswer: { mode: 'nxdomain' }, answerTtl: 60 });
    const auth = new ProxyAuthenticator({ store: new AccountFile(config.dataDir), hasher: new Argon2Hasher(), hmac: processHmac(), clock: { now: () => new Date() } });
    const now = Date.now;
    let port = config.listen.port;
    const local = pacPages(config.proxy, () => port);
    const blockPage = new LiveBlockPageText(config.dataDir, say);
    const pages = proxyPages(enforcement, config.proxy.consoleUrl, now, blockPage.current);
    const deps = { enforcement, resolver: new PipelineResolver(pipeline), log: activity, auth, now, onError: (e: Error) => say(`proxy: ${e.message}`) };
    const listening = await startProxy(deps, config.proxy, pages, local, config.listen.host, config.listen.port);
    port = listening.port;
    let stopped = false;
    return {
      listening,
      enforcement,
      activity,
      blockPage,
      reload: () => enforcement.reload(),
      async stop() {
        if (stopped) return;
        stopped = true;
        await listening.close();
        await cleanUp();
      },
    };
  } catch (e) {
    await cleanUp();
    throw e;
  }
}
