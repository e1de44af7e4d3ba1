// What the routes reach: the ports and use-case inputs the server wires together. Routes build a
// use case's deps from these with the signed-in account as the actor.
import type { Explainer } from '../services/policy/explain.ts';
import type { AuditLog } from '../services/audit/audit-log.ts';
import type { AuditVerification } from '../services/audit/verify-audit.ts';
import type { AuditedActivityDeps } from '../services/activity/audited-reads.ts';
import type { BlockPageTextDeps } from '../services/org/block-page-text.ts';
import type { ListImportJobs } from '../services/lists/import-jobs.ts';
import type { UnblockDeps } from '../services/unblock/unblock-requests.ts';
import type { ConsoleAuthService } from '../services/console-auth/console-auth-service.ts';
import type { Clock, DeviceRepository, DirectoryRepository, IdSource, OrganisationRepository, PolicyChangeRepository } from '../services/ports.ts';
import type { Policy } from '../core/policy/schema.ts';
import type { PolicyEngine } from '../core/policy/engine.ts';

export interface HealthReport {
  /** 'ok' once every part is listening and enforcing. */
  readonly status: 'ok' | 'starting' | 'degraded';
  readonly parts: Readonly<Record<string, { readonly status: 'ok' | 'starting' | 'down'; readonly detail?: string }>>;
  readonly version: string;
}

export interface ApiContext {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly organisations: OrganisationRepository;
  readonly directory: DirectoryRepository;
  readonly devices: DeviceRepository;
  readonly policy: PolicyChangeRepository;
  /** Called after a version is published: compiles it and swaps it into the DNS server and proxy. */
  readonly onPublished: (schoolId: string, version: number, document: Policy) => Promise<void> | void;
  /** Called after the device register or networks change, so enforcement identifies clients anew. */
  readonly onClientsChanged: (schoolId: string) => void;
  /** "Test a request" through the engine in force for the school. */
  readonly explainerFor: (schoolId: string, user?: string | null) => Promise<Explainer>;
  /** The school's policy compiled against the lists in force. */
  readonly engineFor: (schoolId: string) => Promise<PolicyEngine>;
  readonly health: () => HealthReport;
  /** Category list imports from the console, run in the background on this node. */
  readonly listImports: ListImportJobs;
  readonly auth: ConsoleAuthService;
  readonly unblock: UnblockDeps;
  readonly activity: AuditedActivityDeps;
  /** Walks the audit log's hash chain and seals (`ringfence audit verify` over HTTP). */
  readonly verifyAudit: () => Promise<AuditVerification>;
  readonly version: string;
  /** The school's block page words: stored, audited, and handed to the node's proxy when saved. */
  readonly blockPage: BlockPageTextDeps;
}
