// The HTTP API's context from the control plane and what the running node adds: the policy in
// force (for "test a request"), health, and the hooks that swap a new policy or client register
// into the DNS server and proxy.
import type { ApiContext, HealthReport } from '../api/context.ts';
import type { Directory } from '../core/directory/directory.ts';
import { groupsOf } from '../core/directory/people.ts';
import { ErrorCodes, RingfenceError } from '../core/errors.ts';
import { PolicyEngine } from '../core/policy/engine.ts';
import type { Policy } from '../core/policy/schema.ts';
import type { LiveEnforcement } from '../services/live-enforcement.ts';
import { Explainer } from '../services/policy/explain.ts';
import type { ControlPlane } from './control-plane.ts';
import { SqlActivitySummary } from '../storage/sql/activity-summary.ts';

export interface NodeHooks {
  readonly version: string;
  readonly health: { report(): HealthReport };
  readonly onPublished: (schoolId: string, version: number, document: Policy) => Promise<void> | void;
  readonly onClientsChanged: (schoolId: string) => void;
  /** The enforcement of the school this node filters for. */
  readonly enforcement: LiveEnforcement;
  readonly nodeSchoolId: string;
}

export function apiContext(plane: ControlPlane, hooks: NodeHooks): ApiContext {
  // Other schools' engines, compiled once per published version against the lists in force.
  const engines = new Map<string, { version: number; engine: PolicyEngine }>();
  const engineFor = async (schoolId: string): Promise<PolicyEngine> => {
    const inForce = hooks.enforcement.current().engine;
    if (schoolId === hooks.nodeSchoolId) return inForce;
    const current = await plane.policy.currentVersion(schoolId);
    if (!current) throw new RingfenceError(ErrorCodes.POLICY_CHANGE_UNKNOWN, 'the school has no published policy yet', schoolId);
    const cached = engines.get(schoolId);
    if (cached?.version === current.version) return cached.engine;
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
    explainerFor: async (schoolId) => {
      const [engine, people] = await Promise.all([engineFor(schoolId), plane.directory.listPeople(schoolId)]);
      const now = plane.clock.now();
      const directory: Directory = { users: people.map((p) => ({ username: p.username, displayName: p.displayName, groups: groupsOf(p, now) })) };
      return new Explainer(engine, directory, () => plane.clock.now());
    },
    health: () => hooks.health.report(),
    auth: plane.auth,
    unblock: plane.unblockDeps(hooks.onPublished),
    activity: { repository: plane.activity, summaries: new SqlActivitySummary(plane.database), audit: plane.audit, clock: plane.clock },
    verifyAudit: plane.verifyAudit,
    version: hooks.version,
  };
}
