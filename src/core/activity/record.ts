// One line of the activity log: what a client asked for and what Ringfence decided, with the rule,
// tier, category and list that decided it. DNS and the proxy write the same shape.
export interface ActivityRecord {
  /** ISO-8601 instant. */
  readonly time: string;
  readonly source: 'dns' | 'proxy';
  readonly transport: string;
  readonly client: string;
  readonly user: string | null;
  readonly device: string | null;
  readonly groups: readonly string[];
  /** The name asked for (DNS) or the host (proxy). */
  readonly name: string;
  /** DNS question type ("A", "AAAA", …) or the HTTP method. */
  readonly type: string;
  readonly url?: string;
  readonly action: 'allow' | 'block';
  /** How it was answered: forwarded, cached, blocked, safe-search, canary, servfail, refused, formerr… */
  readonly answer: string;
  readonly tier: string | null;
  readonly verdict: string | null;
  readonly category: string | null;
  readonly rule: string | null;
  readonly list: string | null;
  readonly rcode?: string;
  readonly latencyMs: number;
  readonly bytesIn?: number;
  readonly bytesOut?: number;
}
