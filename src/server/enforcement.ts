// Live enforcement from the data folder, shared by the DNS server and the proxy: the policy (the
// last good published one first), the newest good snapshot, and the clients (the clients file, then
// the last good copy of the device register), reloaded when any of them changes on disk or when
// the control plane publishes (live-policy.ts, client-register.ts call reload()).
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { join } from 'node:path';
import { ClientMap } from '../core/directory/client-map.ts';
import { ErrorCodes, RingfenceError } from '../core/errors.ts';
import { LiveEnforcement, type EnforcementEvent } from '../services/live-enforcement.ts';
import { clientRegisterPath } from '../storage/files/last-good-clients.ts';
import { lastGoodDir } from '../storage/files/last-good-policy.ts';
import { policyPath } from '../storage/files/pack-files.ts';
import { SnapshotStore } from '../storage/files/snapshot-store.ts';
import { registerClients, type RegisterInForce } from './client-register-source.ts';
import { enforcedPolicyKeeping, type PolicyChoice } from './live-policy-source.ts';
import { loadEnforcement } from './wiring.ts';

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new RingfenceError(ErrorCodes.LIST_UNREADABLE, `cannot read the ${what} ${path}: ${(e as Error).message}`, path);
  }
}

export interface EnforcementSource {
  readonly dataDir: string;
  readonly clientsFile: string | null;
  /** Other files read with each load (e.g. DoH device tokens), given the policy's group ids. */
  readonly alsoLoad?: (groups: ReadonlySet<string>) => void;
  readonly extraWatched?: readonly string[];
  readonly reloadCheckMs: number;
}

export function reportTo(say: (line: string) => void): (e: EnforcementEvent) => void {
  return (e) => {
    if (e.kind === 'loaded') {
      for (const p of e.problems) say(`skipped ${p}`);
      say(`enforcing ${e.version}${e.warnings.length ? ` (${e.warnings.length} warnings; \`ringfence lists status\` shows them)` : ''}`);
    } else {
      say(`reload failed, still enforcing ${e.keeping}: ${e.error.message}`);
    }
  };
}

/** Loads, starts and watches; `stop()` ends the watching. */
export async function startEnforcement(source: EnforcementSource, say: (line: string) => void): Promise<{ enforcement: LiveEnforcement; stop(): void }> {
  // What is in force, so a damaged last-good file met on a reload never replaces it with something older.
  let policyInForce: PolicyChoice | null = null;
  let registerInForce: RegisterInForce | null = null;
  const load = async () => {
    const started = performance.now();
    const loaded = await loadEnforcement(source.dataDir, undefined, (dir) => enforcedPolicyKeeping(dir, policyInForce));
    const groups = new Set(loaded.engine.compiled.policy.groups.map((g) => g.id));
    // The clients file first (explicit overrides), then the device register.
    const fromFile = source.clientsFile ? ClientMap.parse(readText(source.clientsFile, 'clients file'), groups, source.clientsFile) : ClientMap.empty();
    const fromRegister = registerClients(source.dataDir, registerInForce, new Date());
    source.alsoLoad?.(groups);
    const ms = Math.round(performance.now() - started);
    const t = loaded.timings;
    policyInForce = loaded.policyChoice;
    registerInForce = fromRegister.inForce;
    return {
      engine: loaded.engine,
      clients: fromFile.followedBy(fromRegister.clients),
      version: `lists v${loaded.snapshot.version} (${loaded.snapshot.domainCount} domains), policy from ${loaded.policySource}, clients: ${fromFile.size} from the clients file, ${fromRegister.clients.size} from ${fromRegister.source}; lists loaded in ${t.listsMs} ms, policy in ${t.policyMs} ms, engine in ${t.engineMs} ms (${ms} ms in all)`,
      loadedAt: new Date(),
      problems: [...loaded.skipped.map((p) => `a damaged snapshot: ${p}`), ...loaded.policyChoice.problems, ...fromRegister.problems],
    };
  };
  const enforcement = new LiveEnforcement(load, reportTo(say));
  await enforcement.start();
  // The last-good folder too: another process (a second node, the CLI) may publish into it.
  const watched = [policyPath(source.dataDir), lastGoodDir(source.dataDir), clientRegisterPath(source.dataDir), join(new SnapshotStore(source.dataDir).dir, 'current.json'), source.clientsFile, ...(source.extraWatched ?? [])].filter((p): p is string => !!p);
  // watchFile also reports a file that is still missing; only a real change means a reload.
  const onChange = (now: Stats, before: Stats) => {
    if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino || now.size !== before.size) void enforcement.reload();
  };
  for (const path of watched) watchFile(path, { interval: source.reloadCheckMs, persistent: false }, onChange);
  return {
    enforcement,
    stop() {
      for (const path of watched) unwatchFile(path, onChange);
    },
  };
}
