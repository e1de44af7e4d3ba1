// Test helpers: dns-packet (the reference implementation) to encode inputs and decode outputs.
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { parseQuery } from '../../../src/dns/wire/query.ts';
import type { DnsQuery } from '../../../src/dns/wire/types.ts';

export { dnsPacket };

export function encode(packet: dnsPacket.Packet): Uint8Array {
  return new Uint8Array(dnsPacket.encode(packet));
}

/** What dns-packet's decode returns, typed loosely enough to inspect any record. */
export interface DecodedRecord {
  name: string;
  type: string;
  class?: string;
  ttl?: number;
  // any: the shape depends on the type (string, Buffer, SOA fields…)
  data?: any;
  udpPayloadSize?: number;
  ednsVersion?: number;
  extendedRcode?: number;
  flags?: number;
  flag_do?: boolean;
  options?: unknown[];
}

export interface Decoded {
  id: number;
  type: string;
  flags: number;
  opcode: string;
  rcode: string;
  flag_qr: boolean;
  flag_aa: boolean;
  flag_tc: boolean;
  flag_rd: boolean;
  flag_ra: boolean;
  flag_ad: boolean;
  flag_cd: boolean;
  questions: { name: string; type: string; class: string }[];
  answers: DecodedRecord[];
  authorities: DecodedRecord[];
  additionals: DecodedRecord[];
}

export function decode(bytes: Uint8Array): Decoded {
  return dnsPacket.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)) as unknown as Decoded;
}

export interface QueryOptions {
  id?: number;
  flags?: number;
  /** EDNS: udp payload size and DO; omitted for no OPT. */
  edns?: { udp?: number; do?: boolean; version?: number };
}

/** A query encoded by dns-packet. `type` may be a number for types dns-packet does not name. */
export function queryBytes(name: string, type: string | number, o: QueryOptions = {}): Uint8Array {
  const t = (typeof type === 'number' ? `UNKNOWN_${type}` : type) as dnsPacket.RecordType;
  const packet: dnsPacket.Packet = {
    type: 'query', id: o.id ?? 0x4242, flags: o.flags ?? dnsPacket.RECURSION_DESIRED, questions: [{ type: t, name }],
  };
  if (o.edns) {
    packet.additionals = [{
      type: 'OPT', name: '.', udpPayloadSize: o.edns.udp ?? 1232, ednsVersion: o.edns.version ?? 0,
      flags: o.edns.do ? dnsPacket.DNSSEC_OK : 0, options: [],
    } as unknown as dnsPacket.Answer];
  }
  return encode(packet);
}

/** parseQuery that must succeed. */
export function parsed(msg: Uint8Array): DnsQuery {
  const r = parseQuery(msg);
  assert.equal(r.kind, 'query', JSON.stringify(r));
  return (r as { query: DnsQuery }).query;
}

/** A query and its parse, ready for the builders. */
export function clientQuery(name: string, type: string | number, o: QueryOptions = {}): { q: DnsQuery; msg: Uint8Array } {
  const msg = queryBytes(name, type, o);
  return { q: parsed(msg), msg };
}

export function response(p: Omit<dnsPacket.Packet, 'type'>): Uint8Array {
  return encode({ type: 'response', flags: 0x8180, ...p });
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
