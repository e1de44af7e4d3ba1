// Ids of stored records: UUIDv7 text. Time-ordered (so B-tree inserts stay at the end and ids sort
// by creation), unguessable, and globally unique, so records from different schools, trusts or
// servers can be merged or moved without renumbering — which integer keys would need.
// The core only formats and checks them: the time and the random bytes are passed in.
import { ErrorCodes, RingfenceError, quoteInput, type ErrorCode } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RANDOM_BYTES = 10;

/** True for a UUID in canonical lower-case form (the only form stored, so text comparison works). */
export function isEntityId(value: string): boolean {
  return UUID.test(value);
}

/** Reads an id given by a user: any letter case, surrounding blanks ignored; anything else refused. */
export function parseEntityId(value: string, what: string, code: ErrorCode = ErrorCodes.ARGUMENT_INVALID): string {
  const id = value.trim().toLowerCase();
  if (!isEntityId(id)) {
    throw new RingfenceError(code, `${what} ${quoteInput(value)} is not an id (expected a UUID such as "0190a6b2-7c4e-7d3a-9f00-1b2c3d4e5f60")`, value);
  }
  return id;
}

/** A UUIDv7 (RFC 9562) from a Unix time in milliseconds and 10 random bytes. */
export function formatUuidV7(unixMs: number, random: Uint8Array): string {
  if (!Number.isSafeInteger(unixMs) || unixMs < 0 || unixMs >= 2 ** 48) throw new RangeError(`time ${unixMs} does not fit a UUIDv7`);
  if (random.length < RANDOM_BYTES) throw new RangeError(`a UUIDv7 needs ${RANDOM_BYTES} random bytes`);
  const bytes = new Uint8Array(16);
  let t = unixMs;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  bytes.set(random.subarray(0, RANDOM_BYTES), 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10xx
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
