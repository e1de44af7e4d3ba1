// Which policy a data folder enforces: the last good version published from the control plane
// (DATA/last-good/), else the school's DATA/policy.yaml, else the default pack. Never nothing: the
// default pack's locked tier, and every list imported as illegal, are enforced even on a first start.
import type { Policy } from '../core/policy/schema.ts';
import { LastGoodPolicyStore } from '../storage/files/last-good-policy.ts';
import { loadPolicy } from '../storage/files/pack-files.ts';

export interface PolicyChoice {
  readonly policy: Policy;
  /** For messages: "published policy v3", a file path, or "default pack". */
  readonly source: string;
  /** The published version in force; null when the policy is not a published one. */
  readonly publishedVersion: number | null;
  /** Damaged last-good files passed over to reach this one. */
  readonly problems: readonly string[];
}

export function enforcedPolicy(dataDir: string): PolicyChoice {
  const { found, skipped } = new LastGoodPolicyStore(dataDir).loadNewestGood();
  const problems = skipped.map((s) => `a damaged published policy: ${s.why}`);
  if (found) {
    const { version, publishedAt } = found.meta;
    return { policy: found.policy, source: `published policy v${version} (published ${publishedAt})`, publishedVersion: version, problems };
  }
  const { policy, source } = loadPolicy(dataDir);
  return { policy, source, publishedVersion: null, problems };
}

/**
 * For reloads: the choice, unless damaged files made it fall back below the published version
 * already in force — then that one stays (reported), and a damaged file never rolls policy back.
 */
export function enforcedPolicyKeeping(dataDir: string, inForce: PolicyChoice | null): PolicyChoice {
  const chosen = enforcedPolicy(dataDir);
  const inForceVersion = inForce?.publishedVersion ?? null;
  if (inForce && inForceVersion !== null && chosen.problems.length > 0 && (chosen.publishedVersion ?? 0) < inForceVersion) {
    return { ...inForce, problems: [...chosen.problems, `a fallback below published policy v${inForceVersion}: it stays in force`] };
  }
  return chosen;
}
