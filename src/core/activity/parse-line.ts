// Reading one line of the activity log back into a record, for ingest. The log is ours, but a line
// can be cut short (a crash mid-write), edited, or from an older or newer version: anything that
// is not a whole, well-typed record is refused (null) so ingest can count it and go on.
import type { ActivityRecord } from './record.ts';

type Json = Record<string, unknown>;

const isText = (v: unknown): v is string => typeof v === 'string';
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The record on a line (without its newline); null when it is not one. */
export function parseActivityLine(line: string): ActivityRecord | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Json;
  if (!isText(o.time) || !ISO_UTC.test(o.time) || !Number.isFinite(Date.parse(o.time))) return null;
  if (o.source !== 'dns' && o.source !== 'proxy') return null;
  if (o.action !== 'allow' && o.action !== 'block') return null;
  if (!isText(o.transport) || !isText(o.client) || !isText(o.name) || !isText(o.type) || !isText(o.answer)) return null;
  if (!isTextOrNull(o.user) || !isTextOrNull(o.device) || !isTextOrNull(o.tier) || !isTextOrNull(o.verdict)) return null;
  if (!isTextOrNull(o.category) || !isTextOrNull(o.rule) || !isTextOrNull(o.list)) return null;
  if (!Array.isArray(o.groups) || !o.groups.every(isText)) return null;
  if (!isCount(o.latencyMs)) return null;
  if (o.url !== undefined && !isText(o.url)) return null;
  if (o.rcode !== undefined && !isText(o.rcode)) return null;
  if (o.ref !== undefined && !isText(o.ref)) return null;
  if (o.status !== undefined && !(Number.isInteger(o.status) && isCount(o.status))) return null;
  if (o.bytesIn !== undefined && !(Number.isSafeInteger(o.bytesIn) && isCount(o.bytesIn))) return null;
  if (o.bytesOut !== undefined && !(Number.isSafeInteger(o.bytesOut) && isCount(o.bytesOut))) return null;
  return o as unknown as ActivityRecord;
}
