// Searching the stored activity log: what a search may filter on, checked once here so the storage
// adapters receive only valid values. User, device, category and decision are equalities on indexed
// columns plus a time range: one index range scan, newest first. Host and source filter the rows of
// such a range (give a time range or another filter with them on a large log).
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import { decodeCursor, type ActivityCursor } from './cursor.ts';
import type { ActivityRecord } from './record.ts';

export const ACTIVITY_DECISIONS = ['allow', 'block'] as const;
export const ACTIVITY_SOURCES = ['dns', 'proxy'] as const;
export type ActivityDecision = (typeof ACTIVITY_DECISIONS)[number];
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

export const DEFAULT_ACTIVITY_PAGE_SIZE = 100;
export const MAX_ACTIVITY_PAGE_SIZE = 500;
/** Longest filter value: longer than any username, address, host or category name. */
const MAX_FILTER_LENGTH = 253;

/** A stored record with its row id (text: a 64-bit integer on PostgreSQL). */
export interface ActivityEntry extends ActivityRecord {
  readonly id: string;
}

export interface ActivityPage {
  /** Newest first. */
  readonly entries: ActivityEntry[];
  /** Cursor of the next (older) page; null on the last page. */
  readonly next: string | null;
}

/** Validated filters; absent ones match everything. Times are Unix ms, `fromMs` inclusive, `toMs` exclusive. */
export interface ActivityFilter {
  readonly user?: string;
  /** A device label, or a client address (matches records from that address that carry no device label). */
  readonly device?: string;
  /** Exact host or DNS name (lower-case, no trailing dot). */
  readonly host?: string;
  readonly category?: string;
  readonly decision?: ActivityDecision;
  readonly source?: ActivitySource;
  readonly fromMs?: number;
  readonly toMs?: number;
}

export interface ActivitySearch {
  readonly schoolId: string;
  readonly filter: ActivityFilter;
  readonly limit: number;
  /** Start after this entry (from the previous page's `next`); null for the first page. */
  readonly after: ActivityCursor | null;
}

/** A search as a user or an HTTP query gives it: strings, all optional but the school. */
export interface ActivitySearchInput {
  readonly user?: string | null;
  readonly device?: string | null;
  readonly host?: string | null;
  readonly category?: string | null;
  readonly decision?: string | null;
  readonly source?: string | null;
  /** ISO-8601 instants; `from` inclusive, `to` exclusive. */
  readonly from?: string | null;
  readonly to?: string | null;
  readonly limit?: number | string | null;
  readonly cursor?: string | null;
}

function invalid(message: string, input: string): RingfenceError {
  return new RingfenceError(ErrorCodes.ACTIVITY_QUERY_INVALID, message, input);
}

const given = (v: string | null | undefined): v is string => v !== null && v !== undefined && v.trim() !== '';

function text(name: string, v: string): string {
  const t = v.trim();
  if (t.length > MAX_FILTER_LENGTH) throw invalid(`${name} ${quoteInput(v)} is longer than ${MAX_FILTER_LENGTH} characters`, v);
  if (/[\u0000-\u001f\u007f]/.test(t)) throw invalid(`${name} ${quoteInput(v)} contains control characters`, v);
  return t;
}

function oneOf<T extends string>(name: string, v: string, allowed: readonly T[]): T {
  const t = v.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(t)) throw invalid(`${name} ${quoteInput(v)} is not one of ${allowed.join(', ')}`, v);
  return t as T;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant with a zone (Z or ±hh:mm) as Unix ms. */
export function parseInstantMs(name: string, v: string): number {
  const t = v.trim();
  const ms = ISO_INSTANT.test(t) ? Date.parse(t) : NaN;
  if (!Number.isFinite(ms)) throw invalid(`${name} ${quoteInput(v)} is not a time such as 2025-09-01T08:00:00Z (with Z or an offset)`, v);
  return ms;
}

function limitOf(v: number | string | null | undefined): number {
  if (v === null || v === undefined || v === '') return DEFAULT_ACTIVITY_PAGE_SIZE;
  const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_ACTIVITY_PAGE_SIZE) throw invalid(`limit ${quoteInput(String(v))} is not a whole number from 1 to ${MAX_ACTIVITY_PAGE_SIZE}`, String(v));
  return n;
}

/** Host names as logged: lower-case, without the root's trailing dot. */
function hostOf(v: string): string {
  return text('host', v).toLowerCase().replace(/\.$/, '');
}

/** Checks a search; throws ACTIVITY_QUERY_INVALID (or ACTIVITY_CURSOR_INVALID) naming the bad input. */
export function parseActivitySearch(schoolId: string, input: ActivitySearchInput): ActivitySearch {
  const filter: { -readonly [K in keyof ActivityFilter]: ActivityFilter[K] } = {};
  if (given(input.user)) filter.user = text('user', input.user);
  if (given(input.device)) filter.device = text('device', input.device);
  if (given(input.host)) filter.host = hostOf(input.host);
  if (given(input.category)) filter.category = text('category', input.category);
  if (given(input.decision)) filter.decision = oneOf('decision', input.decision, ACTIVITY_DECISIONS);
  if (given(input.source)) filter.source = oneOf('source', input.source, ACTIVITY_SOURCES);
  if (given(input.from)) filter.fromMs = parseInstantMs('from', input.from);
  if (given(input.to)) filter.toMs = parseInstantMs('to', input.to);
  if (filter.fromMs !== undefined && filter.toMs !== undefined && filter.fromMs >= filter.toMs) {
    throw invalid(`from ${quoteInput(input.from!)} is not before to ${quoteInput(input.to!)}`, input.from!);
  }
  return { schoolId, filter, limit: limitOf(input.limit), after: given(input.cursor) ? decodeCursor(input.cursor.trim()) : null };
}
