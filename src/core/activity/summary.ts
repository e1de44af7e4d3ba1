// The dashboard's view of activity: requests and blocks per hour or day over a window, and the
// categories, sites, users and devices with the most blocks. Windows are bounded so a summary
// reads at most a month of rows.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';

export const SUMMARY_MAX_DAYS = 31;
export const SUMMARY_TOP = 10;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface SummaryWindow {
  readonly schoolId: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly bucketMs: number;
  readonly top: number;
}

export interface SummaryBucket {
  /** ISO-8601 start of the bucket. */
  readonly start: string;
  readonly requests: number;
  readonly blocks: number;
}

export interface Ranked {
  readonly key: string;
  readonly blocks: number;
}

export interface ActivitySummary {
  readonly from: string;
  readonly to: string;
  readonly bucket: 'hour' | 'day';
  readonly buckets: readonly SummaryBucket[];
  readonly requests: number;
  readonly blocks: number;
  readonly topCategories: readonly Ranked[];
  readonly topSites: readonly Ranked[];
  readonly topUsers: readonly Ranked[];
  readonly topDevices: readonly Ranked[];
}

function instant(text: string, what: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d\d-\d\dT/.test(text) || Number.isNaN(ms)) throw new RingfenceError(ErrorCodes.ACTIVITY_QUERY_INVALID, `${what} ${quoteInput(text)} is not an ISO-8601 time such as 2026-11-02T09:00:00Z`, text);
  return ms;
}

/** From `from` (inclusive) to `to` (exclusive), at most 31 days; hourly buckets up to two days, daily beyond. */
export function summaryWindow(schoolId: string, from: string, to: string): SummaryWindow {
  const fromMs = instant(from, 'from');
  const toMs = instant(to, 'to');
  if (toMs <= fromMs) throw new RingfenceError(ErrorCodes.ACTIVITY_QUERY_INVALID, '"to" must be after "from"');
  if (toMs - fromMs > SUMMARY_MAX_DAYS * DAY_MS) throw new RingfenceError(ErrorCodes.ACTIVITY_QUERY_INVALID, `a summary covers at most ${SUMMARY_MAX_DAYS} days`);
  return { schoolId, fromMs, toMs, bucketMs: toMs - fromMs <= 2 * DAY_MS ? HOUR_MS : DAY_MS, top: SUMMARY_TOP };
}

/** Every bucket of the window, empty ones included (a chart needs the gaps). */
export function fillBuckets(window: SummaryWindow, counted: ReadonlyMap<number, { requests: number; blocks: number }>): SummaryBucket[] {
  const out: SummaryBucket[] = [];
  const first = Math.floor(window.fromMs / window.bucketMs) * window.bucketMs;
  for (let start = first; start < window.toMs; start += window.bucketMs) {
    const c = counted.get(start);
    out.push({ start: new Date(start).toISOString(), requests: c?.requests ?? 0, blocks: c?.blocks ?? 0 });
  }
  return out;
}
