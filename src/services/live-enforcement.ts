// The policy engine and client map in force, swapped whole when a new policy or snapshot is
// published. A reload that fails leaves the last good one enforcing and is reported: filtering
// never falls back to nothing.
import type { ClientMap } from '../core/directory/client-map.ts';
import type { PolicyEngine } from '../core/policy/engine.ts';

export interface Enforcing {
  readonly engine: PolicyEngine;
  readonly clients: ClientMap;
  /** Names what is enforced, e.g. "lists v7, policy default pack". */
  readonly version: string;
  readonly loadedAt: Date;
  /** Things passed over to load this (e.g. a damaged newer snapshot): reported, not fatal. */
  readonly problems: readonly string[];
}

export type EnforcementEvent =
  | { readonly kind: 'loaded'; readonly version: string; readonly warnings: readonly string[]; readonly problems: readonly string[] }
  | { readonly kind: 'reload-failed'; readonly error: Error; readonly keeping: string };

export class LiveEnforcement {
  private enforcing: Enforcing | null = null;
  private reloading: Promise<boolean> | null = null;

  constructor(
    private readonly load: () => Promise<Enforcing>,
    private readonly report: (event: EnforcementEvent) => void = () => {},
  ) {}

  /** The first load must succeed: without a policy there is nothing safe to serve. */
  async start(): Promise<Enforcing> {
    const first = await this.load();
    this.enforcing = first;
    this.report({ kind: 'loaded', version: first.version, warnings: first.engine.warnings, problems: first.problems });
    return first;
  }

  current(): Enforcing {
    if (!this.enforcing) throw new Error('enforcement used before start()');
    return this.enforcing;
  }

  /**
   * For whoever just changed what is loaded (a publish, a register change): never shares a load that
   * started before the call, which may have read the old files.
   */
  async reloadAfterChange(): Promise<boolean> {
    if (this.reloading) await this.reloading;
    return this.reload();
  }

  /** Loads again; true when the new one is in force. Concurrent calls share one load. */
  reload(): Promise<boolean> {
    this.reloading ??= this.load()
      .then((next) => {
        this.enforcing = next;
        this.report({ kind: 'loaded', version: next.version, warnings: next.engine.warnings, problems: next.problems });
        return true;
      })
      .catch((error: Error) => {
        this.report({ kind: 'reload-failed', error, keeping: this.enforcing?.version ?? 'nothing' });
        return false;
      })
      .finally(() => {
        this.reloading = null;
      });
    return this.reloading;
  }
}
