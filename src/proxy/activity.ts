// One activity record per proxied request or tunnel, in the same log and shape as DNS queries.
import { IsoTime } from '../core/activity/iso-time.ts';
import type { ActivityRecord } from '../core/activity/record.ts';
import type { ClientIdentity } from '../core/directory/client-map.ts';
import type { Decision } from '../core/policy/decision.ts';
import type { ActivityLog } from '../services/ports.ts';

/** What one request was, filled in as it goes. */
export interface RequestTrace {
  readonly ref: string;
  readonly started: number;
  readonly client: string;
  readonly transport: 'http' | 'connect';
  method: string;
  identity: ClientIdentity | null;
  host: string;
  url: string | undefined;
  decision: Decision | null;
}

let counter = 0;
const PREFIX = Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0');

/** A short reference a pupil can read out to staff, unique within this process (and likely beyond). */
export function newRef(now: number): string {
  counter = (counter + 1) % 36 ** 4;
  return `${PREFIX}-${(now % 36 ** 6).toString(36)}-${counter.toString(36)}`;
}

export function newTrace(client: string, transport: 'http' | 'connect', method: string, now: number): RequestTrace {
  return { ref: newRef(now), started: performance.now(), client, transport, method, identity: null, host: '', url: undefined, decision: null };
}

export class ProxyActivity {
  private readonly iso = new IsoTime();

  constructor(
    private readonly log: ActivityLog,
    private readonly now: () => number,
  ) {}

  record(t: RequestTrace, answer: string, status: number, bytesIn: number, bytesOut: number): void {
    const d = t.decision;
    const blocked = d?.action === 'block' || status === 403 || status === 407;
    const record: ActivityRecord = {
      time: this.iso.of(this.now()),
      source: 'proxy',
      transport: t.transport,
      client: t.client,
      user: t.identity?.user ?? null,
      device: null,
      groups: t.identity?.groups ?? [],
      name: t.host,
      type: t.method,
      ...(t.url !== undefined ? { url: t.url } : {}),
      action: blocked ? 'block' : 'allow',
      answer,
      tier: d?.tier ?? null,
      verdict: d?.verdict ?? null,
      category: d?.category ?? null,
      rule: d?.rule ?? null,
      list: d?.list ?? null,
      status,
      ref: t.ref,
      latencyMs: Math.round((performance.now() - t.started) * 1000) / 1000,
      bytesIn,
      bytesOut,
    };
    try {
      this.log.append(record);
    } catch {
      // A closed log (shutting down) must not break the request that is finishing.
    }
  }
}
