// Reads a TLS ClientHello from the first bytes of a tunnel, before any byte is forwarded, so that the
// SNI can be decided (and compared with the CONNECT host) first. Incremental without state: the
// caller appends each read to one buffer and calls again until the answer is not 'need-more'.
// Handles a ClientHello fragmented over several records (RFC 8446 5.1 allows it). Never throws,
// never reads out of bounds, and asks for at most MAX_CLIENT_HELLO_BUFFER bytes.

export type ClientHelloResult =
  | { readonly kind: 'need-more' }
  | {
      readonly kind: 'hello';
      /** The host_name of server_name (raw ASCII text; canonicalise with canonicalHost(sni, 'sni')); null when absent. */
      readonly sni: string | null;
      /** Bytes of the TLS records that carried the ClientHello (whole records). */
      readonly length: number;
      /** ALPN protocol names in the client's order (bytes read as Latin-1), empty when absent. */
      readonly alpn: readonly string[];
      /** An encrypted_client_hello extension (0xfe0d) is present: the real name may be hidden. */
      readonly ech: boolean;
    }
  | { readonly kind: 'not-tls' }
  | { readonly kind: 'malformed'; readonly reason: string };

export type ClientHello = Extract<ClientHelloResult, { kind: 'hello' }>;
type Malformed = Extract<ClientHelloResult, { kind: 'malformed' }>;

const RECORD_HEADER = 5;
const CONTENT_HANDSHAKE = 0x16;
const HANDSHAKE_CLIENT_HELLO = 1;
/** RFC 8446 5.1: a plaintext record carries at most 2^14 bytes. */
const MAX_RECORD_LENGTH = 16384;
const EXT_SERVER_NAME = 0x0000;
const EXT_ALPN = 0x0010;
const EXT_ECH = 0xfe0d;

/** Largest ClientHello handshake message accepted, its 4-byte header included (real ones are 0.2–2.5 KB). */
export const MAX_CLIENT_HELLO = 16384;
/** Most records a ClientHello may be split into. */
export const MAX_CLIENT_HELLO_RECORDS = 32;
/** 'need-more' is only ever answered for buffers shorter than this; longer records are 'malformed'. */
export const MAX_CLIENT_HELLO_BUFFER = MAX_CLIENT_HELLO + MAX_CLIENT_HELLO_RECORDS * RECORD_HEADER;

const NEED_MORE: ClientHelloResult = Object.freeze({ kind: 'need-more' });
const NOT_TLS: ClientHelloResult = Object.freeze({ kind: 'not-tls' });

function malformed(reason: string): Malformed {
  return { kind: 'malformed', reason };
}

export function readClientHello(buf: Uint8Array): ClientHelloResult {
  if (buf.length === 0) return NEED_MORE;
  // SSLv2-style hellos (high bit set), plain HTTP, SSH… all fail here.
  if (buf[0] !== CONTENT_HANDSHAKE) return NOT_TLS;
  if (buf.length >= 2 && buf[1] !== 3) return NOT_TLS;

  // Fragments of the handshake stream, as [start, end) pairs into buf.
  const fragments: number[] = [];
  let have = 0;
  let need = -1; // bytes of the whole handshake message, once its header is in
  let off = 0;
  for (let records = 1; ; records++) {
    if (off + RECORD_HEADER >= MAX_CLIENT_HELLO_BUFFER) return malformed(`the ClientHello records exceed ${MAX_CLIENT_HELLO_BUFFER} bytes`);
    if (buf.length - off < RECORD_HEADER) return NEED_MORE;
    if (buf[off] !== CONTENT_HANDSHAKE) return malformed('a record of another type came before the ClientHello was complete');
    if (buf[off + 1] !== 3) return malformed('a record does not carry a TLS version (3.x)');
    const length = (buf[off + 3]! << 8) | buf[off + 4]!;
    if (length === 0) return malformed('an empty handshake record (not allowed by RFC 8446)');
    if (length > MAX_RECORD_LENGTH) return malformed(`a record of ${length} bytes (the limit is ${MAX_RECORD_LENGTH})`);
    if (records > MAX_CLIENT_HELLO_RECORDS) return malformed(`the ClientHello spans more than ${MAX_CLIENT_HELLO_RECORDS} records`);
    const start = off + RECORD_HEADER;
    const end = start + length;
    if (end > MAX_CLIENT_HELLO_BUFFER) return malformed(`the ClientHello records exceed ${MAX_CLIENT_HELLO_BUFFER} bytes`);
    const available = Math.min(end, buf.length);
    fragments.push(start, available);
    have += available - start;

    if (need < 0 && have >= 1 && handshakeByte(buf, fragments, 0) !== HANDSHAKE_CLIENT_HELLO) {
      return malformed('the first handshake message is not a ClientHello');
    }
    if (need < 0 && have >= 4) {
      const bodyLength = (handshakeByte(buf, fragments, 1) << 16) | (handshakeByte(buf, fragments, 2) << 8) | handshakeByte(buf, fragments, 3);
      need = 4 + bodyLength;
      if (need > MAX_CLIENT_HELLO) return malformed(`a ClientHello of ${need} bytes (the limit is ${MAX_CLIENT_HELLO})`);
    }
    // Whole records only, so that `length` never runs past what the caller has.
    if (end > buf.length) return NEED_MORE;
    if (need >= 0 && have >= need) return parseHello(gather(buf, fragments, need).subarray(4), end);
    off = end;
  }
}

/** Byte `i` of the handshake stream (the caller knows it is available). */
function handshakeByte(buf: Uint8Array, fragments: readonly number[], i: number): number {
  for (let f = 0; f < fragments.length; f += 2) {
    const size = fragments[f + 1]! - fragments[f]!;
    if (i < size) return buf[fragments[f]! + i]!;
    i -= size;
  }
  return 0;
}

/** The first `need` bytes of the handshake stream: a view when one record holds them, else a copy. */
function gather(buf: Uint8Array, fragments: readonly number[], need: number): Uint8Array {
  if (fragments[1]! - fragments[0]! >= need) return buf.subarray(fragments[0]!, fragments[0]! + need);
  const out = new Uint8Array(need);
  let at = 0;
  for (let f = 0; f < fragments.length && at < need; f += 2) {
    const take = Math.min(fragments[f + 1]! - fragments[f]!, need - at);
    out.set(buf.subarray(fragments[f]!, fragments[f]! + take), at);
    at += take;
  }
  return out;
}

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

/** The ClientHello body (after msg_type and length), RFC 8446 4.1.2 / RFC 5246 7.4.1.2. */
function parseHello(body: Uint8Array, length: number): ClientHelloResult {
  const n = body.length;
  // legacy_version (2) + random (32) + session id length (1)
  if (n < 35) return malformed('the ClientHello is shorter than its fixed fields');
  if (body[0] !== 3) return malformed('the ClientHello does not carry a TLS version (3.x)');
  let p = 34;
  const sessionId = body[p++]!;
  if (sessionId > 32) return malformed(`a session id of ${sessionId} bytes (at most 32)`);
  p += sessionId;
  if (p + 2 > n) return malformed('the session id runs past the ClientHello');
  const suites = u16(body, p);
  p += 2;
  if (suites < 2 || suites % 2 !== 0) return malformed(`a cipher suite list of ${suites} bytes (must be even, at least 2)`);
  p += suites;
  if (p + 1 > n) return malformed('the cipher suites run past the ClientHello');
  const compression = body[p++]!;
  if (compression < 1) return malformed('an empty compression method list');
  p += compression;
  if (p > n) return malformed('the compression methods run past the ClientHello');
  if (p === n) return { kind: 'hello', sni: null, length, alpn: [], ech: false }; // no extensions (TLS 1.0–1.2)
  if (p + 2 > n) return malformed('a truncated extensions length');
  const extensionsLength = u16(body, p);
  p += 2;
  if (p + extensionsLength !== n) return malformed(`the extensions length (${extensionsLength}) does not match the ${n - p} bytes left`);

  let sni: string | null = null;
  let alpn: string[] = [];
  let ech = false;
  const seen = new Set<number>();
  while (p < n) {
    if (p + 4 > n) return malformed('a truncated extension header');
    const type = u16(body, p);
    const size = u16(body, p + 2);
    p += 4;
    if (p + size > n) return malformed(`extension ${type} runs past the extensions`);
    // Two server_name extensions could be read differently by us and by the server: refuse repeats.
    if (seen.has(type)) return malformed(`extension ${type} appears twice`);
    seen.add(type);
    const data = body.subarray(p, p + size);
    if (type === EXT_SERVER_NAME) {
      const name = readServerName(data);
      if (typeof name === 'object' && name !== null) return name;
      sni = name;
    } else if (type === EXT_ALPN) {
      const names = readAlpn(data);
      if (!Array.isArray(names)) return names;
      alpn = names;
    } else if (type === EXT_ECH) {
      ech = true;
    }
    p += size;
  }
  return { kind: 'hello', sni, length, alpn, ech };
}

/** RFC 6066 3: ServerNameList; the one host_name (type 0), or null when only other name types are listed. */
function readServerName(data: Uint8Array): string | null | Malformed {
  if (data.length < 2) return malformed('a server_name extension without a name list');
  const listLength = u16(data, 0);
  if (listLength + 2 !== data.length) return malformed('the server_name list length does not match the extension');
  if (listLength === 0) return malformed('a server_name list with no names');
  let host: string | null = null;
  let p = 2;
  while (p < data.length) {
    if (p + 3 > data.length) return malformed('a truncated server_name entry');
    const nameType = data[p]!;
    const size = u16(data, p + 1);
    p += 3;
    if (p + size > data.length) return malformed('a server_name entry runs past its list');
    if (nameType === 0) {
      if (host !== null) return malformed('more than one host_name in server_name');
      if (size === 0) return malformed('an empty host_name in server_name');
      let text = '';
      for (let i = p; i < p + size; i++) {
        const c = data[i]!;
        // RFC 6066: ASCII, IDNs as A-labels. Anything else would canonicalise to some other name.
        if (c <= 0x20 || c >= 0x7f) return malformed(`host_name has byte 0x${c.toString(16).padStart(2, '0')}, which is not printable ASCII`);
        text += String.fromCharCode(c);
      }
      host = text;
    }
    p += size;
  }
  return host;
}

/** RFC 7301 3.1: ProtocolNameList, each name 1–255 bytes. */
function readAlpn(data: Uint8Array): string[] | Malformed {
  if (data.length < 2 || u16(data, 0) + 2 !== data.length) return malformed('the ALPN list length does not match the extension');
  if (data.length === 2) return malformed('an empty ALPN list');
  const names: string[] = [];
  let p = 2;
  while (p < data.length) {
    const size = data[p++]!;
    if (size === 0) return malformed('an empty ALPN protocol name');
    if (p + size > data.length) return malformed('an ALPN protocol name runs past its list');
    names.push(String.fromCharCode(...data.subarray(p, p + size)));
    p += size;
  }
  return names;
}
