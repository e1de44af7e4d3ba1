import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { Forwarder, type ForwarderOptions } from '../../../src/dns/upstream/forwarder.ts';
import { UpstreamError } from '../../../src/dns/upstream/errors.ts';
import { Rcode, RRType } from '../../../src/dns/wire/types.ts';
import { fixtureAddress, startDnsFixture, type DnsFixture, type FixtureBehaviour } from '../../support/dns-fixture.ts';

const IN = 1;
const FAST = { timeoutMs: 200, deadlineMs: 1000 };

/** Two fixtures (the first misbehaving) and a forwarder over both, closed afterwards. */
async function pair(
  first: FixtureBehaviour,
  fn: (f: Forwarder, bad: DnsFixture, good: DnsFixture) => Promise<void>,
  options: Partial<ForwarderOptions> = FAST,
  now?: () => number,
): Promise<void> {
  const bad = await startDnsFixture({ behaviour: first, delayMs: 500 });
  const good = await startDnsFixture();
  const upstreams = [bad, good].map((x) => ({ host: x.address, port: x.port }));
  const f = new Forwarder({ upstreams, localAddress: '127.0.0.1', ...options }, now);
  try {
    await fn(f, bad, good);
  } finally {
    await f.close();
    await bad.close();
    await good.close();
  }
}

const addressOf = (bytes: Uint8Array) => (dnsPacket.decode(Buffer.from(bytes)).answers?.[0] as { data?: unknown } | undefined)?.data;
const isUpstreamError = (reason: string) => (e: unknown) => e instanceof UpstreamError && e.reason === reason;

describe('failover', () => {
  test('a silent upstream times out and the next one answers; later queries start with the healthy one', () =>
    pair('drop', async (f, bad, good) => {
      const t0 = performance.now();
      assert.equal(addressOf(await f.resolve('a.fail.test', RRType.A, IN, false)), fixtureAddress('a.fail.test'));
      assert.ok(performance.now() - t0 >= 150, 'waited for the timeout');
      assert.deepEqual([bad.queries.length, good.queries.length], [1, 1]);
      assert.equal(f.stats().timeouts, 1);
      assert.equal(f.stats().failovers, 1);
      await f.resolve('b.fail.test', RRType.A, IN, false);
      assert.equal(bad.queries.length, 1, 'the timed-out upstream went last');
      assert.equal(f.stats().timeouts, 1);
    }));

  test('SERVFAIL and REFUSED fail over at once; if every upstream says so, the error carries the last response', async () => {
    for (const behaviour of ['servfail', 'refused'] as const) {
      await pair(behaviour, async (f, bad, good) => {
        const t0 = performance.now();
        assert.equal(addressOf(await f.resolve('c.fail.test', RRType.A, IN, false)), fixtureAddress('c.fail.test'));
        assert.ok(performance.now() - t0 < 150, 'no timeout involved');
        assert.deepEqual([bad.queries.length, good.queries.length], [1, 1]);
        good.setBehaviour(behaviour);
        await assert.rejects(f.resolve('d.fail.test', RRType.A, IN, false), (e: unknown) => {
          assert.ok(e instanceof UpstreamError);
          assert.equal(e.reason, behaviour);
          assert.equal(e.tried.length, 3);
          assert.equal(e.lastResponse![3]! & 0x0f, behaviour === 'servfail' ? Rcode.SERVFAIL : Rcode.REFUSED);
          return true;
        });
      });
    }
  });

  test('a reply with a wrong id is ignored: the wait goes on, then fails over', () =>
    pair('wrong-id', async (f, bad, good) => {
      assert.equal(addressOf(await f.resolve('e.fail.test', RRType.A, IN, false)), fixtureAddress('e.fail.test'));
      assert.deepEqual([bad.queries.length, good.queries.length], [1, 1]);
      assert.equal(f.stats().stray, 1);
      assert.equal(f.stats().timeouts, 1);
    }));

  test('a reply for another question is ignored', () =>
    pair('wrong-question', async (f, _bad, good) => {
      assert.equal(addressOf(await f.resolve('f.fail.test', RRType.A, IN, false)), fixtureAddress('f.fail.test'));
      assert.equal(good.queries.length, 1);
      assert.equal(f.stats().mismatched, 1);
      assert.equal(f.stats().timeouts, 1);
    }));

  test('a reply from another source port is never accepted', () =>
    pair('spoof-port', async (f, bad, good) => {
      assert.equal(addressOf(await f.resolve('g.fail.test', RRType.A, IN, false)), fixtureAddress('g.fail.test'));
      assert.deepEqual([bad.queries.length, good.queries.length], [1, 1]);
      assert.equal(f.stats().timeouts, 1);
      assert.equal(f.stats().received, 1);
    }));

  test('a late answer after failover is dropped as stray', () =>
    pair('slow', async (f, _bad, good) => {
      await f.resolve('h.fail.test', RRType.A, IN, false);
      assert.equal(good.queries.length, 1);
      await new Promise((r) => setTimeout(r, 450)); // the slow upstream answers at 500 ms
      assert.equal(f.stats().stray, 1);
      assert.equal(f.stats().received, 1);
    }));
});

describe('health', () => {
  test('after its back-off a timed-out upstream is probed by one query, then used again', async () => {
    let skew = 0;
    const now = () => Date.now() + skew;
    await pair('drop', async (f, bad, good) => {
      await f.resolve('p0.health.test', RRType.A, IN, false);
      assert.equal(bad.queries.length, 1);
      skew += 1500; // past the first back-off (1 s)
      const names = ['p1', 'p2', 'p3'].map((p) => `${p}.health.test`);
      await Promise.all(names.map((n) => f.resolve(n, RRType.A, IN, false)));
      assert.equal(bad.queries.length, 2, 'one probe');
      assert.equal(good.queries.length, 4);
      bad.setBehaviour('normal');
      skew += 5000; // past the second back-off (2 s)
      await f.resolve('p4.health.test', RRType.A, IN, false);
      await f.resolve('p5.health.test', RRType.A, IN, false);
      assert.deepEqual(bad.queries.slice(2).map((q) => q.name), ['p4.health.test', 'p5.health.test'], 'healthy again');
    }, FAST, now);
  });
});

describe('every upstream down', () => {
  test('silent upstreams: rejects with a timeout within the 2 s budget (defaults)', () =>
    pair('drop', async (f, _bad, good) => {
      good.setBehaviour('drop');
      const t0 = performance.now();
      await assert.rejects(f.resolve('i.down.test', RRType.A, IN, false), (e: unknown) => {
        assert.ok(e instanceof UpstreamError);
        assert.equal(e.reason, 'timeout');
        assert.deepEqual(e.tried.map((t) => t.reason), ['timeout', 'timeout', 'timeout']);
        assert.notEqual(e.tried[0]!.upstream, e.tried[1]!.upstream);
        return true;
      });
      const elapsed = performance.now() - t0;
      assert.ok(elapsed >= 1500, `ended by the 1800 ms deadline, not early (${elapsed} ms)`);
      assert.ok(elapsed < 2000, `within 2 s (${elapsed} ms)`);
    }, {}));

  test('closed ports: rejects as unreachable without waiting for timeouts', async () => {
    const gone = await Promise.all([startDnsFixture(), startDnsFixture()]);
    const upstreams = gone.map((x) => ({ host: x.address, port: x.port }));
    await Promise.all(gone.map((x) => x.close()));
    const f = new Forwarder({ upstreams, localAddress: '127.0.0.1' });
    try {
      const t0 = performance.now();
      await assert.rejects(f.resolve('j.down.test', RRType.A, IN, false), isUpstreamError('unreachable'));
      assert.ok(performance.now() - t0 < 600, 'ICMP port unreachable ends each try early');
      assert.equal(f.stats().timeouts, 0);
    } finally {
      await f.close();
    }
  });

  test('close() rejects pending queries', () =>
    pair('drop', async (f) => {
      const pending = f.resolve('k.down.test', RRType.A, IN, false);
      const shared = f.resolve('k.down.test', RRType.A, IN, false);
      await f.close();
      await assert.rejects(pending, isUpstreamError('closed'));
      await assert.rejects(shared, isUpstreamError('closed'));
      await assert.rejects(f.resolve('l.down.test', RRType.A, IN, false), isUpstreamError('closed'));
    }));
});
