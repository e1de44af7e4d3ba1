// The HTTP API's context from the control plane and what the running node adds: the policy in
// force (for "test a request"), health, the hooks that swap a new policy, client register or
// category snapshot into the DNS server and proxy, and the list imports this node runs.
import type { ApiContext, HealthReport } from '../api/context.ts';
import type { Directory } from '../core/directory/directory.ts';
import { canonicalUsername, groupsOf } from '../core/directory/people.ts';
import { ErrorCodes, RingfenceError } from '../core/errors.ts';
import { PolicyEngine } from '../core/policy/engine.ts';
import type { BlockPageText } from '../core/org/block-page-text.ts';
import type { Policy } from '../core/policy/schema.ts';
import type { LiveEnforcement } from '../services/live-enforcement.ts';
import { ListImportJobs } from '../services/lists/import-jobs.ts';
import { FileListStore } from '../storage/files/list-store.ts';
import { rebuildSnapshot } from './wiring.ts';
import { Explainer } from '../services/policy/explain.ts';
import type { ControlPlane } from './control-plane.ts';
import { SqlActivitySummary } from '../storage/sql/activity-summary.ts';

export interface NodeHooks {
  readonly version: string;
  readonly health: { report(): HealthReport };
  readonly onPublished: (schoolId: string, version: number, document: Policy) => Promise<void> | void;
  readonly onClientsChanged: (schoolId: string) => void;
  /** Called after a list import compiled a new snapshot: reloads DNS and the proxy now rather than at their next poll. */
  readonly onListsChanged: () => Promise<boolean>;
  /** Unexpected failures of background work (list imports). */
  readonly logError?: (error: unknown) => void;
  /** The enforcement of the school this node filters for. */
  readonly enforcement: LiveEnforcement;
  readonly nodeSchoolId: string;
  /** After a school saves its block page text: the proxy's copy in force (and its last-good file). */
  readonly onBlockPageTextChanged?: (schoolId: string, text: BlockPageText, savedAt: string) => void;
}

/** The directory's form of a username, or null when it cannot be one (the explainer then says the user is unknown). */
function tryCanonicalUsername(text: string): string | null {
  try {
    return canonicalUsername(text);
  } catch {
    return null;
  }
}

export function apiContext(plane: ControlPlane, hooks: NodeHooks): ApiContext {
  // Other schools' engines, compiled once per published version against the lists in force.
  const engines = new Map<string, { version: number; engine: PolicyEngine }>();
  const listStore = new FileListStore(plane.dataDir);
  const listImports = new ListImportJobs({
    store: listStore,
    compile: (progress) => rebuildSnapshot(plane.dataDir, listStore, progress),
    onListsChanged: hooks.onListsChanged,
    audit: plane.audit,
    clock: plane.clock,
    ids: plane.ids,
    schoolId: hooks.nodeSchoolId,
    ...(hooks.logError ? { logError: hooks.logError } : {}),
  });
  const engineFor = async (schoolId: string): Promise<PolicyEngine> => {
    const inForce = hooks.enforcement.current().engine;
    if (schoolId === hooks.nodeSchoolId) return inForce;
    const current = await plane.policy.currentVersion(schoolId);
    if (!current) throw new RingfenceError(ErrorCodes.POLICY_CHANGE_UNKNOWN, 'the school has no published policy yet', schoolId);
    const cached = engines.get(schoolId);
    // A new snapshot (a list import) needs a new engine as much as a new version does.
    if (cached?.version === current.version && cached.engine.snapshot === inForce.snapshot) return cached.engine;
    const engine = new PolicyEngine(current.document, inForce.snapshot);
    engines.set(schoolId, { version: current.version, engine });
    return engine;
  };
  return {
    clock: plane.clock,
    ids: plane.ids,
    audit: plane.audit,
    organisations: plane.organisations,
    directory: plane.directory,
    devices: plane.devices,
    policy: plane.policy,
    onPublished: hooks.onPublished,
    onClientsChanged: hooks.onClientsChanged,
    engineFor,
    explainerFor: async (schoolId, user) => {
      // Only the one person asked about is read, not the whole school.
      const username = user ? tryCanonicalUsername(user) : null;
      const [engine, person] = await Promise.all([engineFor(schoolId), username ? plane.directory.findPerson(schoolId, username) : null]);
      const now = plane.clock.now();
      const directory: Directory = { users: person ? [{ username: user!, displayName: person.displayName, groups: groupsOf(person, now) }] : [] };
      return new Explainer(engine, directory, () => plane.clock.now());
    },
    health: () => hooks.health.report(),
    listImports,
    auth: plane.auth,
    unblock: plane.unblockDeps(hooks.onPublished),
    activity: { repository: plane.activity, summaries: new SqlActivitySummary(plane.database), audit: plane.audit, clock: plane.clock },
    verifyAudit: plane.verifyAudit,
    blockPage: { settings: plane.schoolSettings, audit: plane.audit, clock: plane.clock, ...(hooks.onBlockPageTextChanged ? { onChanged: hooks.onBlockPageTextChanged } : {}) },
    version: hooks.version,
  };
}
