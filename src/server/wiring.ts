// Builds use-case dependencies from the file adapters for one data folder.
import { ErrorCodes, RingfenceError } from '../core/errors.ts';
import type { CategorySnapshot } from '../core/lists/snapshot.ts';
import { PolicyEngine } from '../core/policy/engine.ts';
import { compileLists, type CompileResult } from '../services/lists/compile-lists.ts';
import { silentProgress, type ListStore, type ProgressReporter } from '../services/ports.ts';
import { FileListStore } from '../storage/files/list-store.ts';
import { loadStarterLists } from '../storage/files/pack-files.ts';
import { SnapshotStore } from '../storage/files/snapshot-store.ts';
import { enforcedPolicy, type PolicyChoice } from './live-policy-source.ts';

export function rebuildSnapshot(dataDir: string, store: ListStore, progress: ProgressReporter): Promise<CompileResult> {
  return compileLists({ store, snapshots: new SnapshotStore(dataDir), starterLists: loadStarterLists(), progress, now: () => new Date() });
}

export interface Enforcement {
  readonly engine: PolicyEngine;
  readonly snapshot: CategorySnapshot;
  readonly snapshotPath: string;
  readonly policySource: string;
  /** The published version in force (null for DATA/policy.yaml or the default pack). */
  readonly publishedVersion: number | null;
  /** The policy chosen, with the damaged last-good files passed over to reach it. */
  readonly policyChoice: PolicyChoice;
  /** Damaged snapshots passed over to reach this one (each is also an alert for the network manager). */
  readonly skipped: readonly string[];
  /** Where load time went: reading the category snapshot, the policy, compiling the engine. */
  readonly timings: { readonly listsMs: number; readonly policyMs: number; readonly engineMs: number };
}

/**
 * The policy (see live-policy-source.ts for which) and the current category snapshot for a data
 * folder. A fresh folder gets a first snapshot compiled from the built-in starter lists, so
 * filtering works before any import.
 */
export async function loadEnforcement(dataDir: string, progress: ProgressReporter = silentProgress, choosePolicy: (dataDir: string) => PolicyChoice = enforcedPolicy): Promise<Enforcement> {
  const t0 = performance.now();
  const policyChoice = choosePolicy(dataDir);
  const { policy, source } = policyChoice;
  for (const why of policyChoice.problems) progress.done(`skipped ${why}`);
  const t1 = performance.now();
  const snapshots = new SnapshotStore(dataDir);
  let loaded = snapshots.loadNewestGood();
  if (!loaded) {
    if (snapshots.current() !== null) {
      // Snapshots exist but none loads: compiling afresh could silently drop lists that were in force.
      throw new RingfenceError(ErrorCodes.SNAPSHOT_CORRUPT, `no category snapshot in ${snapshots.dir} can be read; run \`ringfence lists compile\` to rebuild from the stored lists`, snapshots.dir);
    }
    await rebuildSnapshot(dataDir, new FileListStore(dataDir), progress);
    loaded = snapshots.loadNewestGood()!;
  }
  const t2 = performance.now();
  for (const why of loaded.skipped) progress.done(`skipped a damaged snapshot: ${why}`);
  const engine = new PolicyEngine(policy, loaded.snapshot);
  const ms = (a: number, b: number) => Math.round((b - a) * 10) / 10;
  const timings = { policyMs: ms(t0, t1), listsMs: ms(t1, t2), engineMs: ms(t2, performance.now()) };
  return { engine, snapshot: loaded.snapshot, snapshotPath: loaded.path, policySource: source, publishedVersion: policyChoice.publishedVersion, policyChoice, skipped: loaded.skipped, timings };
}
