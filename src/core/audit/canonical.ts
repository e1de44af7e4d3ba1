// Canonical JSON: one text per value, whatever order its keys were built in, so a hash of it is
// stable. Keys sorted (by UTF-16 code units), no spaces, only finite numbers, plain data only.
import { ErrorCodes, RingfenceError } from '../errors.ts';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

const MAX_DEPTH = 32;

function fail(message: string): never {
  throw new RingfenceError(ErrorCodes.AUDIT_ENTRY_INVALID, message);
}

function write(value: unknown, path: string, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH) fail(`audit details nest deeper than ${MAX_DEPTH} levels at ${path}`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    out.push(JSON.stringify(value));
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`audit details hold a number that JSON cannot carry (${value}) at ${path}`);
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, `${path}[${i}]`, depth + 1, out);
    });
    out.push(']');
  } else if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const keys = Object.keys(value).sort();
    out.push('{');
    keys.forEach((key, i) => {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(key), ':');
      write((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, out);
    });
    out.push('}');
  } else {
    const kind = value === undefined ? 'undefined' : typeof value === 'object' ? `a ${value.constructor?.name ?? 'non-plain'} object` : `a ${typeof value}`;
    fail(`audit details hold ${kind} at ${path}; only plain JSON data is kept`);
  }
}

export function canonicalJson(value: JsonValue): string {
  const out: string[] = [];
  write(value, '$', 0, out);
  return out.join('');
}
