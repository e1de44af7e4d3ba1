// Live policy from the control plane: a published version is compiled against the category snapshot
// in force, written as the data folder's last good published policy, and swapped into the running
// DNS server and proxy at once. At start, the database's current version is brought onto disk when
// newer; when the database cannot be read, the last good file (or the default pack) is enforced.
import type { PolicyVersion } from '../core/policy/change/change-request.ts';
import { buildSnapshotContents } from '../core/lists/snapshot-builder.ts';
import { CategorySnapshot } from '../core/lists/snapshot.ts';
import { PolicyEngine } from '../core/policy/engine.ts';
import type { Policy } from '../core/policy/schema.ts';
import type { LiveEnforcement } from '../services/live-enforcement.ts';
import type { Clock } from '../services/ports.ts';
import { LastGoodPolicyStore } from '../storage/files/last-good-policy.ts';
import { SnapshotStore } from '../storage/files/snapshot-store.ts';

/** The running enforcements (the DNS server's, the proxy's) that a publish or a register change reloads. */
export class EnforcementGroup {
  private readonly members = new Set<Pick<LiveEnforcement, 'reloadAfterChange' | 'current'>>();

  /** Returns a function that detaches it again (when its service stops). */
  attach(enforcement: Pick<LiveEnforcement, 'reloadAfterChange' | 'current'>): () => void {
    this.members.add(enforcement);
    return () => void this.members.delete(enforcement);
  }

  /** Reloads every member now (no waiting for file polling); true when all took the new load. */
  async reloadAll(): Promise<boolean> {
    const results = await Promise.all([...this.members].map((m) => m.reloadAfterChange()));
    return results.every(Boolean);
  }

  /** The category snapshot a member enforces; null before any is attached. */
  snapshotInForce(): CategorySnapshot | null {
    for (const m of this.members) return m.current().engine.snapshot;
    return null;
  }
}

export type PublishOutcome =
  | { readonly kind: 'enforced'; readonly version: number; readonly path: string; readonly reloaded: boolean }
  | { readonly kind: 'ignored'; readonly version: number; readonly why: string }
  | { readonly kind: 'invalid'; readonly version: number; readonly error: Error };

export type ReconcileOutcome =
  | PublishOutcome
  | { readonly kind: 'up-to-date'; readonly version: number | null }
  | { readonly kind: 'database-unavailable'; readonly error: Error; readonly keeping: string };

export interface LivePolicyOptions {
  readonly dataDir: string;
  /** The school this node enforces; versions of other schools are ignored. */
  readonly schoolId: string;
  readonly enforcements: EnforcementGroup;
  readonly clock: Clock;
  readonly say: (line: string) => void;
}

const RECONCILE_TIMEOUT_MS = 10_000;

export class LivePolicy {
  private readonly store: LastGoodPolicyStore;
  /** Publishes one at a time, in the order they arrive, so "newer than on disk" is checked against the last write. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LivePolicyOptions) {
    this.store = new LastGoodPolicyStore(options.dataDir);
  }

  /** For PolicyChangeDeps.onPublished: never throws (the version is already committed); outcomes are reported. */
  readonly onPublished = async (schoolId: string, version: number, document: Policy): Promise<void> => {
    try {
      await this.publish({ schoolId, version, publishedAt: this.options.clock.now().toISOString() }, document);
    } catch (e) {
      // E.g. the disk is full: the policy in force stays, and start-up reconciliation catches up later.
      this.options.say(`published policy v${version} could not be written, still enforcing the policy in force: ${(e as Error).message}`);
    }
  };

  /** The newest good published version on disk; null when there is none. */
  versionOnDisk(): number | null {
    return this.store.loadNewestGood().found?.meta.version ?? null;
  }

  publish(meta: { schoolId: string; version: number; publishedAt: string }, document: Policy): Promise<PublishOutcome> {
    const next = this.queue.then(() => this.publishNow(meta, document));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async publishNow(meta: { schoolId: string; version: number; publishedAt: string }, document: Policy): Promise<PublishOutcome> {
    const { say, schoolId } = this.options;
    const { version } = meta;
    const ignored = (why: string): PublishOutcome => {
      say(`published policy v${version} ignored: ${why}`);
      return { kind: 'ignored', version, why };
    };
    if (meta.schoolId !== schoolId) return ignored(`it is for school ${meta.schoolId}, this node enforces ${schoolId}`);
    const onDisk = this.versionOnDisk();
    if (onDisk !== null && onDisk >= version) return ignored(`v${onDisk} is already on disk (a late or repeated event)`);
    try {
      // Compiled before it is written: a document the engine refuses never becomes the last good one.
      new PolicyEngine(document, this.snapshotToCompileAgainst());
    } catch (e) {
      say(`published policy v${version} does not compile, still enforcing the policy in force: ${(e as Error).message}`);
      return { kind: 'invalid', version, error: e as Error };
    }
    const path = this.store.write(meta, document);
    const reloaded = await this.options.enforcements.reloadAll();
    if (reloaded) say(`published policy v${version} is in force`);
    return { kind: 'enforced', version, path, reloaded };
  }

  private snapshotToCompileAgainst(): CategorySnapshot {
    const inForce = this.options.enforcements.snapshotInForce();
    if (inForce) return inForce;
    const onDisk = new SnapshotStore(this.options.dataDir).loadNewestGood();
    // Before the first start of a fresh folder there is no snapshot yet: the policy's own structure is still checked.
    return onDisk?.snapshot ?? new CategorySnapshot(buildSnapshotContents([], { version: 0, createdAt: '1970-01-01T00:00:00.000Z' }));
  }

  /**
   * At start: writes the database's current version when it is newer than the file. When the
   * database cannot be read (or does not answer in time), keeps what is on disk and reports it.
   */
  async reconcile(currentVersion: () => Promise<PolicyVersion | null>, timeoutMs = RECONCILE_TIMEOUT_MS): Promise<ReconcileOutcome> {
    let timer: NodeJS.Timeout | undefined;
    let current: PolicyVersion | null;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
      });
      current = await Promise.race([currentVersion(), timeout]);
    } catch (e) {
      const onDisk = this.versionOnDisk();
      const keeping = onDisk !== null ? `published policy v${onDisk} from ${this.store.dir}` : 'the data folder\'s policy (DATA/policy.yaml or the default pack)';
      this.options.say(`cannot read the published policy from the database (${(e as Error).message}); enforcing ${keeping}`);
      return { kind: 'database-unavailable', error: e as Error, keeping };
    } finally {
      clearTimeout(timer);
    }
    const onDisk = this.versionOnDisk();
    if (current === null || (onDisk !== null && onDisk >= current.version)) return { kind: 'up-to-date', version: onDisk };
    return this.publish({ schoolId: current.schoolId, version: current.version, publishedAt: current.publishedAt }, current.document);
  }
}
