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
  /** The HTTP status the proxy answered with. */
  readonly status?: number;
  /** The proxy's reference for the request, shown on its block and error pages. */
  readonly ref?: string;
  readonly latencyMs: number;
  readonly bytesIn?: number;
  readonly bytesOut?: number;
}

const str = (s: string | null | undefined): string => (s === null || s === undefined ? 'null' : JSON.stringify(s));

/**
 * One JSON line for a record, written by hand: the log is on every query's path, and this is a few
 * times faster than JSON.stringify of the object. Strings that come from clients are escaped.
 */
export function activityLine(r: ActivityRecord): string {
  let line = `{"time":"${r.time}","source":"${r.source}","transport":"${r.transport}","client":${str(r.client)},"user":${str(r.user)},"device":${str(r.device)},"groups":[`;
  for (let i = 0; i < r.groups.length; i++) line += (i ? ',' : '') + str(r.groups[i]);
  line += `],"name":${str(r.name)},"type":${str(r.type)},`;
  if (r.url !== undefined) line += `"url":${str(r.url)},`;
  line += `"action":"${r.action}","answer":${str(r.answer)},"tier":${str(r.tier)},"verdict":${str(r.verdict)},"category":${str(r.category)},"rule":${str(r.rule)},"list":${str(r.list)},`;
  if (r.rcode !== undefined) line += `"rcode":${str(r.rcode)},`;
  if (r.status !== undefined) line += `"status":${r.status},`;
  if (r.ref !== undefined) line += `"ref":${str(r.ref)},`;
  if (r.bytesIn !== undefined) line += `"bytesIn":${r.bytesIn},"bytesOut":${r.bytesOut ?? 0},`;
  return `${line}"latencyMs":${r.latencyMs}}`;
}
