// Property tests for canonicalHost / parseUrl (fast-check). Bounded: the file runs in a few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalHost, parseUrl, type CanonicalHost, type HostSource } from '../../../src/core/host/canonical.ts';
import { formatIPv4, formatIPv6, parseIPv6 } from '../../../src/core/net/ip.ts';
import { RingfenceError } from '../../../src/core/errors.ts';

const RUNS = { numRuns: 1000 };
const SOURCES: readonly HostSource[] = ['dns', 'host-header', 'url', 'connect', 'sni', 'list'];

type Outcome = { ok: true; value: CanonicalHost } | { ok: false; code: string };

function outcome(input: string, source: HostSource): Outcome {
  try {
    return { ok: true, value: { ...canonicalHost(input, source) } };
  } catch (e) {
    if (!(e instanceof RingfenceError)) throw e;
    return { ok: false, code: e.code };
  }
}

// Labels mixing what real names hold with what tends to break canonicalisers: upper case, '_',
// '-', digits, IDN letters, full-width forms, ideographic dots, soft hyphens, ZWJ.
const labelChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyz0123456789-_ABCXYZ',
  'x', 'n', '-', // help form xn-- prefixes
  'ü', 'é', 'ß', 'ñ', 'Ü', 'ж', '例', 'テ', 'Ａ', 'ｚ', '１', '\u00ad', '\u200d', 'ا', 'א',
);
const label = fc.string({ unit: labelChar, minLength: 1, maxLength: 12 });
const nameLike = fc.array(label, { minLength: 1, maxLength: 5 }).map((ls) => ls.join('.'));
const fullWidthDot = fc.constantFrom('.', '.', '.', '\u3002', '\uff0e', '\uff61');
const nameWithDots = fc
  .array(fc.tuple(label, fullWidthDot), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.map(([l, d], i) => (i === parts.length - 1 ? l : l + d)).join(''));
const anyName = fc.oneof(fc.domain(), fc.mixedCase(fc.domain()), nameLike, nameWithDots, fc.ipV4(), fc.ipV4Extended());

test('idempotent: a canonical domain canonicalises to itself from dns and list', () => {
  fc.assert(
    fc.property(anyName, (name) => {
      const r = outcome(name, 'dns');
      if (!r.ok) return;
      assert.deepEqual(outcome(r.value.host, 'dns'), r);
      assert.deepEqual(outcome(r.value.host, 'list'), r);
      assert.deepEqual(outcome(r.value.host, 'sni'), r);
    }),
    RUNS,
  );
});

// ASCII case only: JavaScript's full case mapping is not IDNA's ('ß'.toUpperCase() is 'SS').
const asciiUpper = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());
const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

test('case-insensitive', () => {
  fc.assert(
    fc.property(fc.oneof(fc.domain(), nameLike, fc.ipV4Extended()), fc.integer(), (name, seed) => {
      const flipped = [...name].map((c, i) => ((seed >> i % 31) & 1 ? asciiUpper(c) : asciiLower(c))).join('');
      const lower = outcome(asciiLower(name), 'dns');
      assert.deepEqual(outcome(asciiUpper(name), 'dns'), lower);
      assert.deepEqual(outcome(flipped, 'dns'), lower);
      // IDNA case folding too: full-width and non-ASCII capitals map like their small letters.
      assert.deepEqual(outcome(name.replace(/ü/g, 'Ü').replace(/ｚ/g, 'Ｚ'), 'dns'), outcome(name, 'dns'));
    }),
    RUNS,
  );
});

test('trailing dots do not matter', () => {
  fc.assert(
    fc.property(anyName, fc.integer({ min: 1, max: 3 }), (name, n) => {
      const base = outcome(name, 'dns');
      assert.deepEqual(outcome(name + '.'.repeat(n), 'dns'), base);
      assert.deepEqual(outcome(name + '.'.repeat(n), 'sni'), base);
    }),
    RUNS,
  );
});

test('url, host-header, connect, sni and dns agree on the same name', () => {
  fc.assert(
    fc.property(anyName, fc.integer({ min: 1, max: 65535 }), (name, port) => {
      const base = outcome(name, 'dns');
      assert.deepEqual(outcome(name, 'sni'), base);
      assert.deepEqual(outcome(name, 'list'), base);
      assert.deepEqual(outcome(`${name}:${port}`, 'host-header'), base);
      assert.deepEqual(outcome(name, 'host-header'), base);
      assert.deepEqual(outcome(`${name}:${port}`, 'connect'), base);
      assert.deepEqual(outcome(`http://user:pw@${name}:${port}/p?q#f`, 'url'), base);
      assert.deepEqual(outcome(`https://${name}`, 'url'), base);
      assert.deepEqual(outcome(`${name}/path`, 'url'), base);
      if (base.ok) {
        const u = parseUrl(`HTTP://${name}:${port}/a/../b`);
        assert.deepEqual({ ...u.host }, base.value);
        assert.equal(u.port, port === 80 ? null : port);
        assert.equal(u.path, '/b');
      }
    }),
    RUNS,
  );
});

test('agrees with WHATWG URL (Node) on every name it accepts', () => {
  fc.assert(
    fc.property(anyName, (name) => {
      const r = outcome(name, 'dns');
      if (!r.ok) return;
      const hostname = new URL(`http://${name}/`).hostname.replace(/\.+$/, '');
      assert.equal(r.value.host, hostname);
    }),
    RUNS,
  );
});

/** n written as 1–4 parts, each decimal, octal or hex, in random case. */
const ipv4Spelling = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(5), { minLength: 4, maxLength: 4 }))
  .map(([n, parts, styles]) => {
    const bytes = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    const values = bytes.slice(0, parts - 1);
    values.push(bytes.slice(parts - 1).reduce((acc, b) => acc * 256 + b, 0));
    const text = values
      .map((v, i) => {
        const style = styles[i]!;
        if (style === 1) return `0x${v.toString(16)}`;
        if (style === 2) return `0X${v.toString(16).toUpperCase()}`;
        if (style === 3) return `0${v.toString(8)}`;
        if (style === 4) return `0x00${v.toString(16)}`;
        return String(v);
      })
      .join('.');
    return { n: n >>> 0, text };
  });

test('every spelling of an IPv4 address folds to the same dotted quad', () => {
  fc.assert(
    fc.property(ipv4Spelling, ({ n, text }) => {
      const want = { ok: true, value: { kind: 'ipv4', host: formatIPv4(n) } };
      assert.deepEqual(outcome(text, 'dns'), want);
      assert.deepEqual(outcome(`${text}.`, 'sni'), want);
      assert.deepEqual(outcome(`${text}:443`, 'connect'), want);
      assert.deepEqual(outcome(`http://${text}:8080/`, 'url'), want);
      assert.equal(new URL(`http://${text}/`).hostname, formatIPv4(n));
    }),
    RUNS,
  );
});

const word = (w: number, upper: boolean, pad: boolean): string => {
  const h = pad ? w.toString(16).padStart(4, '0') : w.toString(16);
  return upper ? h.toUpperCase() : h;
};

test('IPv4-mapped IPv6 addresses fold to IPv4', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.nat(3), fc.boolean(), (n, style, upper) => {
      const v4 = formatIPv4(n >>> 0);
      const hi = word(n >>> 16, upper, style === 2);
      const lo = word(n & 0xffff, upper, style === 2);
      const ffff = upper ? 'FFFF' : 'ffff';
      const text = [`::${ffff}:${v4}`, `::${ffff}:${hi}:${lo}`, `0:0:0:0:0:${ffff}:${hi}:${lo}`, `0::${ffff}:${v4}`][style]!;
      const want = { ok: true, value: { kind: 'ipv4', host: v4 } };
      assert.deepEqual(outcome(text, 'list'), want);
      assert.deepEqual(outcome(`[${text}]`, 'list'), want);
      assert.deepEqual(outcome(`[${text}]:443`, 'connect'), want);
      assert.deepEqual(outcome(`[${text}]`, 'host-header'), want);
      assert.deepEqual(outcome(`http://[${text}]/`, 'url'), want);
    }),
    RUNS,
  );
});

test('IPv6 literals get the RFC 5952 text WHATWG URL also produces', () => {
  fc.assert(
    fc.property(fc.ipV6(), (text) => {
      const r = outcome(text, 'list');
      assert.ok(r.ok, `rejected ${text}`);
      assert.deepEqual(outcome(`[${text}]:8443`, 'connect'), r);
      assert.deepEqual(outcome(`http://[${text}]/`, 'url'), r);
      if (r.value.kind === 'ipv6') {
        assert.equal(`[${r.value.host}]`, new URL(`http://[${text}]/`).hostname);
        assert.equal(formatIPv6(parseIPv6(r.value.host)!), r.value.host);
      }
    }),
    RUNS,
  );
});

const junkChar = fc.constantFrom(
  ...'aZ09.-_:[]@/\\?#% \t\n\r"<>^|*~!,;=+&\'()`{}x',
  '%41', '%ff', '%C3%BC', '\u0000', '\u007f', 'ü', '。', '\u00ad', '\u200d', '\ud800', '\udc00', '😀', 'xn--', '0x', '::',
);
const junk = fc.oneof(fc.string({ unit: junkChar, maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 24 }), fc.webUrl());

test('outputs are well-formed: domains only [a-z0-9._-], IPs in canonical text', () => {
  fc.assert(
    fc.property(fc.oneof(junk, anyName), fc.constantFrom(...SOURCES), (input, source) => {
      const r = outcome(input, source);
      if (!r.ok) return;
      const { kind, host } = r.value;
      if (kind === 'domain') {
        assert.match(host, /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/);
        assert.ok(host.length <= 253 && host.split('.').every((l) => l.length <= 63));
        assert.ok(!/(^|\.)[0-9]+$/.test(host) && !/(^|\.)0x[0-9a-f]*$/.test(host), `numeric last label: ${host}`);
      } else if (kind === 'ipv4') {
        assert.match(host, /^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$/);
      } else {
        assert.equal(formatIPv6(parseIPv6(host)!), host);
      }
    }),
    { numRuns: 2000 },
  );
});

test('arbitrary input never throws anything but RingfenceError', () => {
  fc.assert(
    fc.property(junk, (input) => {
      for (const source of SOURCES) outcome(input, source); // rethrows anything else
      try {
        parseUrl(input);
      } catch (e) {
        if (!(e instanceof RingfenceError)) throw e;
      }
    }),
    { numRuns: 2000 },
  );
});
