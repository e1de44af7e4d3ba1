// The DNS wire contract shared by the servers (UDP, TCP, DoH), the pipeline and the upstream
// forwarder. Messages are Uint8Array in RFC 1035 wire format.

export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  OPT: 41,
  SVCB: 64,
  HTTPS: 65,
  ANY: 255,
} as const;

export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

/** The UDP payload size we advertise and honour at most (DNS Flag Day 2020). */
export const EDNS_UDP_SIZE = 1232;

export interface Edns {
  /** The requester's UDP payload size (values under 512 count as 512). */
  readonly udpSize: number;
  readonly version: number;
  readonly dnssecOk: boolean;
}

export interface DnsQuery {
  readonly id: number;
  /** The raw 16-bit flags word of the header (RD, CD, opcode…). */
  readonly flags: number;
  /**
   * The question name: lower-case, dotted, no trailing dot ('' for the root). Bytes outside
   * printable ASCII and '.' or '\\' inside a label are written as \DDD (RFC 1035 presentation form).
   */
  readonly name: string;
  readonly type: number;
  readonly class: number;
  /** Offset of the first byte after the question in the query message. */
  readonly questionEnd: number;
  readonly edns: Edns | null;
}

export type QueryParse =
  | { readonly kind: 'query'; readonly query: DnsQuery }
  /** Answer FORMERR with this id and flags (the header was readable). */
  | { readonly kind: 'formerr'; readonly id: number; readonly flags: number }
  /** Not worth an answer (too short for a header, a response, garbage). */
  | { readonly kind: 'drop'; readonly reason: string };
