// Console list imports run in the background: the request gets a job id at once and polls it.
// Jobs run one at a time on this node (two snapshot compiles must not race for a version number);
// the registry is in memory and bounded, so a restart forgets finished jobs.
import { ErrorCodes, RingfenceError, isRingfenceError } from '../../core/errors.ts';
import type { Policy } from '../../core/policy/schema.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock, IdSource, ListStore, ProgressReporter } from '../ports.ts';
import type { CompileResult } from './compile-lists.ts';
import { checkTextListRequest, importTextList, type TextListRequest, type TextListResult } from './import-text.ts';

export type ImportStage = 'waiting' | 'reading' | 'compiling' | 'reloading' | 'finished';

export interface ImportJobView {
  readonly id: string;
  readonly name: string;
  readonly state: 'running' | 'done' | 'failed';
  readonly stage: ImportStage;
  /** Progress within the stage: lines read, then lists compiled. */
  readonly done: number;
  readonly total: number | null;
  readonly startedAt: string;
  readonly result?: TextListResult & { readonly snapshotVersion: number; readonly inForce: boolean };
  readonly error?: { readonly code: string; readonly message: string };
}

export interface ImportJobDeps {
  readonly store: ListStore;
  /** Compiles every stored list into a new current snapshot. */
  readonly compile: (progress: ProgressReporter) => Promise<CompileResult>;
  /** Makes DNS and the proxy load the new snapshot now; false when they kept the old one. */
  readonly onListsChanged: () => Promise<boolean>;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
  readonly ids: IdSource;
  /** Unexpected failures (the job shows a general message instead). */
  readonly logError?: (error: unknown) => void;
  /**
   * The one school whose filtering these lists feed. Lists are kept per node, not per school, so
   * only that school's managers may import: another school on the same control plane would
   * otherwise change this school's filtering.
   */
  readonly schoolId: string;
}

interface Job {
  view: ImportJobView;
  readonly schoolId: string;
}

/** Finished jobs kept for polling; the oldest finished is forgotten first. */
const MAX_JOBS = 50;
/** Imports accepted but not finished; each holds its text in memory until it is read. */
const MAX_UNFINISHED = 3;

export class ListImportJobs {
  readonly #jobs = new Map<string, Job>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ImportJobDeps) {}

  /** Checks the request, then queues it; answers with the job's id before any line is read. */
  async start(schoolId: string, actor: string, policy: Policy, request: TextListRequest): Promise<{ jobId: string }> {
    if (schoolId.toLowerCase() !== this.deps.schoolId) {
      throw new RingfenceError(ErrorCodes.LIST_IMPORT_CONFLICT, 'this node filters for another school, and its lists serve that school only: import on the node that filters for this school');
    }
    await checkTextListRequest(request, policy, this.deps.store);
    const unfinished = [...this.#jobs.values()].filter((j) => j.view.state === 'running').length;
    if (unfinished >= MAX_UNFINISHED) {
      throw new RingfenceError(ErrorCodes.LIST_IMPORT_THROTTLED, `${unfinished} list imports are still running; wait for one to finish`);
    }
    const id = this.deps.ids.newId();
    const job: Job = { schoolId, view: { id, name: request.name, state: 'running', stage: 'waiting', done: 0, total: null, startedAt: this.deps.clock.now().toISOString() } };
    this.#remember(job);
    const run = this.#queue.then(() => this.#run(job, actor, request));
    this.#queue = run.catch(() => undefined);
    return { jobId: id };
  }

  /** A job of this school; LIST_IMPORT_UNKNOWN for another school's, as for one that never was. */
  get(schoolId: string, jobId: string): ImportJobView {
    const job = this.#jobs.get(jobId);
    if (!job || job.schoolId !== schoolId) throw new RingfenceError(ErrorCodes.LIST_IMPORT_UNKNOWN, 'no such list import on this server (finished jobs are kept for a while only)', jobId);
    return job.view;
  }

  async #run(job: Job, actor: string, request: TextListRequest): Promise<void> {
    const set = (changes: Partial<ImportJobView>) => (job.view = { ...job.view, ...changes });
    const progressOf = (stage: ImportStage): ProgressReporter => ({
      start: (_label, total) => set({ stage, done: 0, total }),
      advance: (n) => set({ done: job.view.done + n }),
      done: () => {},
    });
    try {
      const list = await importTextList(request, { store: this.deps.store, progress: progressOf('reading'), now: () => this.deps.clock.now(), actor });
      await this.deps.audit.append({
        schoolId: job.schoolId,
        actor,
        action: 'lists.imported',
        target: `list:${list.id}`,
        details: { category: list.category, usage: list.usage, format: request.format, domains: list.domains, urls: list.urls, ips: list.ips, badLines: list.bad },
      });
      const compiled = await this.deps.compile(progressOf('compiling'));
      set({ stage: 'reloading', done: 0, total: null });
      const inForce = await this.deps.onListsChanged();
      set({ state: 'done', stage: 'finished', result: { ...list, snapshotVersion: compiled.version, inForce } });
    } catch (e) {
      if (!isRingfenceError(e)) this.deps.logError?.(e);
      const error = isRingfenceError(e) ? { code: e.code, message: e.message } : { code: 'RF_INTERNAL', message: 'the import failed on the server; its log says why' };
      set({ state: 'failed', stage: 'finished', error });
    }
  }

  #remember(job: Job): void {
    this.#jobs.set(job.view.id, job);
    if (this.#jobs.size <= MAX_JOBS) return;
    for (const [id, old] of this.#jobs) {
      if (old.view.state !== 'running') {
        this.#jobs.delete(id);
        return;
      }
    }
  }
}
