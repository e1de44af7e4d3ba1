// Keeps the clients the DNS server and the proxy identify in step with the device register: reads
// it from the database (after every device or network write, and every 30 s), keeps a last good copy
// in the data folder and reloads enforcement when who-is-who changed. With the database down the
// last good copy stays in force, and guests in it still lapse on time.
import { groupsOf } from '../core/directory/people.ts';
import type { ClientRegister } from '../services/directory/client-register.ts';
import type { Clock } from '../services/ports.ts';
import { ClientRegisterFile } from '../storage/files/last-good-clients.ts';
import type { EnforcementGroup } from './live-policy.ts';

export interface ClientRegisterSyncOptions {
  readonly dataDir: string;
  /** Reads the school's register, e.g. `() => clientRegisterFor({ devices, directory }, schoolId)`. */
  readonly read: () => Promise<ClientRegister>;
  readonly enforcements: EnforcementGroup;
  readonly clock: Clock;
  readonly say: (line: string) => void;
  /** Period of the background refresh; default 30 s. */
  readonly refreshMs?: number;
}

export type RefreshOutcome =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'reloaded'; readonly saved: boolean; readonly enforced: boolean }
  | { readonly kind: 'database-unavailable'; readonly error: Error; readonly reloaded: boolean };

/** Who each address is at `now`, as text: equal texts mean equal client maps. */
function identityText(register: ClientRegister, now: Date): string {
  return JSON.stringify({ devices: register.devices, networks: register.networks, people: register.people.map((p) => [p.username, groupsOf({ ...p, displayName: '' }, now)]) });
}

export class ClientRegisterSync {
  private readonly file: ClientRegisterFile;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  /** What the enforcement in force was built from; null until known. */
  private enforcedText: string | null = null;
  private databaseDown = false;

  constructor(private readonly options: ClientRegisterSyncOptions) {
    this.file = new ClientRegisterFile(options.dataDir);
    try {
      const saved = this.file.read();
      if (saved) this.enforcedText = identityText(saved.register, options.clock.now());
    } catch {
      // Reported by enforcement when it loads; the first refresh writes a good copy.
    }
  }

  /** Call after a device or network write; refreshes run one at a time, in order. */
  refreshClients(): Promise<RefreshOutcome> {
    const next = this.queue.then(() => this.refreshNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Starts the periodic refresh (the timer never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.refreshClients().catch((e: Error) => this.options.say(`client register refresh failed: ${e.message}`));
    }, this.options.refreshMs ?? 30_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async refreshNow(): Promise<RefreshOutcome> {
    const now = this.options.clock.now();
    let register: ClientRegister;
    try {
      register = await this.options.read();
    } catch (e) {
      if (!this.databaseDown) this.options.say(`cannot read the device register from the database (${(e as Error).message}); identifying clients by the last good copy`);
      this.databaseDown = true;
      // Guests may still lapse while the database is down: rebuild from the copy when that changed anything.
      const saved = this.readSaved();
      const reloaded = saved !== null && identityText(saved.register, now) !== this.enforcedText && (await this.reload(identityText(saved.register, now)));
      return { kind: 'database-unavailable', error: e as Error, reloaded };
    }
    if (this.databaseDown) this.options.say('the device register can be read again');
    this.databaseDown = false;
    const saved = this.readSaved();
    const changed = saved === null || JSON.stringify(saved.register) !== JSON.stringify(register);
    if (changed) this.file.write({ register, fetchedAt: now.toISOString() });
    const text = identityText(register, now);
    if (!changed && text === this.enforcedText) return { kind: 'unchanged' };
    return { kind: 'reloaded', saved: changed, enforced: await this.reload(text) };
  }

  private readSaved() {
    try {
      return this.file.read();
    } catch {
      return null;
    }
  }

  private async reload(text: string): Promise<boolean> {
    const ok = await this.options.enforcements.reloadAll();
    if (ok) this.enforcedText = text;
    return ok;
  }
}
