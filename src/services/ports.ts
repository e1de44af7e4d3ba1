// Interfaces the use cases need from the outside world; adapters in src/storage and src/cli implement them.
import type { ListEntry, ListMeta } from '../core/lists/entry.ts';
export type { Clock } from '../core/clock.ts';

/** A list's entries, grouped by kind, as kept by the list store. */
export interface StoredList {
  readonly meta: ListMeta;
  /** Canonical domain names (lower-case A-labels). */
  readonly domains: readonly string[];
  readonly urls: readonly { readonly host: string; readonly path: string }[];
  readonly ips: readonly { readonly family: 4 | 6; readonly address: string; readonly prefix: number }[];
}

/** Keeps imported lists, one record per list id; writes replace the whole list atomically. */
export interface ListStore {
  /** Replaces (or creates) the list `meta.id` with these entries; on failure the old list is untouched. */
  writeList(meta: ListMeta, entries: Iterable<ListEntry>): Promise<void>;
  removeList(id: string): Promise<void>;
  listMetas(): Promise<ListMeta[]>;
  readList(id: string): Promise<StoredList>;
}

/** Progress of long work (imports, downloads, compiles), shown to whoever started it. */
export interface ProgressReporter {
  /** `total` is in the same unit as `advance` (bytes, lines); null when unknown. */
  start(label: string, total: number | null): void;
  advance(amount: number): void;
  done(summary?: string): void;
}

export const silentProgress: ProgressReporter = { start() {}, advance() {}, done() {} };

/** Where compiled category snapshots go; the newest written is the one enforced. */
export interface SnapshotSink {
  nextVersion(): number;
  write(contents: import('../core/lists/snapshot.ts').SnapshotContents): { path: string; bytes: number };
}

/** Where activity records go: appended in batches, never rewritten. */
export interface ActivityLog {
  append(record: import('../core/activity/record.ts').ActivityRecord): void;
  /** Writes everything appended so far. */
  flush(): Promise<void>;
  /**
   * Flushes and stops; nothing appended before close() is lost, unless the log could not be written
   * for so long that its bound on waiting records was reached: then the newest are dropped and
   * counted (filtering never waits for logging).
   */
  close(): Promise<void>;
}

/** Ringfence's own accounts, one record per canonical username (a file now, the control plane's database later). */
export interface AccountStore {
  /** `username` is canonical (core/accounts/account.ts canonicalUsername); null when there is none. */
  get(username: string): Promise<import('../core/accounts/account.ts').Account | null>;
  /** Every account, sorted by username. */
  list(): Promise<import('../core/accounts/account.ts').Account[]>;
  /** Creates or replaces the account with this username. */
  put(account: import('../core/accounts/account.ts').Account): Promise<void>;
  /** False when there was no such account. */
  remove(username: string): Promise<boolean>;
}

/** Slow, salted password hashing (argon2id): PHC strings in, PHC strings out. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password; throws only when `hash` is not a hash it understands. */
  verify(hash: string, password: string): Promise<boolean>;
}

/**
 * A keyed hash (HMAC-SHA-256 with a secret random per-process key) of a well-formed string, as text:
 * lets a cache recognise credentials it has seen without keeping them.
 */
export type Hmac = (message: string) => string;

// --- Control-plane storage: organisations and the audit log (adapters in src/storage/sql) ---

/** New record ids: time-ordered UUIDv7 text (core/org/id.ts). */
export interface IdSource {
  newId(): string;
}

/** Schools, trusts and local authorities. No deletes: records of every kind hang off a school. */
export interface OrganisationRepository {
  insertResponsibleBody(body: import('../core/org/organisation.ts').ResponsibleBody): Promise<void>;
  /** Throws ORGANISATION_CONFLICT when another school has the same reference. */
  insertSchool(school: import('../core/org/organisation.ts').School): Promise<void>;
  /** The school after the change; null when there is no such school. */
  updateSchool(id: string, changes: Partial<import('../core/org/organisation.ts').SchoolFields>): Promise<import('../core/org/organisation.ts').School | null>;
  findOrganisation(id: string): Promise<import('../core/org/organisation.ts').Organisation | null>;
  /** Sorted by name. */
  listResponsibleBodies(): Promise<import('../core/org/organisation.ts').ResponsibleBody[]>;
  /** Sorted by name. */
  listSchools(): Promise<import('../core/org/organisation.ts').School[]>;
  /** The schools named in the scope plus every school of the trusts and authorities named; sorted by name. */
  schoolsVisibleTo(scope: import('../core/org/scope.ts').OrganisationScope): Promise<import('../core/org/organisation.ts').School[]>;
}

/** The audit log's entries. Append-only: there is no way to change or remove one through it. */
export interface AuditRepository {
  /**
   * Under the log's write lock (in this process and across processes), gives `seal` the current
   * tail and inserts the entry it returns; resolves once the transaction has committed.
   */
  appendAfterTail(seal: (tail: import('../core/audit/entry.ts').AuditTail | null) => import('../core/audit/entry.ts').AuditEntry): Promise<import('../core/audit/entry.ts').AuditEntry>;
  tail(): Promise<import('../core/audit/entry.ts').AuditTail | null>;
  count(): Promise<number>;
  /** Up to `limit` entries with seq > `afterSeq`, in seq order. */
  entriesAfter(afterSeq: number, limit: number): Promise<import('../core/audit/entry.ts').AuditEntry[]>;
  entryAt(seq: number): Promise<import('../core/audit/entry.ts').AuditEntry | null>;
  /** Sequence numbers of entries with this hash / this prevHash, ascending (used to diagnose a broken chain). */
  seqsWithHash(hash: string): Promise<number[]>;
  seqsWithPrevHash(prevHash: string): Promise<number[]>;
}

/** Where the audit checkpoint (latest seq and hash, MAC'd) is kept, outside the database. */
export interface AuditCheckpointStore {
  /** Null when none was written; throws AUDIT_CHECKPOINT_INVALID when it cannot be read as one. */
  read(): Promise<import('../core/audit/seal.ts').AuditCheckpoint | null>;
  /** Durable (synced) when it resolves. */
  write(checkpoint: import('../core/audit/seal.ts').AuditCheckpoint): Promise<void>;
}

// --- Change control of the policy (adapter: src/storage/sql/policy-repository.ts) ---

/** Drafts, change requests and published versions of each school's policy. */
export interface PolicyChangeRepository {
  /** Whether publishing needs a second person's approval (true unless the school turned it off). */
  requiresApproval(schoolId: string): Promise<boolean>;
  setRequiresApproval(schoolId: string, required: boolean, at: string): Promise<void>;
  findDraft(schoolId: string): Promise<import('../core/policy/change/change-request.ts').PolicyDraft | null>;
  /** Creates or replaces the school's one draft; ORGANISATION_UNKNOWN when there is no such school. */
  saveDraft(draft: import('../core/policy/change/change-request.ts').PolicyDraft): Promise<void>;
  /** Stores a pending change and, in the same transaction, removes the school's draft when `fromDraft`. */
  insertChange(change: import('../core/policy/change/change-request.ts').PolicyChangeRequest, fromDraft: boolean): Promise<void>;
  findChange(id: string): Promise<import('../core/policy/change/change-request.ts').PolicyChangeRequest | null>;
  /** Every change request of the school, newest first. */
  listChanges(schoolId: string): Promise<import('../core/policy/change/change-request.ts').PolicyChangeRequest[]>;
  currentVersion(schoolId: string): Promise<import('../core/policy/change/change-request.ts').PolicyVersion | null>;
  findVersion(schoolId: string, version: number): Promise<import('../core/policy/change/change-request.ts').PolicyVersion | null>;
  /** Every published version of the school, newest first. */
  listVersions(schoolId: string): Promise<import('../core/policy/change/change-request.ts').PolicyVersion[]>;
  /**
   * In one transaction: checks the change is pending and based on the current version, stores its
   * document as the next version and marks it published. POLICY_CHANGE_CONFLICT when it is not
   * pending or another version was published since (of two racing publishes, one fails).
   */
  publish(changeId: string, decision: import('../core/policy/change/change-request.ts').ChangeDecision): Promise<import('../core/policy/change/change-request.ts').PolicyVersion>;
  /** Marks a pending change declined; POLICY_CHANGE_CONFLICT when it is no longer pending. */
  decline(changeId: string, decision: import('../core/policy/change/change-request.ts').ChangeDecision): Promise<void>;
}

// --- The directory and the device register (adapters in src/storage/sql) ---

/** People, groups and memberships of each school. Usernames are canonical (lower-case). */
export interface DirectoryRepository {
  /** Every person of the school with their explicit groups, sorted by username. */
  listPeople(schoolId: string): Promise<import('../core/directory/people.ts').StoredPerson[]>;
  findPerson(schoolId: string, username: string): Promise<import('../core/directory/people.ts').StoredPerson | null>;
  /**
   * In one transaction: inserts or updates (by username) every person in `upsert` with exactly the
   * groups given, and removes those named in `remove`. `newId` gives ids for new people and groups.
   */
  writePeople(schoolId: string, changes: { readonly upsert: readonly import('../core/directory/people.ts').DirectoryPerson[]; readonly remove: readonly string[] }, at: string, newId: () => string): Promise<void>;
}

/** Registered devices and networks of each school. */
export interface DeviceRepository {
  /** Throws DIRECTORY_CONFLICT for a MAC the school already has; DIRECTORY_UNKNOWN for an owner not in the directory. */
  insertDevice(device: import('../core/directory/devices.ts').Device, at: string): Promise<void>;
  /** The device after the change; null when the school has no such device. Conflicts as for insert. */
  updateDevice(device: import('../core/directory/devices.ts').Device): Promise<import('../core/directory/devices.ts').Device | null>;
  removeDevice(schoolId: string, id: string): Promise<boolean>;
  listDevices(schoolId: string): Promise<import('../core/directory/devices.ts').Device[]>;
  /** Throws DIRECTORY_CONFLICT for a CIDR block the school already has. */
  insertNetwork(network: import('../core/directory/devices.ts').Network, at: string): Promise<void>;
  updateNetwork(network: import('../core/directory/devices.ts').Network): Promise<import('../core/directory/devices.ts').Network | null>;
  removeNetwork(schoolId: string, id: string): Promise<boolean>;
  listNetworks(schoolId: string): Promise<import('../core/directory/devices.ts').Network[]>;
}
