// One audit-log entry: who did what to which school's data, when, sealed into a hash chain.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import { isEntityId } from '../org/id.ts';
import { canonicalJson, type JsonObject } from './canonical.ts';

/** The actor of entries Ringfence writes by itself (list updates, start-up). */
export const SYSTEM_ACTOR = 'system';
/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

const ACTION = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;
const ACTION_MAX = 64;
const TARGET_MAX = 300;
const DETAILS_MAX = 64 * 1024;
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** What a caller records. */
export interface AuditInput {
  /** The school whose data this is about; null for actions above any one school (e.g. on a trust). */
  readonly schoolId: string | null;
  /** An account id, or "system". */
  readonly actor: string;
  /** Dotted lower-case words, e.g. "policy.rule.update". */
  readonly action: string;
  /** What was acted on, e.g. "rule:block-gaming"; null when nothing in particular. */
  readonly target?: string | null;
  readonly details?: JsonObject;
}

/** A validated input: `detailsJson` is the canonical JSON text that gets hashed and stored. */
export interface AuditRecord {
  readonly schoolId: string | null;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly detailsJson: string;
}

export interface AuditEntry extends AuditRecord {
  /** 1, 2, 3… with no gaps: the entry's place in the chain. */
  readonly seq: number;
  /** ISO-8601 instant with milliseconds, exactly as hashed. */
  readonly at: string;
  /** `hash` of the entry before (GENESIS_HASH for the first). */
  readonly prevHash: string;
  /** SHA-256 (hex) of the canonical entry, prevHash included: the chain link. */
  readonly hash: string;
  /** HMAC-SHA-256 (hex) of `hash` under the seal key: proves the key's holder wrote it. */
  readonly mac: string;
}

/** The last entry of a log: what the next entry chains onto. */
export interface AuditTail {
  readonly seq: number;
  readonly hash: string;
}

function invalid(message: string, input?: string): RingfenceError {
  return new RingfenceError(ErrorCodes.AUDIT_ENTRY_INVALID, message, input);
}

export function validateAuditInput(input: AuditInput): AuditRecord {
  const actor = input.actor.toLowerCase();
  if (actor !== SYSTEM_ACTOR && !isEntityId(actor)) throw invalid(`audit actor ${quoteInput(input.actor)} is neither an account id nor "${SYSTEM_ACTOR}"`, input.actor);
  const schoolId = input.schoolId === null ? null : input.schoolId.toLowerCase();
  if (schoolId !== null && !isEntityId(schoolId)) throw invalid(`audit school id ${quoteInput(input.schoolId ?? '')} is not an id`, input.schoolId ?? '');
  if (input.action.length > ACTION_MAX || !ACTION.test(input.action)) {
    throw invalid(`audit action ${quoteInput(input.action)} must be dotted lower-case words of at most ${ACTION_MAX} characters, e.g. "policy.rule.update"`, input.action);
  }
  const target = input.target ?? null;
  if (target !== null && (target.length === 0 || target.length > TARGET_MAX || CONTROL.test(target))) {
    throw invalid(`audit target ${quoteInput(target)} must be 1–${TARGET_MAX} characters without control characters`, target);
  }
  const detailsJson = canonicalJson(input.details ?? {});
  if (!detailsJson.startsWith('{')) throw invalid('audit details must be a JSON object');
  if (detailsJson.length > DETAILS_MAX) throw invalid(`audit details are ${detailsJson.length} characters of JSON; at most ${DETAILS_MAX} are kept`);
  return { schoolId, actor, action: input.action, target, detailsJson };
}
