import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  blockSoa, buildAddressAnswer, buildAnyMinimal, buildCnameAnswer, buildFormErr, buildRcode, buildTruncated, fitUdp, maxUdpSize,
} from '../../../src/dns/wire/build.ts';
import { EDNS_UDP_SIZE, Rcode } from '../../../src/dns/wire/types.ts';
import { clientQuery, decode, dnsPacket, hex, response } from './helpers.ts';

const RD = dnsPacket.RECURSION_DESIRED;
const CD = dnsPacket.CHECKING_DISABLED;

/** Checks what every response shares: id, QR/RA, RD/CD/opcode copied, the question echoed, OPT. */
function common(bytes: Uint8Array, msg: Uint8Array, opts: { edns: boolean; do?: boolean; rcode: string }) {
  const d = decode(bytes);
  const qd = decode(msg);
  assert.equal(d.id, qd.id);
  assert.equal(d.type, 'response');
  assert.equal(d.flag_ra, true);
  assert.equal(d.flag_rd, qd.flag_rd);
  assert.equal(d.flag_cd, qd.flag_cd);
  assert.equal(d.opcode, qd.opcode);
  assert.equal(d.rcode, opts.rcode);
  assert.deepEqual(d.questions, qd.questions, 'the question exactly as sent');
  assert.equal(hex(bytes.subarray(12, 12 + msg.length - 12 - (opts.edns ? 11 : 0))), hex(msg.subarray(12, msg.length - (opts.edns ? 11 : 0))));
  const opt = (d.additionals ?? []).filter((a) => a.type === 'OPT') as unknown as dnsPacket.OptAnswer[];
  if (!opts.edns) return d;
  assert.equal(opt.length, 1);
  assert.equal(opt[0]!.udpPayloadSize, EDNS_UDP_SIZE);
  assert.equal(opt[0]!.ednsVersion, 0);
  assert.equal(((opt[0]!.flags ?? 0) & dnsPacket.DNSSEC_OK) !== 0, opts.do ?? false);
  assert.deepEqual(opt[0]!.options, []);
  return d;
}

test('NXDOMAIN with the block SOA: golden bytes, the owner a pointer to the question', () => {
  const { q, msg } = clientQuery('Ads.Example.com', 'A', { id: 0x1234, flags: RD });
  const r = buildRcode(q, msg, Rcode.NXDOMAIN, blockSoa(q, 300));
  assert.equal(hex(r),
    '1234' + '8183' + '0001' + '0000' + '0001' + '0000' + // header: QR RD RA, NXDOMAIN, one authority
    hex(msg.subarray(12)) + // the question as sent
    'c00c' + '0006' + '0001' + '0000012c' + '004d' + // SOA owner = question name, TTL 300
    '07626c6f636b6564' + '0972696e6766656e636507696e76616c696400' + // blocked.ringfence.invalid
    '0a686f73746d6173746572' + '0972696e6766656e636507696e76616c696400' + // hostmaster.ringfence.invalid
    '00000001' + '00000e10' + '00000258' + '00015180' + '0000012c'); // serial, refresh, retry, expire, minimum
  const d = common(r, msg, { edns: false, rcode: 'NXDOMAIN' });
  const soa = d.authorities![0] as dnsPacket.SoaAnswer;
  assert.equal(soa.name, 'Ads.Example.com');
  assert.deepEqual(soa.data, {
    mname: 'blocked.ringfence.invalid', rname: 'hostmaster.ringfence.invalid', serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 300,
  });
});

test('rcode answers copy RD, CD and the opcode, echo DO in our OPT, and carry no records', () => {
  const { q, msg } = clientQuery('x.example', 'AAAA', { flags: RD | CD, edns: { udp: 4096, do: true } });
  for (const [rcode, text] of [[Rcode.SERVFAIL, 'SERVFAIL'], [Rcode.REFUSED, 'REFUSED'], [Rcode.NOTIMP, 'NOTIMP']] as const) {
    const d = common(buildRcode(q, msg, rcode), msg, { edns: true, do: true, rcode: text });
    assert.deepEqual([d.answers, d.authorities], [[], []]);
  }
  const status = clientQuery('x.example', 'A', { flags: 2 << 11 });
  const d = common(buildRcode(status.q, status.msg, Rcode.NOTIMP), status.msg, { edns: false, rcode: 'NOTIMP' });
  assert.equal(d.opcode, 'STATUS');
});

test('an extended rcode (BADVERS) goes in the OPT; without EDNS it cannot, so SERVFAIL', () => {
  const { q, msg } = clientQuery('x.example', 'A', { edns: { version: 1 } });
  const r = buildRcode(q, msg, 16);
  assert.equal(r[3]! & 0xf, 0);
  assert.equal(r[r.length - 6], 1, 'extended rcode 1 << 4 = 16');
  const plain = clientQuery('x.example', 'A');
  assert.equal(buildRcode(plain.q, plain.msg, 16)[3]! & 0xf, Rcode.SERVFAIL);
});

test('FORMERR is a bare header with QR and rcode 1', () => {
  assert.equal(hex(buildFormErr(0xabcd, RD)), 'abcd' + '8181' + '0000'.repeat(4));
  assert.equal(hex(buildFormErr(1, 0x8000 | (5 << 11) | CD | 0x0400)), '0001' + 'a891' + '0000'.repeat(4));
});

test('A and AAAA answers from the configured addresses; other types and empty lists are NODATA', () => {
  const soaOf = (q: Parameters<typeof blockSoa>[0]) => blockSoa(q, 60);
  const a = clientQuery('blocked.example', 'A', { edns: {} });
  const d = common(buildAddressAnswer(a.q, a.msg, { ipv4: ['0.0.0.0', '192.0.2.7'], ipv6: ['::'], ttl: 30, soa: soaOf(a.q) }), a.msg, { edns: true, rcode: 'NOERROR' });
  assert.deepEqual(d.answers!.map((x) => [x.name, x.type, x.ttl, x.data]), [['blocked.example', 'A', 30, '0.0.0.0'], ['blocked.example', 'A', 30, '192.0.2.7']]);
  const aaaa = clientQuery('Blocked.example', 'AAAA');
  const d6 = common(buildAddressAnswer(aaaa.q, aaaa.msg, { ipv4: [], ipv6: ['2001:db8::1', '::ffff:192.0.2.1'], ttl: 30, soa: soaOf(aaaa.q) }), aaaa.msg, { edns: false, rcode: 'NOERROR' });
  assert.deepEqual(d6.answers!.map((x) => x.data), ['2001:db8::1', '::ffff:c000:201']);
  for (const [type, v4] of [['MX', ['0.0.0.0']], ['A', []]] as const) {
    const c = clientQuery('blocked.example', type);
    const n = common(buildAddressAnswer(c.q, c.msg, { ipv4: v4, ipv6: [], ttl: 30, soa: soaOf(c.q) }), c.msg, { edns: false, rcode: 'NOERROR' });
    assert.deepEqual(n.answers, []);
    assert.equal(n.authorities![0]!.type, 'SOA');
  }
  assert.throws(() => buildAddressAnswer(a.q, a.msg, { ipv4: ['1.2.3'], ipv6: [], ttl: 1, soa: soaOf(a.q) }), RangeError);
  assert.throws(() => buildAddressAnswer(aaaa.q, aaaa.msg, { ipv4: [], ipv6: ['0.0.0.0'], ttl: 1, soa: soaOf(aaaa.q) }), RangeError);
});

test('an SOA owned by another name is written out in full', () => {
  const { q, msg } = clientQuery('a.b.example', 'A');
  const d = decode(buildRcode(q, msg, Rcode.NXDOMAIN, { ...blockSoa(q, 10), zone: 'example' }));
  assert.equal(d.authorities![0]!.name, 'example');
});

/** forcesafesearch.google.com A → CNAME alt.google.com (compressed) → A, built by hand. */
function compressedUpstream(): Uint8Array {
  const name = [15, ...Buffer.from('forcesafesearch'), 6, ...Buffer.from('google'), 3, ...Buffer.from('com'), 0];
  return Uint8Array.from([
    0, 9, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0, ...name, 0, 1, 0, 1,
    0xc0, 12, 0, 5, 0, 1, 0, 0, 1, 44, 0, 6, 3, ...Buffer.from('alt'), 0xc0, 28, // at 44; its RDATA at 56
    0xc0, 56, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 216, 239, 38, 120,
  ]);
}

test('safe-search CNAME: the CNAME, then the upstream answers decompressed', () => {
  const { q, msg } = clientQuery('WWW.google.com', 'A', { edns: { do: true } });
  const r = buildCnameAnswer(q, msg, { target: 'forcesafesearch.google.com', ttl: 120, upstream: compressedUpstream() });
  const d = common(r, msg, { edns: true, do: true, rcode: 'NOERROR' });
  assert.deepEqual(d.answers!.map((x) => [x.name, x.type, x.ttl, x.data]), [
    ['WWW.google.com', 'CNAME', 120, 'forcesafesearch.google.com'],
    ['forcesafesearch.google.com', 'CNAME', 300, 'alt.google.com'],
    ['alt.google.com', 'A', 60, '216.239.38.120'],
  ]);
  assert.ok(!hex(r.subarray(msg.length - 11)).includes('c01c'), 'upstream pointers are not copied');
});

test('safe-search CNAME alone when upstream is null, not a response, or malformed', () => {
  const { q, msg } = clientQuery('www.google.com', 'AAAA');
  const good = compressedUpstream();
  const query = good.slice();
  query[2] = 0x01;
  const badPointer = good.slice();
  badPointer[good.length - 16] = 0xff; // the A owner points beyond the message
  for (const upstream of [null, new Uint8Array(3), query, badPointer, good.subarray(0, good.length - 2)]) {
    const d = common(buildCnameAnswer(q, msg, { target: 'forcesafesearch.google.com', ttl: 5, upstream }), msg, { edns: false, rcode: 'NOERROR' });
    assert.deepEqual(d.answers!.map((x) => [x.type, x.data]), [['CNAME', 'forcesafesearch.google.com']]);
  }
  const up = response({ id: 1, questions: [{ type: 'AAAA', name: 'forcesafesearch.google.com' }], answers: [
    { type: 'AAAA', name: 'forcesafesearch.google.com', ttl: 9, data: '2001:4860:4802:32::78' },
  ] });
  const d = decode(buildCnameAnswer(q, msg, { target: 'forcesafesearch.google.com', ttl: 5, upstream: up }));
  assert.deepEqual(d.answers!.map((x) => x.data), ['forcesafesearch.google.com', '2001:4860:4802:32::78']);
});

test('RFC 8482 minimal ANY answer: one HINFO "RFC8482" ""', () => {
  const { q, msg } = clientQuery('example.com', 'ANY', { edns: {} });
  const d = common(buildAnyMinimal(q, msg, 3600), msg, { edns: true, rcode: 'NOERROR' });
  assert.deepEqual(d.answers!.map((x) => [x.name, x.type, x.ttl, x.data]), [['example.com', 'HINFO', 3600, { cpu: 'RFC8482', os: '' }]]);
});

test('truncation: maxUdpSize and fitUdp', () => {
  const plain = clientQuery('many.example', 'A');
  const big = clientQuery('many.example', 'A', { edns: { udp: 4096 } });
  const small = clientQuery('many.example', 'A', { edns: { udp: 600 } });
  assert.deepEqual([maxUdpSize(plain.q), maxUdpSize(big.q), maxUdpSize(small.q)], [512, EDNS_UDP_SIZE, 600]);
  const ipv4 = Array.from({ length: 40 }, (_, i) => `10.0.0.${i}`); // 40 × 16 bytes
  for (const { q, msg } of [plain, big, small]) {
    const full = buildAddressAnswer(q, msg, { ipv4, ipv6: [], ttl: 1, soa: blockSoa(q, 1) });
    const fitted = fitUdp(full, q, msg);
    if (full.length <= maxUdpSize(q)) assert.equal(fitted, full);
    else {
      const d = common(fitted, msg, { edns: q.edns !== null, rcode: 'NOERROR' });
      assert.equal(d.flag_tc, true);
      assert.deepEqual(d.answers, []);
      assert.equal(fitted.length, msg.length);
    }
  }
  const t = decode(buildTruncated(plain.q, plain.msg));
  assert.equal(t.flag_tc, true);
});
