// Builds TLS ClientHellos for tests: chosen SNI, ALPN, ECH, random other extensions, padding, and
// fragmentation over records. Every length field's position is recorded so that tests can make it lie.
import fc from 'fast-check';

export interface HelloSpec {
  /** host_name in server_name; null: no server_name extension. */
  readonly sni: string | null;
  /** Other name types (not host_name) listed in server_name beside the host_name. */
  readonly otherNames: readonly Uint8Array[];
  readonly alpn: readonly string[];
  /** Bytes of an encrypted_client_hello extension; null: none. */
  readonly ech: Uint8Array | null;
  /** Extensions the reader must skip (types other than 0, 16, 21, 0xfe0d; unique). */
  readonly others: readonly { readonly type: number; readonly data: Uint8Array }[];
  /** Bytes of a padding extension (RFC 7685); null: none. */
  readonly padding: number | null;
  readonly sessionId: Uint8Array;
  readonly cipherSuites: readonly number[];
  /** Sort keys deciding the order of the extensions. */
  readonly order: readonly number[];
}

/** Where a length field sits in the built bytes, and how wide it is. */
export interface LengthField {
  readonly name: string;
  readonly offset: number;
  readonly size: 1 | 2 | 3;
}

export interface Built {
  readonly bytes: Uint8Array;
  readonly fields: readonly LengthField[];
}

/** Appends bytes; `prefixed` writes a length field for what its callback writes. */
class Writer {
  private readonly chunks: number[] = [];
  readonly fields: LengthField[] = [];

  get length(): number {
    return this.chunks.length;
  }

  u8(...values: number[]): this {
    for (const v of values) this.chunks.push(v & 0xff);
    return this;
  }

  u16(v: number): this {
    return this.u8(v >> 8, v);
  }

  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.chunks.push(b[i]!);
    return this;
  }

  prefixed(size: 1 | 2 | 3, name: string, body: (w: this) => void): this {
    const offset = this.chunks.length;
    this.fields.push({ name, offset, size });
    for (let i = 0; i < size; i++) this.chunks.push(0);
    body(this);
    const n = this.chunks.length - offset - size;
    for (let i = 0; i < size; i++) this.chunks[offset + i] = (n >> (8 * (size - 1 - i))) & 0xff;
    return this;
  }

  done(): Built {
    return { bytes: Uint8Array.from(this.chunks), fields: this.fields };
  }
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** The handshake message (msg_type, length, body) of a ClientHello. */
export function buildClientHello(spec: HelloSpec): Built {
  const extensions: { key: number; write: (w: Writer) => void }[] = [];
  const ext = (type: number, name: string, body: (w: Writer) => void): void => {
    extensions.push({ key: spec.order[extensions.length] ?? extensions.length, write: (w) => w.u16(type).prefixed(2, `${name} extension`, body) });
  };
  if (spec.sni !== null) {
    const host = spec.sni;
    ext(0, 'server_name', (w) =>
      w.prefixed(2, 'server_name list', (l) => {
        l.u8(0).prefixed(2, 'host_name', (n) => n.bytes(ascii(host)));
        for (const other of spec.otherNames) l.u8(1).prefixed(2, 'other name', (n) => n.bytes(other));
      }),
    );
  }
  if (spec.alpn.length > 0) {
    ext(16, 'ALPN', (w) => w.prefixed(2, 'ALPN list', (l) => {
      for (const p of spec.alpn) l.prefixed(1, 'ALPN name', (n) => n.bytes(ascii(p)));
    }));
  }
  if (spec.ech !== null) {
    const ech = spec.ech;
    ext(0xfe0d, 'ECH', (w) => w.bytes(ech));
  }
  for (const o of spec.others) ext(o.type, `type ${o.type}`, (w) => w.bytes(o.data));
  if (spec.padding !== null) {
    const padding = spec.padding;
    ext(21, 'padding', (w) => w.bytes(new Uint8Array(padding)));
  }
  extensions.sort((a, b) => a.key - b.key);

  return new Writer()
    .u8(1)
    .prefixed(3, 'handshake', (h) => {
      h.u16(0x0303).bytes(new Uint8Array(32).fill(0x5a));
      h.prefixed(1, 'session id', (s) => s.bytes(spec.sessionId));
      h.prefixed(2, 'cipher suites', (s) => { for (const c of spec.cipherSuites) s.u16(c); });
      h.prefixed(1, 'compression methods', (s) => s.u8(0));
      h.prefixed(2, 'extensions', (e) => { for (const x of extensions) x.write(e); });
    })
    .done();
}

/**
 * Wraps a handshake message in handshake records, cut at `cuts` (offsets into the message).
 * The fields of the message are moved to their place in the records, and record lengths added.
 */
export function inRecords(hello: Built, cuts: readonly number[] = []): Built {
  const bounds = [...new Set(cuts.filter((c) => c > 0 && c < hello.bytes.length))].sort((a, b) => a - b);
  const edges = [0, ...bounds, hello.bytes.length];
  const w = new Writer();
  const fields: LengthField[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const [from, to] = [edges[i]!, edges[i + 1]!];
    fields.push({ name: `record ${i + 1}`, offset: w.length + 3, size: 2 });
    const shift = w.length + 5 - from;
    for (const f of hello.fields) if (f.offset >= from && f.offset + f.size <= to) fields.push({ ...f, offset: f.offset + shift });
    w.u8(0x16, 3, 1).u16(to - from).bytes(hello.bytes.subarray(from, to));
  }
  return { bytes: w.done().bytes, fields };
}

/** A plain ClientHello for `sni` in one record, like a simple client sends. */
export function simpleHello(sni: string | null, alpn: readonly string[] = ['h2', 'http/1.1']): Built {
  return inRecords(buildClientHello({
    sni, otherNames: [], alpn, ech: null, others: [{ type: 43, data: Uint8Array.of(2, 3, 4) }], padding: null,
    sessionId: new Uint8Array(32).fill(7), cipherSuites: [0x1301, 0x1302, 0xc02f], order: [],
  }));
}

// ---- fast-check arbitraries ----

const hostChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.');
const printable = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));

/** host_name values: real-looking names, odd but printable ones, long ones. */
export const sniName = fc.oneof(
  fc.domain(),
  fc.string({ unit: hostChar, minLength: 1, maxLength: 253 }),
  fc.string({ unit: printable, minLength: 1, maxLength: 40 }),
);

const bytes = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });
const RESERVED = new Set([0, 16, 21, 0xfe0d]);

export const helloSpec: fc.Arbitrary<HelloSpec> = fc.record({
  sni: fc.option(sniName, { freq: 6 }),
  otherNames: fc.array(fc.uint8Array({ minLength: 0, maxLength: 16 }), { maxLength: 2 }),
  alpn: fc.array(fc.string({ unit: printable, minLength: 1, maxLength: 20 }), { maxLength: 4 }),
  ech: fc.option(bytes(300), { freq: 4 }),
  others: fc.uniqueArray(fc.record({ type: fc.integer({ min: 1, max: 0xffff }).filter((t) => !RESERVED.has(t)), data: bytes(96) }), {
    maxLength: 12,
    selector: (o) => o.type,
  }),
  padding: fc.option(fc.integer({ min: 0, max: 2500 }), { freq: 3 }),
  sessionId: fc.uint8Array({ maxLength: 32 }),
  cipherSuites: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 40 }),
  order: fc.array(fc.integer(), { minLength: 20, maxLength: 20 }),
});

/** A random hello in 1–12 records, with the spec it was built from. */
export const fragmentedHello: fc.Arbitrary<{ spec: HelloSpec; built: Built }> = helloSpec.chain((spec) => {
  const hello = buildClientHello(spec);
  return fc
    .uniqueArray(fc.integer({ min: 1, max: hello.bytes.length - 1 }), { maxLength: 11 })
    .map((cuts) => ({ spec, built: inRecords(hello, cuts) }));
});
