// Work the node does on a timer (ending stale console sessions, starting and expiring unblock
// rules, moving activity into the database). One job at a time; a failure is reported and the job
// runs again next time.

export interface Job {
  readonly name: string;
  readonly everyMs: number;
  /** What to report, or null when there was nothing to do. */
  readonly run: () => Promise<string | null>;
}

export class BackgroundJobs {
  private readonly timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly jobs: readonly Job[],
    private readonly say: (line: string) => void,
  ) {}

  start(): void {
    for (const job of this.jobs) {
      const timer = setInterval(() => void this.runOne(job), job.everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Runs every job once now (at start, and in tests). */
  async runAll(): Promise<void> {
    for (const job of this.jobs) await this.runOne(job);
  }

  private runOne(job: Job): Promise<unknown> {
    this.running = this.running.then(async () => {
      try {
        const said = await job.run();
        if (said) this.say(`${job.name}: ${said}`);
      } catch (e) {
        this.say(`${job.name}: failed, will try again: ${(e as Error).message}`);
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    await this.running;
  }
}
