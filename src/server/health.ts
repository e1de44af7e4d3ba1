// What GET /api/health reports: each part's state, and 'ok' once every part is up.
import type { HealthReport } from '../api/context.ts';

type PartState = 'ok' | 'starting' | 'down';

export class Health {
  private readonly parts = new Map<string, { status: PartState; detail?: string }>();

  constructor(
    private readonly version: string,
    names: readonly string[],
  ) {
    for (const name of names) this.parts.set(name, { status: 'starting' });
  }

  set(name: string, status: PartState, detail?: string): void {
    this.parts.set(name, detail === undefined ? { status } : { status, detail });
  }

  report(): HealthReport {
    const states = [...this.parts.values()].map((p) => p.status);
    const status = states.every((s) => s === 'ok') ? 'ok' : states.includes('down') ? 'degraded' : 'starting';
    return { status, version: this.version, parts: Object.fromEntries(this.parts) };
  }
}
