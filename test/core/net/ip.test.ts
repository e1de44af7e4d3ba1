import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  formatIPv4,
  formatIPv6,
  isIPv4Mapped,
  parseAddress,
  parseCidr,
  parseIPv4,
  parseIPv6,
} from '../../../src/core/net/ip.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';

const RUNS = { numRuns: 1000 };
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
/** Eight 16-bit words, biased towards zero runs so that `::` compression gets exercised. */
const words = fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
  minLength: 8,
  maxLength: 8,
});

describe('IPv4', () => {
  test('parses strict dotted quads', () => {
    assert.equal(parseIPv4('0.0.0.0'), 0);
    assert.equal(parseIPv4('127.0.0.1'), 0x7f000001);
    assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
    assert.equal(parseIPv4('192.168.10.1'), 0xc0a80a01);
  });

  test('rejects everything else', () => {
    for (const bad of [
      '', '1.2.3', '1.2.3.4.5', '256.0.0.0', '1.2.3.256', '01.2.3.4', '1.2.3.00', '0x1.2.3.4', '1.2.3.4.', '.1.2.3.4',
      ' 1.2.3.4', '1.2.3.4 ', '1..2.3', '1.2.3.-1', '1.2.3.4/8', '127.1', '2130706433', '1.2.3.a', '1000.1.1.1', '１.2.3.4',
    ]) {
      assert.equal(parseIPv4(bad), null, JSON.stringify(bad));
    }
  });

  test('format/parse round-trip', () => {
    fc.assert(
      fc.property(uint32, (n) => {
        assert.equal(parseIPv4(formatIPv4(n)), n);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        assert.equal(formatIPv4(parseIPv4(text)!), text);
      }),
      RUNS,
    );
  });
});

describe('IPv6', () => {
  const w = (...xs: number[]) => Uint16Array.from(xs);

  test('parses the RFC 4291 forms', () => {
    assert.deepEqual(parseIPv6('::'), w(0, 0, 0, 0, 0, 0, 0, 0));
    assert.deepEqual(parseIPv6('::1'), w(0, 0, 0, 0, 0, 0, 0, 1));
    assert.deepEqual(parseIPv6('1::'), w(1, 0, 0, 0, 0, 0, 0, 0));
    assert.deepEqual(parseIPv6('2001:DB8::8:800:200C:417A'), w(0x2001, 0xdb8, 0, 0, 8, 0x800, 0x200c, 0x417a));
    assert.deepEqual(parseIPv6('1:2:3:4:5:6:7:8'), w(1, 2, 3, 4, 5, 6, 7, 8));
    assert.deepEqual(parseIPv6('1:2:3:4:5:6:7::'), w(1, 2, 3, 4, 5, 6, 7, 0));
    assert.deepEqual(parseIPv6('::2:3:4:5:6:7:8'), w(0, 2, 3, 4, 5, 6, 7, 8));
    assert.deepEqual(parseIPv6('::ffff:192.0.2.128'), w(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0280));
    assert.deepEqual(parseIPv6('1:2:3:4:5:6:1.2.3.4'), w(1, 2, 3, 4, 5, 6, 0x0102, 0x0304));
    assert.deepEqual(parseIPv6('0000:0000:0000:0000:0000:0000:0000:0001'), w(0, 0, 0, 0, 0, 0, 0, 1));
  });

  test('rejects malformed text', () => {
    for (const bad of [
      '', ':', ':::', '1', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', ':1::', '1::2:', '12345::', 'g::',
      '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8', 'fe80::1%eth0', '[::1]', '::ffff:1.2.3', '::ffff:1.2.3.256',
      '::ffff:01.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3.4:1', ' ::1', '::1 ', '1.2.3.4', '::-1',
    ]) {
      assert.equal(parseIPv6(bad), null, JSON.stringify(bad));
    }
  });

  test('formats per RFC 5952', () => {
    assert.equal(formatIPv6(w(0x2001, 0xdb8, 0, 0, 0, 0, 2, 1)), '2001:db8::2:1');
    assert.equal(formatIPv6(w(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1)), '2001:db8:0:1:1:1:1:1'); // one zero: not compressed
    assert.equal(formatIPv6(w(0x2001, 0, 0, 1, 0, 0, 0, 1)), '2001:0:0:1::1'); // longest run
    assert.equal(formatIPv6(w(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1)), '2001:db8::1:0:0:1'); // first on ties
    assert.equal(formatIPv6(w(0x2001, 0xdb8, 0xa, 0xb, 0xc, 0xd, 0xe, 0xabcd)), '2001:db8:a:b:c:d:e:abcd');
    assert.equal(formatIPv6(w(0, 0, 0, 0, 0, 0, 0, 0)), '::');
    assert.equal(formatIPv6(w(0, 0, 0, 0, 0, 0, 0, 1)), '::1');
    assert.equal(formatIPv6(w(1, 0, 0, 0, 0, 0, 0, 0)), '1::');
    assert.equal(formatIPv6(w(0, 0, 1, 0, 0, 0, 0, 0)), '0:0:1::');
    assert.equal(formatIPv6(w(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1)), '::ffff:7f00:1');
  });

  test('parse/format round-trip', () => {
    fc.assert(
      fc.property(words, (ws) => {
        const text = formatIPv6(ws);
        assert.deepEqual([...parseIPv6(text)!], ws);
        assert.match(text, /^[0-9a-f:]+$/);
        assert.ok(!/(^|:)0[0-9a-f]/.test(text), `leading zero in ${text}`);
        assert.ok(text.split('::').length <= 2);
        // WHATWG URL's IPv6 serializer follows the same rules.
        assert.equal(`[${text}]`, new URL(`http://[${text}]/`).hostname);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const parsed = parseIPv6(text);
        assert.ok(parsed, text);
        assert.deepEqual(parseIPv6(formatIPv6(parsed)), parsed);
        assert.equal(`[${formatIPv6(parsed)}]`, new URL(`http://[${text}]/`).hostname);
      }),
      RUNS,
    );
  });
});

describe('parseAddress', () => {
  test('either family', () => {
    assert.deepEqual(parseAddress('10.1.2.3'), { family: 4, value: 0x0a010203 });
    const v6 = parseAddress('2001:db8::1');
    assert.equal(v6.family, 6);
    assert.equal(v6.family === 6 && formatIPv6(v6.words), '2001:db8::1');
  });

  test('folds IPv4-mapped IPv6 (as dual-stack sockets report IPv4 peers) to IPv4', () => {
    assert.deepEqual(parseAddress('::ffff:10.0.0.1'), { family: 4, value: 0x0a000001 });
    assert.deepEqual(parseAddress('::FFFF:a00:1'), { family: 4, value: 0x0a000001 });
    assert.equal(parseAddress('::10.0.0.1').family, 6);
    assert.ok(isIPv4Mapped(parseIPv6('::ffff:0:0')!));
    assert.ok(!isIPv4Mapped(parseIPv6('::fffe:0:0')!));
  });

  test('throws IP_INVALID naming the input', () => {
    for (const bad of ['', 'localhost', '127.1', '1.2.3.4/32', '[::1]', 'fe80::1%eth0', '01.1.1.1']) {
      assert.throws(
        () => parseAddress(bad),
        (e: unknown) =>
          e instanceof RingfenceError &&
          e.code === ErrorCodes.IP_INVALID &&
          e.message.startsWith(`${JSON.stringify(bad)} is not an IP address`) &&
          e.input === bad,
        bad,
      );
    }
  });
});

describe('parseCidr', () => {
  test('parses blocks and single addresses', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { family: 4, address: '10.0.0.0', prefix: 8 });
    assert.deepEqual(parseCidr('192.168.1.7'), { family: 4, address: '192.168.1.7', prefix: 32 });
    assert.deepEqual(parseCidr('0.0.0.0/0'), { family: 4, address: '0.0.0.0', prefix: 0 });
    assert.deepEqual(parseCidr('2001:DB8::/32'), { family: 6, address: '2001:db8::', prefix: 32 });
    assert.deepEqual(parseCidr('::1'), { family: 6, address: '::1', prefix: 128 });
    assert.deepEqual(parseCidr('::/0'), { family: 6, address: '::', prefix: 0 });
    assert.deepEqual(parseCidr('::ffff:10.0.0.0/104'), { family: 6, address: '::ffff:a00:0', prefix: 104 });
  });

  test('clears host bits', () => {
    assert.deepEqual(parseCidr('10.1.2.3/8'), { family: 4, address: '10.0.0.0', prefix: 8 });
    assert.deepEqual(parseCidr('192.168.1.255/23'), { family: 4, address: '192.168.0.0', prefix: 23 });
    assert.deepEqual(parseCidr('255.255.255.255/1'), { family: 4, address: '128.0.0.0', prefix: 1 });
    assert.deepEqual(parseCidr('1.2.3.4/0'), { family: 4, address: '0.0.0.0', prefix: 0 });
    assert.deepEqual(parseCidr('2001:db8:abcd:12ff::1/52'), { family: 6, address: '2001:db8:abcd:1000::', prefix: 52 });
    assert.deepEqual(parseCidr('ffff:ffff::/17'), { family: 6, address: 'ffff:8000::', prefix: 17 });
    assert.deepEqual(parseCidr('ffff::1/0'), { family: 6, address: '::', prefix: 0 });
  });

  test('host-bit clearing agrees with arithmetic (IPv4) and is idempotent', () => {
    fc.assert(
      fc.property(uint32, fc.integer({ min: 0, max: 32 }), (n, prefix) => {
        const c = parseCidr(`${formatIPv4(n)}/${prefix}`);
        const mask = prefix === 0 ? 0 : Number((0xffffffffn << BigInt(32 - prefix)) & 0xffffffffn);
        assert.equal(c.address, formatIPv4(Number(BigInt(n) & BigInt(mask))));
        assert.deepEqual(parseCidr(`${c.address}/${prefix}`), c);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(words, fc.integer({ min: 0, max: 128 }), (ws, prefix) => {
        const c = parseCidr(`${formatIPv6(ws)}/${prefix}`);
        const big = ws.reduce((acc, x) => (acc << 16n) | BigInt(x), 0n);
        const masked = prefix === 0 ? 0n : big & (((1n << BigInt(prefix)) - 1n) << BigInt(128 - prefix));
        const expect = Array.from({ length: 8 }, (_, i) => Number((masked >> BigInt(112 - 16 * i)) & 0xffffn));
        assert.equal(c.address, formatIPv6(expect));
        assert.deepEqual(parseCidr(`${c.address}/${prefix}`), c);
      }),
      RUNS,
    );
  });

  test('errors name the input and what is wrong', () => {
    const cases: [string, string][] = [
      ['10.0.0.0/33', 'CIDR "10.0.0.0/33" has prefix 33, but an IPv4 prefix must be 0–32'],
      ['2001:db8::/129', 'CIDR "2001:db8::/129" has prefix 129, but an IPv6 prefix must be 0–128'],
      ['10.0.0.0/', 'CIDR "10.0.0.0/" has an empty prefix after "/"'],
      ['10.0.0.0/-1', 'CIDR "10.0.0.0/-1" has prefix "-1", which is not a whole number'],
      ['10.0.0.0/8a', 'CIDR "10.0.0.0/8a" has prefix "8a", which is not a whole number'],
      ['10.0.0.0/8/9', 'CIDR "10.0.0.0/8/9" has prefix "8/9", which is not a whole number'],
      ['10.0.0.0/ 8', 'CIDR "10.0.0.0/ 8" has prefix " 8", which is not a whole number'],
      ['/8', 'CIDR "/8" has no address before "/"'],
      ['', 'CIDR "" has no address before "/"'],
      ['10.0.0/8', 'CIDR "10.0.0/8" has an invalid address "10.0.0"'],
      ['256.0.0.0/8', 'CIDR "256.0.0.0/8" has an invalid address "256.0.0.0"'],
      ['example.com/8', 'CIDR "example.com/8" has an invalid address "example.com"'],
      ['fe80::%eth0/64', 'CIDR "fe80::%eth0/64" has an invalid address "fe80::%eth0" (zone ids are not allowed)'],
    ];
    for (const [input, message] of cases) {
      assert.throws(() => parseCidr(input), { name: 'RingfenceError', code: ErrorCodes.CIDR_INVALID, message, input });
    }
  });
});
