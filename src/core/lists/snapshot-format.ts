// The on-disk form of a category snapshot: a fixed header (magic, format version, checksum, section
// table) and four sections. The other three are the typed arrays of the domain table, so a load is
// a checksum and three views over the file's bytes: nothing is parsed per domain.
//
//  0  magic "RINGFNCE"      24  meta offset, length (UTF-8 JSON: lists, tags, URL and IP entries)
//  8  format version        32  keys offset, length (Uint16 fingerprint triples)
// 12  header length (64)    40  starts offset, length (Uint32 per bucket, plus one)
// 16  CRC-32 of bytes 64..  48  tags offset, length (meta.tagWidth bytes each)
// 20  reserved              56  reserved
import { ErrorCodes, RingfenceError } from '../errors.ts';
import type { ListMeta } from './entry.ts';
import { DomainTable } from './domain-table.ts';
import type { IpEntryRecord } from './ip-set.ts';
import { CategorySnapshot, type SnapshotContents, type UrlRecord } from './snapshot.ts';
import type { Checksum } from './checksum.ts';

/**
 * 3: 64-bit fingerprints in buckets instead of the names (2: slots pointing at name records; 1: a
 * separate entries array).
 */
export const SNAPSHOT_FORMAT_VERSION = 3;
const MAGIC = 'RINGFNCE';
const HEADER_LENGTH = 64;

interface MetaSection {
  version: number;
  createdAt: string;
  lists: ListMeta[];
  tags: number[][];
  labelMask: number;
  domainCount: number;
  /** Bytes per domain tag: 1, 2 or 4. */
  tagWidth: 1 | 2 | 4;
  urls: [string, string, number][];
  ips: [4 | 6, string, number, number][];
}

const align8 = (n: number) => (n + 7) & ~7;

export function encodeSnapshot(c: SnapshotContents, checksum: Checksum): Uint8Array {
  const meta: MetaSection = {
    version: c.version,
    createdAt: c.createdAt,
    lists: [...c.lists],
    tags: c.tags.map((t) => [...t]),
    labelMask: c.domains.labelMask,
    domainCount: c.domains.size,
    tagWidth: c.domains.tags.BYTES_PER_ELEMENT as 1 | 2 | 4,
    urls: c.urls.map((u) => [u.host, u.path, u.tag]),
    ips: c.ips.map((ip) => [ip.family, ip.address, ip.prefix, ip.tag]),
  };
  const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
  const parts = [metaBytes, bytesOf(c.domains.keys), bytesOf(c.domains.starts), bytesOf(c.domains.tags)];
  let offset = HEADER_LENGTH;
  const placed = parts.map((p) => {
    const at = offset;
    offset = align8(at + p.length);
    return at;
  });
  const out = new Uint8Array(offset);
  const view = new DataView(out.buffer);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, SNAPSHOT_FORMAT_VERSION, true);
  view.setUint32(12, HEADER_LENGTH, true);
  parts.forEach((p, i) => {
    out.set(p, placed[i]!);
    view.setUint32(24 + i * 8, placed[i]!, true);
    view.setUint32(28 + i * 8, p.length, true);
  });
  view.setUint32(16, checksum(out.subarray(HEADER_LENGTH)), true);
  return out;
}

interface Section {
  offset: number;
  length: number;
}

function corrupt(what: string, source: string): RingfenceError {
  return new RingfenceError(ErrorCodes.SNAPSHOT_CORRUPT, `category snapshot ${source} is corrupt: ${what}`, source);
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

type TypedArrayOf = typeof Uint8Array | typeof Uint16Array | typeof Uint32Array;

/** A typed view when the bytes are aligned, else a copy (a Buffer from a pool may be unaligned). */
function viewOf<T extends TypedArrayOf>(type: T, bytes: Uint8Array, offset: number, length: number): InstanceType<T> {
  const at = bytes.byteOffset + offset;
  const width = type.BYTES_PER_ELEMENT;
  const buffer = at % width === 0 ? (bytes.buffer as ArrayBuffer) : bytes.slice(offset, offset + length).buffer;
  return new type(buffer, at % width === 0 ? at : 0, length / width) as InstanceType<T>;
}

const TAG_ARRAYS = { 1: Uint8Array, 2: Uint16Array, 4: Uint32Array } as const;

/** Reads a snapshot; `source` names it in errors (e.g. the file path). */
export function decodeSnapshot(bytes: Uint8Array, checksum: Checksum, source = 'snapshot'): CategorySnapshot {
  if (bytes.length < HEADER_LENGTH) throw corrupt(`only ${bytes.length} bytes, shorter than its header`, source);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) throw corrupt('not a Ringfence category snapshot (bad magic)', source);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(8, true);
  if (format !== SNAPSHOT_FORMAT_VERSION) {
    throw new RingfenceError(
      ErrorCodes.SNAPSHOT_VERSION,
      `category snapshot ${source} has format version ${format}; this Ringfence reads version ${SNAPSHOT_FORMAT_VERSION}: rebuild it with \`ringfence lists compile\``,
      source,
    );
  }
  if (view.getUint32(12, true) !== HEADER_LENGTH) throw corrupt('bad header length', source);
  const sections = [0, 1, 2, 3].map((i) => ({ offset: view.getUint32(24 + i * 8, true), length: view.getUint32(28 + i * 8, true) }));
  for (const s of sections) {
    if (s.offset < HEADER_LENGTH || s.offset + s.length > bytes.length) throw corrupt('a section lies outside the file', source);
  }
  const expected = view.getUint32(16, true);
  if (checksum(bytes.subarray(HEADER_LENGTH)) !== expected) throw corrupt('checksum mismatch (truncated or altered)', source);
  const [metaS, keysS, startsS, tagsS] = sections as [Section, Section, Section, Section];
  let meta: MetaSection;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes.subarray(metaS.offset, metaS.offset + metaS.length))) as MetaSection;
  } catch {
    throw corrupt('unreadable metadata section', source);
  }
  const tagArray = TAG_ARRAYS[meta.tagWidth];
  if (tagArray === undefined) throw corrupt(`bad tag width ${meta.tagWidth}`, source);
  const keys = viewOf(Uint16Array, bytes, keysS.offset, keysS.length);
  const starts = viewOf(Uint32Array, bytes, startsS.offset, startsS.length);
  const tags = viewOf(tagArray, bytes, tagsS.offset, tagsS.length);
  const buckets = starts.length - 1;
  if (buckets < 2 || (buckets & (buckets - 1)) !== 0) throw corrupt('bucket count is not a power of two', source);
  const n = meta.domainCount;
  if (tags.length !== n || keys.length !== 3 * n || starts[buckets] !== n) throw corrupt('domain table sections disagree on the domain count', source);
  const domains = new DomainTable({ keys, starts, tags, labelMask: meta.labelMask });
  const urls: UrlRecord[] = meta.urls.map(([host, path, tag]) => ({ host, path, tag }));
  const ips: IpEntryRecord[] = meta.ips.map(([family, address, prefix, tag]) => ({ family, address, prefix, tag }));
  return new CategorySnapshot({ version: meta.version, createdAt: meta.createdAt, lists: meta.lists, tags: meta.tags, domains, urls, ips });
}
