// The control plane on one open database: its repositories, the audit log, console sign-in, and
// the HTTP API's context built from them. `npm start` and the API tests both assemble it here.
import { openAuditLog } from '../storage/sql/audit-store.ts';
import { auditCheckpointPath, auditSealFunctions, defaultAuditKeyPath, readAuditKey } from '../storage/sql/audit-key-file.ts';
import { ErrorCodes, RingfenceError } from '../core/errors.ts';
import { AuditCheckpointFile } from '../storage/sql/audit-checkpoint-file.ts';
import { SqlAuditRepository } from '../storage/sql/audit-repository.ts';
import { SqlConsoleAccountRepository } from '../storage/sql/console-account-repository.ts';
import type { Database } from '../storage/sql/database.ts';
import { SqlDeviceRepository } from '../storage/sql/device-repository.ts';
import { SqlDirectoryRepository } from '../storage/sql/directory-repository.ts';
import { SqlOrganisationRepository } from '../storage/sql/organisation-repository.ts';
import { SqlPolicyRepository } from '../storage/sql/policy-repository.ts';
import { SqlSchoolSettingsRepository } from '../storage/sql/school-settings-repository.ts';
import { uuidV7Source } from '../storage/sql/uuid-source.ts';
import { Argon2Hasher } from '../storage/crypto/argon2-hasher.ts';
import { AesGcmSecretBox } from '../storage/crypto/secret-box.ts';
import { defaultMfaKeyPath, loadOrCreateSecretKey } from '../storage/crypto/secret-key-file.ts';
import type { AuditLog } from '../services/audit/audit-log.ts';
import { verifyAudit } from '../services/audit/verify-audit.ts';
import { ConsoleAuthService } from '../services/console-auth/console-auth-service.ts';
import type { Clock, IdSource, Notifier } from '../services/ports.ts';
import { SqlUnblockRepository } from '../storage/sql/unblock-repository.ts';
import { SqlActivityRepository } from '../storage/sql/activity-repository.ts';
import { accountContacts } from './contacts.ts';
import type { UnblockDeps } from '../services/unblock/unblock-requests.ts';
import type { Policy } from '../core/policy/schema.ts';

export interface ControlPlane {
  readonly database: Database;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly audit: AuditLog;
  readonly organisations: SqlOrganisationRepository;
  readonly directory: SqlDirectoryRepository;
  readonly devices: SqlDeviceRepository;
  readonly policy: SqlPolicyRepository;
  readonly auth: ConsoleAuthService;
  readonly verifyAudit: () => ReturnType<typeof verifyAudit>;
  readonly unblockRequests: SqlUnblockRepository;
  readonly activity: SqlActivityRepository;
  readonly schoolSettings: SqlSchoolSettingsRepository;
  /** Unblock use cases' deps, given where published versions go. */
  unblockDeps(onPublished: (schoolId: string, version: number, document: Policy) => Promise<void> | void): UnblockDeps;
}

export interface ControlPlaneOptions {
  readonly clock?: Clock;
  /** Password hashing cost; tests pass a cheaper one. */
  readonly hasher?: Argon2Hasher;
  /** Email for unblock requests; none: decisions are made and nobody is emailed. */
  readonly notifier?: Notifier;
  readonly onNotifyFailure?: (message: string) => void;
}

export async function openControlPlane(database: Database, dataDir: string, options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const clock = options.clock ?? { now: () => new Date() };
  const ids = uuidV7Source(clock);
  const keyPath = defaultAuditKeyPath(dataDir);
  const audit = await openAuditLog(database, { keyPath, clock });
  const organisations = new SqlOrganisationRepository(database);
  const auth = new ConsoleAuthService({
    accounts: new SqlConsoleAccountRepository(database),
    organisations,
    hasher: options.hasher ?? new Argon2Hasher(),
    secrets: new AesGcmSecretBox(loadOrCreateSecretKey(defaultMfaKeyPath(dataDir))),
    audit,
    ids,
    clock,
  });
  const unblockRequests = new SqlUnblockRepository(database);
  const policy = new SqlPolicyRepository(database);
  const contacts = accountContacts(auth);
  return {
    unblockRequests,
    activity: new SqlActivityRepository(database),
    schoolSettings: new SqlSchoolSettingsRepository(database),
    unblockDeps: (onPublished) => ({
      requests: unblockRequests,
      policies: policy,
      audit,
      ids,
      clock,
      onPublished,
      ...(options.notifier ? { notifier: options.notifier, contacts } : {}),
      onNotifyFailure: (f) => options.onNotifyFailure?.(`email to account ${f.accountId} about "${f.subject}" was not sent: ${f.error}`),
    }),
    database,
    dataDir,
    clock,
    ids,
    audit,
    organisations,
    directory: new SqlDirectoryRepository(database),
    devices: new SqlDeviceRepository(database),
    policy,
    auth,
    verifyAudit: () => {
      // Read, never created: a missing key is a missing key, not a reason to make a new one.
      const key = readAuditKey(keyPath);
      if (!key) return Promise.reject(new RingfenceError(ErrorCodes.AUDIT_KEY_MISSING, `there is no audit key at ${keyPath}: restore it from your backup`, keyPath));
      return verifyAudit({ repository: new SqlAuditRepository(database), checkpoints: new AuditCheckpointFile(auditCheckpointPath(keyPath)), seal: auditSealFunctions(key) });
    },
  };
}
