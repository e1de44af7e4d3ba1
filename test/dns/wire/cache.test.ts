import { test } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { ENTRY_OVERHEAD, ResponseCache } from '../../../src/dns/wire/cache.ts';
import { answerFor } from '../../../src/dns/wire/response.ts';
import { clientQuery, decode, dnsPacket, response } from './helpers.ts';

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

/** What one entry (key `k<digit>`, answer for `n<digit>.example`) counts against maxBytes. */
function entrySize(): number {
  const probe = new ResponseCache({ maxBytes: 100_000 }, new FakeClock().now);
  probe.set('k0', answer('n0.example', 60));
  assert.ok(probe.bytes > ENTRY_OVERHEAD + answer('n0.example', 60).length);
  return probe.bytes;
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
  const entry = entrySize();
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
  const entry = entrySize();
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

test('property: get and answer hand out what was stored, as answerFor would, while blocks are reused', () => {
  const txt = (name: string, size: number) =>
    response({ id: 7, questions: [{ type: 'TXT', name }], answers: [{ type: 'TXT', name, ttl: 300, data: Array.from({ length: Math.ceil(size / 200) }, (_, i) => 'x'.repeat(Math.min(200, size - i * 200)).replace(/^/, String(i))) }], additionals: size % 3 === 0 ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0, options: [] } as unknown as dnsPacket.Answer] : [] });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 900 })), { minLength: 1, maxLength: 60 }), fc.boolean(), (ops, edns) => {
      const clock = new FakeClock();
      const cache = new ResponseCache({ maxBytes: 4000 }, clock.now);
      const held = new Map<number, Uint8Array>();
      for (const [k, size] of ops) {
        const r = txt(`n${k}.example`, size);
        if (cache.set(cache.key(`n${k}.example`, 16, 1, false), r)) held.set(k, r);
        clock.advance(1);
        for (const [j, original] of held) {
          const got = cache.get(cache.key(`n${j}.example`, 16, 1, false));
          if (got === null) {
            held.delete(j); // evicted
            continue;
          }
          assert.deepEqual(decode(got).answers.map((a) => a.data.toString()), decode(original).answers.map((a) => a.data.toString()));
          const c = clientQuery(`N${j}.Example`, 'TXT', edns ? { edns: {} } : {});
          assert.deepEqual(cache.answer(`n${j}.example`, c.q, c.msg), answerFor(got, c.q, c.msg));
        }
      }
      assert.ok(cache.bytes <= 4000);
    }),
    { numRuns: 300 },
  );
});

test('answer: one copy with the client id, question case, its OPT and decayed TTLs', () => {
  const clock = new FakeClock();
  const cache = new ResponseCache({ maxBytes: 100_000 }, clock.now);
  cache.set(cache.key('www.example.com', 1, 1, true), answer('www.example.com', 120));
  clock.advance(20);
  const c = clientQuery('WWW.Example.com', 'A', { id: 0x1234, edns: { do: true } });
  const d = decode(cache.answer('www.example.com', c.q, c.msg)!);
  assert.equal(d.id, 0x1234);
  assert.equal(d.questions[0]!.name, 'WWW.Example.com');
  assert.equal(d.answers[0]!.ttl, 100);
  assert.equal(d.additionals.length, 1);
  assert.equal(d.additionals[0]!.type, 'OPT');
  const other = clientQuery('other.example', 'A', { edns: { do: true } });
  assert.equal(decode(cache.answer('www.example.com', other.q, other.msg)!).rcode, 'SERVFAIL', 'a different question is not answered from this entry');
  assert.equal(cache.answer('www.example.com', clientQuery('www.example.com', 'A').q, c.msg), null, 'DO is part of the key');
  assert.equal(cache.answer('absent.example', c.q, c.msg), null);
});

test('entries of one name are told apart by type, class and DO, and each goes on its own', () => {
  const cache = new ResponseCache({ maxBytes: 100_000 }, new FakeClock().now);
  const kinds: Array<[number, number, boolean]> = [[1, 1, false], [28, 1, false], [1, 1, true], [1, 3, false]];
  for (const [t, c, d] of kinds) cache.put('a.example', t, c, d, response({ id: 1, questions: [{ type: t === 28 ? 'AAAA' : 'A', name: 'a.example', class: c === 3 ? 'CH' : 'IN' }], answers: [{ type: 'TXT', name: 'a.example', ttl: 60, data: `${t}/${c}/${d}` }] }));
  assert.equal(cache.size, 4);
  for (const [t, c, d] of kinds) assert.equal(decode(cache.response('a.example', t, c, d)!).answers[0]!.data.toString(), `${t}/${c}/${d}`);
  cache.set(cache.key('a.example', 1, 1, true), answer('a.example', 30)); // replaces one
  assert.equal(cache.size, 4);
  assert.equal(decode(cache.get(cache.key('a.example', 1, 1, true))!).answers[0]!.ttl, 30);
  assert.equal(decode(cache.response('a.example', 28, 1, false)!).answers[0]!.data.toString(), '28/1/false');
});

test('a cleared cache fills again past its old size', () => {
  const cache = new ResponseCache({ maxBytes: 1 << 20 }, new FakeClock().now);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 300; i++) assert.equal(cache.set(cache.key(`r${round}n${i}.example`, 1, 1, false), answer(`r${round}n${i}.example`, 60)), true);
    assert.equal(cache.size, 300);
    assert.ok(cache.get(cache.key(`r${round}n299.example`, 1, 1, false)));
    cache.clear();
    assert.deepEqual([cache.size, cache.bytes], [0, 0]);
  }
});
