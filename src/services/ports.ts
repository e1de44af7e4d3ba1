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

// --- Console accounts, sessions and MFA (adapters: src/storage/sql/console-account-repository.ts, src/storage/crypto/secret-box.ts) ---

/** Encrypts secrets kept in the database under a key kept outside it; `context` (an account id) is bound in. */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** Throws RF_SECRET_UNREADABLE for the wrong key, the wrong context or an altered value. */
  open(sealed: string, context: string): string;
}

/** Changes to a console account; every field optional, `updatedAt` always. */
export interface ConsoleAccountChanges {
  readonly passwordHash?: string | null;
  readonly disabledAt?: string | null;
  readonly totpSecretSealed?: string | null;
  readonly totpLastStep?: number | null;
  readonly mfaEnrolledAt?: string | null;
  readonly updatedAt: string;
}

/** Console accounts with their scope, their sessions and one-time sign-in tokens. Usernames are canonical. */
export interface ConsoleAccountRepository {
  /** The account and its scope rows in one transaction; ACCOUNT_EXISTS when the username is taken. */
  insertAccount(account: import('../core/access/console-account.ts').StoredConsoleAccount): Promise<void>;
  findAccount(id: string): Promise<import('../core/access/console-account.ts').StoredConsoleAccount | null>;
  findAccountByUsername(username: string): Promise<import('../core/access/console-account.ts').StoredConsoleAccount | null>;
  countAccounts(): Promise<number>;
  /** Sorted by username; with `scopeAnyOf`, only accounts whose scope holds at least one of those ids. */
  listAccounts(filter?: { readonly scopeAnyOf?: readonly string[] }): Promise<import('../core/access/console-account.ts').StoredConsoleAccount[]>;
  /** The account after the change; null when there is none. */
  updateAccount(id: string, changes: ConsoleAccountChanges): Promise<import('../core/access/console-account.ts').StoredConsoleAccount | null>;
  /** Records `step` as the last TOTP step used, only if it is later than the one stored; false when it is not (a replay). */
  claimTotpStep(id: string, step: number): Promise<boolean>;

  insertSession(session: import('../core/access/console-account.ts').StoredConsoleSession): Promise<void>;
  findSession(id: string): Promise<import('../core/access/console-account.ts').StoredConsoleSession | null>;
  touchSession(id: string, lastSeenAt: string, clientAddress: string): Promise<void>;
  /** Moves the session on to `stage` only if it is still at `from`; false when it was not (a race, or gone). */
  advanceSession(id: string, from: import('../core/access/console-account.ts').SessionStage, stage: import('../core/access/console-account.ts').SessionStage): Promise<boolean>;
  setPendingTotpSecret(id: string, sealed: string | null): Promise<void>;
  deleteSession(id: string): Promise<boolean>;
  /** Ends every session of the account; how many there were. */
  deleteSessionsOf(accountId: string): Promise<number>;
  /** Removes sessions last seen before `idleBefore` or created before `createdBefore`; how many. */
  deleteStaleSessions(idleBefore: string, createdBefore: string): Promise<number>;

  /** Stores the token's hash, removing the account's earlier unused tokens in the same transaction. */
  insertOneTimeSignIn(record: OneTimeSignInRecord): Promise<void>;
  findOneTimeSignIn(id: string): Promise<OneTimeSignInRecord | null>;
  /** Marks it used only if it was not; false when it was used already (of two racing redeems, one wins). */
  markOneTimeSignInUsed(id: string, at: string): Promise<boolean>;
}

export interface OneTimeSignInRecord {
  /** SHA-256 (hex) of the token. */
  readonly id: string;
  readonly accountId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
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

// --- Teachers' unblock requests and email (adapters: src/storage/sql/unblock-repository.ts, src/notify/) ---

/** A policy change to store and publish in the same transaction as an unblock request's state change. */
export interface PolicyPublication {
  /** Pending, based on the version that was current when it was built. */
  readonly change: import('../core/policy/change/change-request.ts').PolicyChangeRequest;
  readonly decision: import('../core/policy/change/change-request.ts').ChangeDecision;
}

export interface UnblockListFilter {
  readonly states?: readonly import('../core/unblock/unblock-request.ts').UnblockState[];
  readonly requester?: string;
}

/** A decision on a pending unblock request: approved or declined by someone else, or cancelled by the requester. */
export interface UnblockDecision {
  readonly state: 'approved' | 'declined' | 'cancelled';
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly comment: string | null;
}

export interface UnblockOutcome {
  readonly request: import('../core/unblock/unblock-request.ts').UnblockRequest;
  /** The version published in the same transaction; null when nothing was published. */
  readonly version: import('../core/policy/change/change-request.ts').PolicyVersion | null;
}

/** Unblock requests of each school. Writes that publish a policy version do so in the same transaction. */
export interface UnblockRequestRepository {
  /** ORGANISATION_UNKNOWN when there is no such school. */
  insert(request: import('../core/unblock/unblock-request.ts').UnblockRequest): Promise<void>;
  find(id: string): Promise<import('../core/unblock/unblock-request.ts').UnblockRequest | null>;
  /** The school's requests, newest first. */
  list(schoolId: string, filter?: UnblockListFilter): Promise<import('../core/unblock/unblock-request.ts').UnblockRequest[]>;
  /**
   * Requests of every school with work due at `at`: pending or approved whose period has ended, and
   * approved but not yet published whose period has started. Oldest first.
   */
  listDue(at: string): Promise<import('../core/unblock/unblock-request.ts').UnblockRequest[]>;
  /**
   * Decides a pending request and, with `publication`, publishes it in the same transaction.
   * UNBLOCK_CONFLICT when the request is no longer pending (of two racing decisions, one wins);
   * POLICY_CHANGE_CONFLICT when another version was published since the publication was built.
   */
  decide(id: string, decision: UnblockDecision, publication?: PolicyPublication): Promise<UnblockOutcome>;
  /** Publishes an approved request's rule (its period has started); UNBLOCK_CONFLICT unless approved and unpublished. */
  publishRule(id: string, publication: PolicyPublication): Promise<UnblockOutcome>;
  /** Marks those of `ids` still pending or approved expired and, with `publication`, publishes it, in one transaction; returns the ids expired. */
  expire(ids: readonly string[], at: string, publication?: PolicyPublication): Promise<{ readonly expired: readonly string[]; readonly version: import('../core/policy/change/change-request.ts').PolicyVersion | null }>;
}

/** A plain-text email. */
export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends messages to people; rejects when the message could not be handed over. */
export interface Notifier {
  send(message: EmailMessage): Promise<void>;
}

/** Where to reach an account (the accounts' store implements it). */
export interface ContactDirectory {
  emailOf(accountId: string): Promise<string | null>;
  /** Account ids of the people who may approve the school's unblock requests (told of new ones); none when not known. */
  approversOf?(schoolId: string): Promise<readonly string[]>;
}

// --- The stored activity log (adapters: src/storage/sql/activity-repository.ts, src/storage/files/activity-files.ts) ---

/** Where ingest stopped in one log file: bytes before `offset` are in the database. */
export interface ActivityIngestPosition {
  readonly offset: number;
  /** A past day's file read to its end: skipped from then on without looking at it. */
  readonly complete: boolean;
}

/** A move of one file's position, stored in the same transaction as the rows read before it. */
export interface ActivityPositionMove {
  readonly origin: string;
  readonly file: string;
  /** The position the batch was read from: the move is refused when the stored one differs. */
  readonly fromOffset: number;
  readonly toOffset: number;
  readonly complete: boolean;
  readonly at: string;
}

/** One page of a search: entries newest first, and where the next (older) page starts. */
export interface ActivityRows {
  readonly entries: import('../core/activity/query.ts').ActivityEntry[];
  readonly next: import('../core/activity/cursor.ts').ActivityCursor | null;
}

/** Activity records of each school, their ingest positions and retention settings. */
export interface ActivityRepository {
  /** Every file's position for this origin, by file name ("dns/2025-09-01.jsonl"). */
  ingestPositions(origin: string): Promise<Map<string, ActivityIngestPosition>>;
  /**
   * In one transaction: inserts the records for the school and moves the file's position.
   * ACTIVITY_INGEST_CONFLICT, with nothing written, when the stored position is not `fromOffset`
   * (another ingester got there first).
   */
  appendFromFile(schoolId: string, records: readonly import('../core/activity/record.ts').ActivityRecord[], move: ActivityPositionMove): Promise<void>;
  /** Inserts records in one transaction (imports and tests; ingest uses appendFromFile). */
  insert(schoolId: string, records: readonly import('../core/activity/record.ts').ActivityRecord[]): Promise<void>;
  /** One page; `search.limit` is not capped here (export reads larger pages than the API allows). */
  search(search: import('../core/activity/query.ts').ActivitySearch): Promise<ActivityRows>;
  count(schoolId: string): Promise<number>;
  /** DEFAULT_ACTIVITY_RETENTION_DAYS unless the school set its own. */
  retentionDays(schoolId: string): Promise<number>;
  /** `days` already validated; ORGANISATION_UNKNOWN when there is no such school. */
  setRetentionDays(schoolId: string, days: number, at: string): Promise<void>;
  /** Deletes up to `max` of the school's entries older than `beforeMs` (oldest first), in one transaction; returns how many. */
  deleteOlderThan(schoolId: string, beforeMs: number, max: number): Promise<number>;
}

/** Grouped counts of the stored activity for the dashboard (adapter: src/storage/sql/activity-summary.ts). */
export interface ActivitySummaryReader {
  summarise(window: import('../core/activity/summary.ts').SummaryWindow): Promise<import('../core/activity/summary.ts').ActivitySummary>;
}

/** The activity log files the DNS server and the proxy write (src/storage/files/activity-log.ts). */
export interface ActivityLogFiles {
  /** Every log file, as "<source>/<YYYY-MM-DD>.jsonl", sorted. */
  list(): Promise<string[]>;
  /** Its size in bytes now; null when it is gone. */
  size(file: string): Promise<number | null>;
  /** Up to `length` bytes from `offset` (fewer at the end of the file). */
  read(file: string, offset: number, length: number): Promise<Uint8Array>;
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
