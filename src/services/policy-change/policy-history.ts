// Reading the change control of a school's policy: published versions with what each changed,
// and the change-control log (who, what, when, why, who approved).
import { ErrorCodes } from '../../core/errors.ts';
import { parseEntityId } from '../../core/org/id.ts';
import type { ChangeKind, ChangeState, PolicyVersion } from '../../core/policy/change/change-request.ts';
import { diffPolicies, type PolicyDifference } from '../../core/policy/change/diff.ts';
import type { PolicyChangeRepository } from '../ports.ts';

export interface VersionHistoryEntry {
  readonly version: PolicyVersion;
  /** Against the version it replaced; null for the first version. */
  readonly diff: readonly PolicyDifference[] | null;
}

export interface ChangeLogRow {
  readonly changeId: string;
  readonly kind: ChangeKind;
  readonly state: ChangeState;
  /** Who asked for the change. */
  readonly author: string;
  /** What: the diff's summaries against the version it was based on. */
  readonly what: readonly string[];
  /** When it was submitted, and when it was decided. */
  readonly submittedAt: string;
  readonly decidedAt: string | null;
  /** Why. */
  readonly reason: string;
  /** Who approved (or declined) it; null while pending or when published without approval. */
  readonly decidedBy: string | null;
  readonly decisionComment: string | null;
  readonly publishedVersion: number | null;
}

/** Published versions, newest first, each with its diff against the one before. */
export async function history(repository: PolicyChangeRepository, schoolId: string): Promise<VersionHistoryEntry[]> {
  const versions = await repository.listVersions(parseEntityId(schoolId, 'school id', ErrorCodes.POLICY_CHANGE_INVALID));
  const byNumber = new Map(versions.map((v) => [v.version, v]));
  return versions.map((version) => {
    const parent = version.parentVersion === null ? undefined : byNumber.get(version.parentVersion);
    return { version, diff: parent ? diffPolicies(parent.document, version.document) : null };
  });
}

/** Every change request of the school, newest first. */
export async function changeLog(repository: PolicyChangeRepository, schoolId: string): Promise<ChangeLogRow[]> {
  const school = parseEntityId(schoolId, 'school id', ErrorCodes.POLICY_CHANGE_INVALID);
  const [changes, versions] = await Promise.all([repository.listChanges(school), repository.listVersions(school)]);
  const byNumber = new Map(versions.map((v) => [v.version, v]));
  return changes.map((c) => {
    const before = c.basedOnVersion === null ? undefined : byNumber.get(c.basedOnVersion);
    return {
      changeId: c.id,
      kind: c.kind,
      state: c.state,
      author: c.author,
      what: before ? diffPolicies(before.document, c.document).map((d) => d.summary) : ['first version of the policy'],
      submittedAt: c.submittedAt,
      decidedAt: c.decidedAt,
      reason: c.reason,
      decidedBy: c.decidedBy,
      decisionComment: c.decisionComment,
      publishedVersion: c.publishedVersion,
    };
  });
}
