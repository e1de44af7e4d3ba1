import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { Forwarder, type ForwarderOptions } from '../../../src/dns/upstream/forwarder.ts';
import { UpstreamError } from '../../../src/dns/upstream/errors.ts';
import { RingfenceError } from '../../../src/core/errors.ts';
import { Rcode, RRType } from '../../../src/dns/wire/types.ts';
import { fixtureAddress, fixtureAddress6, startDnsFixture, type DnsFixture } from '../../support/dns-fixture.ts';

const IN = 1;
let fx: DnsFixture;
before(async () => {
  fx = await startDnsFixture();
});
after(() => fx.close());

async function withForwarder(fn: (f: Forwarder) => Promise<void>, options: Partial<ForwarderOptions> = {}): Promise<void> {
  const f = new Forwarder({ upstreams: [{ host: fx.address, port: fx.port }], localAddress: '127.0.0.1', ...options });
  try {
    await fn(f);
  } finally {
    await f.close();
  }
}

const decode = (bytes: Uint8Array) => dnsPacket.decode(Buffer.from(bytes));
const queriesFor = (name: string) => fx.queries.filter((q) => q.name === name);

describe('answers', () => {
  test('A and AAAA over UDP, with EDNS and the question echoed', () =>
    withForwarder(async (f) => {
      const bytes = await f.resolve('www.answers.test', RRType.A, IN, false);
      const a = decode(bytes);
      assert.equal(a.flag_qr, true);
      assert.equal(bytes[3]! & 0x0f, Rcode.NOERROR);
      assert.deepEqual(a.questions, [{ name: 'www.answers.test', type: 'A', class: 'IN' }]);
      assert.deepEqual(a.answers?.map((r) => (r as { data: unknown }).data), [fixtureAddress('www.answers.test')]);
      const aaaa = decode(await f.resolve('www.answers.test', RRType.AAAA, IN, false));
      assert.deepEqual(aaaa.answers?.map((r) => (r as { data: unknown }).data), [fixtureAddress6('www.answers.test')]);
      const seen = queriesFor('www.answers.test');
      assert.deepEqual(seen.map((q) => [q.type, q.transport, q.edns, q.dnssecOk]), [[1, 'udp', true, false], [28, 'udp', true, false]]);
      assert.equal(f.stats().sent, 2);
      assert.equal(f.stats().received, 2);
    }));

  test('the DO bit goes upstream when asked, and is part of the in-flight key', () =>
    withForwarder(async (f) => {
      const [plain, dnssec] = await Promise.all([
        f.resolve('do.answers.test', RRType.A, IN, false),
        f.resolve('do.answers.test', RRType.A, IN, true),
      ]);
      const opt = (bytes: Uint8Array) => decode(bytes).additionals?.find((r) => r.type === 'OPT') as { flag_do: boolean } | undefined;
      assert.equal(opt(plain)?.flag_do, false);
      assert.equal(opt(dnssec)?.flag_do, true);
      assert.deepEqual(queriesFor('do.answers.test').map((q) => q.dnssecOk).sort(), [false, true]);
    }));

  test('explicit records pass through: CNAME chain, TXT, raw HTTPS', () =>
    withForwarder(async (f) => {
      const https = Uint8Array.from([0, 1, 0, 0, 1, 0, 3, 2, 0x68, 0x32]); // priority 1, ".", alpn=h2
      fx.setZone({
        'alias.zone.test': [{ type: 'CNAME', data: 'target.zone.test' }],
        'target.zone.test': [{ type: 'A', data: '203.0.113.9', ttl: 42 }],
        'svc.zone.test': [{ type: 'HTTPS', data: https }, { type: 'TXT', data: 'hello' }],
      });
      const cname = decode(await f.resolve('alias.zone.test', RRType.A, IN, false));
      assert.deepEqual(cname.answers?.map((r) => [r.type, (r as { data: unknown }).data]), [['CNAME', 'target.zone.test'], ['A', '203.0.113.9']]);
      const h = decode(await f.resolve('svc.zone.test', RRType.HTTPS, IN, false));
      assert.equal(h.answers?.length, 1);
      assert.deepEqual([...((h.answers![0] as { data: Buffer }).data)], [...https]);
      const txt = decode(await f.resolve('svc.zone.test', RRType.TXT, IN, false));
      assert.deepEqual((txt.answers![0] as { data: Buffer[] }).data.map(String), ['hello']);
      fx.setZone({});
    }));

  test('NXDOMAIN passes through with its SOA', () =>
    withForwarder(async (f) => {
      const bytes = await f.resolve('gone.nxdomain.test', RRType.A, IN, false);
      const r = decode(bytes);
      assert.equal(bytes[3]! & 0x0f, Rcode.NXDOMAIN);
      assert.equal(r.answers?.length, 0);
      const soa = r.authorities?.[0] as (Answer & { ttl: number; data: { minimum: number } }) | undefined;
      assert.equal(soa?.type, 'SOA');
      assert.equal(soa?.ttl, 300);
      assert.equal(soa?.data.minimum, 60);
    }));
});

describe('truncation', () => {
  test('a truncated UDP answer is retried over TCP on the same upstream', () =>
    withForwarder(async (f) => {
      const r = decode(await f.resolve('big.large.test', RRType.TXT, IN, false));
      assert.equal(r.flag_tc, false);
      assert.equal((r.answers?.[0] as { data: Buffer[] }).data.length, 8);
      assert.deepEqual(queriesFor('big.large.test').map((q) => q.transport), ['udp', 'tcp']);
      const a = decode(await f.resolve('many.large.test', RRType.A, IN, false));
      assert.equal(a.answers?.length, 100);
      assert.equal(f.stats().tcpFallbacks, 2);
    }));

  test('an upstream that always truncates over UDP is read over TCP', async () => {
    const trunc = await startDnsFixture({ behaviour: 'truncate-always' });
    const f = new Forwarder({ upstreams: [{ host: trunc.address, port: trunc.port }], localAddress: '127.0.0.1' });
    try {
      const r = decode(await f.resolve('small.trunc.test', RRType.A, IN, false));
      assert.deepEqual(r.answers?.map((x) => (x as { data: unknown }).data), [fixtureAddress('small.trunc.test')]);
      assert.deepEqual(trunc.queries.map((q) => q.transport), ['udp', 'tcp']);
    } finally {
      await f.close();
      await trunc.close();
    }
  });
});

describe('sharing and ports', () => {
  test('concurrent identical questions share one upstream query; each caller owns its bytes', async () => {
    const slow = await startDnsFixture({ behaviour: 'slow', delayMs: 100 });
    const f = new Forwarder({ upstreams: [{ host: slow.address, port: slow.port }], localAddress: '127.0.0.1' });
    try {
      const [a, b, c] = await Promise.all([
        f.resolve('shared.test', RRType.A, IN, false),
        f.resolve('shared.test', RRType.A, IN, false),
        f.resolve('shared.test', RRType.AAAA, IN, false),
      ]);
      assert.equal(slow.queries.filter((q) => q.name === 'shared.test' && q.type === 1).length, 1);
      assert.equal(f.stats().inflightShared, 1);
      assert.deepEqual(a, b);
      assert.notEqual(a.buffer === b.buffer && a.byteOffset === b.byteOffset, true, 'distinct memory');
      a[0] = a[0]! ^ 0xff;
      assert.notEqual(a[0], b[0]);
      assert.equal(decode(c).answers?.[0]?.type, 'AAAA');
      // Once settled, the same question goes upstream again (this is not a cache).
      await f.resolve('shared.test', RRType.A, IN, false);
      assert.equal(slow.queries.filter((q) => q.name === 'shared.test' && q.type === 1).length, 2);
    } finally {
      await f.close();
      await slow.close();
    }
  });

  test('one name in flight for several types and DO at once: each shares only its own question', async () => {
    const slow = await startDnsFixture({ behaviour: 'slow', delayMs: 50 });
    const f = new Forwarder({ upstreams: [{ host: slow.address, port: slow.port }], localAddress: '127.0.0.1' });
    try {
      const asks: Array<[number, boolean]> = [[RRType.A, false], [RRType.AAAA, false], [RRType.A, true], [RRType.TXT, false], [RRType.AAAA, false], [RRType.A, true]];
      const pending = asks.map(([t, d]) => f.resolve('chain.test', t, IN, d));
      assert.equal(f.stats().inflight, 4);
      const answers = await Promise.all(pending);
      assert.deepEqual(answers.map((a) => decode(a).questions?.[0]?.type), ['A', 'AAAA', 'A', 'TXT', 'AAAA', 'A']);
      assert.equal(f.stats().inflightShared, 2);
      assert.equal(f.stats().inflight, 0);
      assert.equal(slow.queries.filter((q) => q.name === 'chain.test').length, 4);
      // The question's own bytes, when given, go upstream as they are (here in mixed case).
      const wire = Uint8Array.from([5, ...Buffer.from('ChAiN'), 4, ...Buffer.from('test'), 0, 0, 1, 0, 1]);
      assert.equal(decode(await f.resolve('chain.test', RRType.A, IN, false, wire)).questions?.[0]?.name, 'ChAiN.test');
    } finally {
      await f.close();
      await slow.close();
    }
  });

  test('source ports and ids vary; sockets are replaced after their quota', () =>
    withForwarder(
      async (f) => {
        for (let i = 0; i < 40; i++) await f.resolve(`port${i}.ports.test`, RRType.A, IN, false);
        const seen = fx.queries.filter((q) => q.name.endsWith('.ports.test'));
        const ports = new Set(seen.map((q) => q.sourcePort));
        const ids = new Set(seen.map((q) => q.id));
        assert.ok(ports.size >= 6, `${ports.size} source ports for 40 queries`);
        assert.ok(ids.size >= 38, `${ids.size} ids for 40 queries`);
      },
      { socketsPerUpstream: 2, socketMaxQueries: 5 },
    ));

  test('names that cannot be encoded are rejected without a query', () =>
    withForwarder(async (f) => {
      await assert.rejects(f.resolve(`${'a'.repeat(64)}.test`, RRType.A, IN, false), (e: unknown) => e instanceof UpstreamError && e.reason === 'bad-query');
      assert.equal(f.stats().sent, 0);
    }));
});

test('options are checked: upstreams are IP literals with valid ports', () => {
  const bad = [
    { upstreams: [] },
    { upstreams: [{ host: 'dns.example', port: 53 }] },
    { upstreams: [{ host: '127.0.0.1', port: 0 }] },
    { upstreams: [{ host: '127.0.0.1', port: 53 }], timeoutMs: -1 },
    { upstreams: [{ host: '127.0.0.1', port: 53 }], localAddress: 'localhost' },
  ];
  for (const options of bad) assert.throws(() => new Forwarder(options), (e: unknown) => e instanceof RingfenceError, JSON.stringify(options));
});
