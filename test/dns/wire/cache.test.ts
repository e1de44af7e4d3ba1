import { test } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { ENTRY_OVERHEAD, ResponseCache } from '../../../src/dns/wire/cache.ts';
import { decode, dnsPacket, response } from './helpers.ts';

class FakeClock {
  ms = 1_000_000;
  readonly now = () => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

function answer(name: string, ttl: number, flags = 0x8180): Uint8Array {
  return response({ id: 1, flags, questions: [{ type: 'A', name }], answers: [{ type: 'A', name, ttl, data: '192.0.2.1' }] });
}

function negative(rcode: 'NXDOMAIN' | 'NODATA', soaTtl: number, minimum: number): Uint8Array {
  return response({
    id: 1, flags: rcode === 'NXDOMAIN' ? 0x8183 : 0x8180, questions: [{ type: 'A', name: 'nope.example.com' }],
    authorities: [{ type: 'SOA', name: 'example.com', ttl: soaTtl, data: { mname: 'ns.example.com', rname: 'h.example.com', serial: 1, refresh: 1, retry: 1, expire: 1, minimum } }],
  });
}

const ttlsOf = (msg: Uint8Array) => {
  const d = decode(msg);
  return [...d.answers!, ...d.authorities!].map((a) => a.ttl);
};

test('TTLs decay with the clock; the entry expires when the TTL runs out', () => {
  const clock = new FakeClock();
  const cache = new ResponseCache({ maxBytes: 100_000 }, clock.now);
  const key = cache.key('www.example.com', 1, 1, false);
  assert.equal(cache.set(key, answer('www.example.com', 120)), true);
  assert.deepEqual(ttlsOf(cache.get(key)!), [120]);
  clock.advance(30.5);
  assert.deepEqual(ttlsOf(cache.get(key)!), [90]);
  clock.advance(89);
  assert.deepEqual(ttlsOf(cache.get(key)!), [1]);
  clock.advance(0.5);
  assert.equal(cache.get(key), null);
  assert.equal(cache.size, 0);
  assert.equal(cache.bytes, 0);
  assert.deepEqual(cache.stats(), { hits: 3, misses: 1, evictions: 0, expired: 1, size: 0, bytes: 0 });
});

test('negative answers are cached for min(SOA TTL, MINIMUM), capped by maxNegativeTtl', () => {
  const clock = new FakeClock();
  const cache = new ResponseCache({ maxBytes: 100_000 }, clock.now);
  cache.set('nx', negative('NXDOMAIN', 3600, 300));
  cache.set('nodata', negative('NODATA', 120, 900));
  clock.advance(100);
  assert.deepEqual(ttlsOf(cache.get('nx')!), [200], 'the SOA TTL was lowered to the negative TTL, then decayed');
  assert.deepEqual(ttlsOf(cache.get('nodata')!), [20]);
  clock.advance(20);
  assert.equal(cache.get('nodata'), null);
  clock.advance(180);
  assert.equal(cache.get('nx'), null);
  const capped = new ResponseCache({ maxBytes: 100_000, maxNegativeTtl: 60 }, clock.now);
  capped.set('nx', negative('NXDOMAIN', 3600, 3600));
  assert.deepEqual(ttlsOf(capped.get('nx')!), [60]);
  clock.advance(60);
  assert.equal(capped.get('nx'), null);
});

test('SERVFAIL, truncated, uncacheable, zero-TTL and garbage responses are not stored', () => {
  const cache = new ResponseCache({ maxBytes: 100_000 }, new FakeClock().now);
  const noSoa = response({ id: 1, flags: 0x8183, questions: [{ type: 'A', name: 'x.example' }] });
  for (const r of [answer('a.example', 60, 0x8182), answer('a.example', 60, 0x8380), noSoa, answer('a.example', 0), new Uint8Array(5), answer('a.example', 60).subarray(0, 30)]) {
    assert.equal(cache.set('k', r), false);
  }
  assert.equal(cache.size, 0);
});

test('TTLs are clamped to [minTtl, maxTtl]', () => {
  const clock = new FakeClock();
  const cache = new ResponseCache({ maxBytes: 100_000, minTtl: 30, maxTtl: 3600 }, clock.now);
  cache.set('low', answer('low.example', 5));
  cache.set('high', answer('high.example', 100_000));
  assert.deepEqual(ttlsOf(cache.get('low')!), [30]);
  assert.deepEqual(ttlsOf(cache.get('high')!), [3600]);
  clock.advance(29);
  assert.deepEqual(ttlsOf(cache.get('low')!), [1]);
  clock.advance(1);
  assert.equal(cache.get('low'), null);
  clock.advance(3570);
  assert.equal(cache.get('high'), null);
  assert.equal(new ResponseCache({ maxBytes: 1e5, minTtl: 10 }).set('z', answer('z.example', 0)), true, 'minTtl lifts a zero TTL');
});

test('LRU eviction keeps the stored bytes under maxBytes; a get refreshes an entry', () => {
  const clock = new FakeClock();
  const one = answer('n0.example', 60);
  const entry = 'k0'.length * 2 + one.length + 4 + ENTRY_OVERHEAD;
  const cache = new ResponseCache({ maxBytes: entry * 3 }, clock.now);
  for (let i = 0; i < 3; i++) cache.set(`k${i}`, answer(`n${i}.example`, 60));
  assert.equal(cache.bytes, entry * 3);
  assert.ok(cache.get('k0'));
  cache.set('k3', answer('n3.example', 60));
  assert.equal(cache.get('k1'), null, 'the least recently used went first');
  assert.ok(cache.get('k0') && cache.get('k2') && cache.get('k3'));
  assert.equal(cache.stats().evictions, 1);
  assert.ok(cache.bytes <= entry * 3);
  cache.set('k3', answer('n3.example', 60));
  assert.equal(cache.bytes, entry * 3, 'replacing a key does not count it twice');
  const big = response({ id: 1, questions: [{ type: 'TXT', name: 'big.example' }], answers: [{ type: 'TXT', name: 'big.example', ttl: 60, data: 'x'.repeat(entry * 3) }] });
  assert.equal(cache.set('big', big), false, 'larger than the whole cache');
  assert.equal(cache.size, 3);
  cache.clear();
  assert.deepEqual([cache.size, cache.bytes], [0, 0]);
});

test('keys separate name, type, class and DO; get hands out copies', () => {
  const cache = new ResponseCache({ maxBytes: 100_000 }, new FakeClock().now);
  const keys = [cache.key('a.example', 1, 1, false), cache.key('a.example', 1, 1, true), cache.key('a.example', 28, 1, false), cache.key('a.example', 1, 3, false)];
  assert.equal(new Set(keys).size, 4);
  const r = answer('a.example', 60);
  cache.set(keys[0]!, r);
  const got = cache.get(keys[0]!)!;
  got[0] = 0xff;
  r[0] = 0xee;
  assert.equal(cache.get(keys[0]!)![0], 0);
  assert.equal(decode(cache.get(keys[0]!)!).flags! & dnsPacket.RECURSION_AVAILABLE, dnsPacket.RECURSION_AVAILABLE);
  const buf = Buffer.from(answer('b.example', 99999)); // upstream bytes often come as a Buffer
  cache.set(keys[1]!, buf);
  assert.equal(decode(buf).answers[0]!.ttl, 99999, 'the caller\'s bytes are not clamped in place');
  buf.fill(0);
  assert.equal(decode(cache.get(keys[1]!)!).answers[0]!.ttl, 86400);
});

test('property: eviction order matches a plain LRU model under random sets and gets', () => {
  const one = answer('n0.example', 60);
  const entry = 'k0'.length * 2 + one.length + 4 + ENTRY_OVERHEAD;
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 9 })), { maxLength: 80 }), fc.integer({ min: 1, max: 6 }), (ops, room) => {
      const cache = new ResponseCache({ maxBytes: entry * room }, new FakeClock().now);
      let model: number[] = []; // least recently used first
      for (const [isSet, k] of ops) {
        if (isSet) {
          cache.set(`k${k}`, answer(`n${k}.example`, 60));
          model = model.filter((m) => m !== k).concat(k);
          if (model.length > room) model = model.slice(model.length - room);
        } else {
          const hit = cache.get(`k${k}`) !== null;
          assert.equal(hit, model.includes(k), `get k${k}`);
          if (hit) model = model.filter((m) => m !== k).concat(k);
        }
      }
      assert.equal(cache.size, model.length);
    }),
    { numRuns: 300 },
  );
});
