// The chain and the seal. Each entry's hash covers its contents and the previous entry's hash, so
// changing, removing, adding or moving an entry breaks a link; each hash is MAC'd with a key kept
// outside the database, so whoever can write the database still cannot forge a consistent chain.
// The sequence number is not hashed: order is carried by the links, so a moved entry reads as
// "reordered" rather than "edited", and verify checks separately that numbers match positions.
// The hash and MAC functions are passed in (the core has no crypto of its own).
import type { AuditEntry, AuditRecord, AuditTail } from './entry.ts';
import { GENESIS_HASH } from './entry.ts';

export interface AuditSealFunctions {
  /** SHA-256 of the UTF-8 text, lower-case hex. */
  sha256Hex(text: string): string;
  /** HMAC-SHA-256 of the UTF-8 text under the seal key, lower-case hex. */
  hmacHex(text: string): string;
}

const ENTRY_FORMAT = 'ringfence.audit.entry.v1';
const MAC_CONTEXT = 'ringfence.audit.mac.v1:';
const CHECKPOINT_CONTEXT = 'ringfence.audit.checkpoint.v1:';

/** The bytes an entry's hash covers: every field but seq, hash and mac, in a fixed order. */
export function canonicalEntryText(entry: AuditRecord & Pick<AuditEntry, 'at' | 'prevHash'>): string {
  return JSON.stringify([ENTRY_FORMAT, entry.at, entry.schoolId, entry.actor, entry.action, entry.target, entry.detailsJson, entry.prevHash]);
}

export function entryMac(hash: string, seal: AuditSealFunctions): string {
  return seal.hmacHex(MAC_CONTEXT + hash);
}

/** The entry that follows `tail` (null for an empty log). */
export function sealEntry(record: AuditRecord, at: string, tail: AuditTail | null, seal: AuditSealFunctions): AuditEntry {
  const prevHash = tail?.hash ?? GENESIS_HASH;
  const hash = seal.sha256Hex(canonicalEntryText({ ...record, at, prevHash }));
  return { ...record, seq: (tail?.seq ?? 0) + 1, at, prevHash, hash, mac: entryMac(hash, seal) };
}

/**
 * What is wrong with one entry on its own: "edited" when its contents no longer give its hash,
 * "bad-seal" when the hash is consistent but its MAC is not from this key (re-hashed by someone
 * without the key, or the wrong key file). Links between entries are checked by the caller.
 */
export function entryFault(entry: AuditEntry, seal: AuditSealFunctions): 'edited' | 'bad-seal' | null {
  if (seal.sha256Hex(canonicalEntryText(entry)) !== entry.hash) return 'edited';
  if (entryMac(entry.hash, seal) !== entry.mac) return 'bad-seal';
  return null;
}

/** The latest sequence number and hash, MAC'd: kept outside the database to reveal a cut-off tail. */
export interface AuditCheckpoint extends AuditTail {
  readonly mac: string;
}

function checkpointText(tail: AuditTail): string {
  return `${CHECKPOINT_CONTEXT}${tail.seq}:${tail.hash}`;
}

export function sealCheckpoint(tail: AuditTail, seal: AuditSealFunctions): AuditCheckpoint {
  return { seq: tail.seq, hash: tail.hash, mac: seal.hmacHex(checkpointText(tail)) };
}

export function checkpointIsSealed(checkpoint: AuditCheckpoint, seal: AuditSealFunctions): boolean {
  return seal.hmacHex(checkpointText(checkpoint)) === checkpoint.mac;
}
