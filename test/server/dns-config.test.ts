import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDnsConfig } from '../../src/server/dns-config.ts';
import { RateLimiter } from '../../src/dns/rate-limit.ts';

test('DNS options: defaults, and every bad value named', () => {
  const c = parseDnsConfig({ upstream: '192.0.2.53:53,[2001:db8::53]:53', data: '/tmp/x' });
  assert.deepEqual(c.listen, { host: '0.0.0.0', port: 53 });
  assert.deepEqual(c.upstreams, [{ host: '192.0.2.53', port: 53 }, { host: '2001:db8::53', port: 53 }]);
  assert.deepEqual(c.blockAnswer, { mode: 'null' });
  assert.deepEqual(c.rateLimit, { perSecond: 1000, burst: 2000 });
  assert.ok(Object.isFrozen(c));
  assert.deepEqual(parseDnsConfig({ upstream: '127.0.0.1:53', data: 'd', 'block-answer': 'address:192.0.2.80,2001:db8::80' }).blockAnswer, { mode: 'address', ipv4: ['192.0.2.80'], ipv6: ['2001:db8::80'] });
  const bad: [object, RegExp][] = [
    [{}, /--upstream: give the resolvers/],
    [{ upstream: 'dns.example:53' }, /--upstream: "dns.example" is not an IP address/],
    [{ upstream: '127.0.0.1' }, /is not ADDRESS:PORT/],
    [{ upstream: '127.0.0.1:70000' }, /port 70000 is out of range/],
    [{ upstream: '127.0.0.1:53', 'block-answer': 'refuse' }, /--block-answer: expected nxdomain, null or address/],
    [{ upstream: '127.0.0.1:53', 'cache-mb': '-1' }, /--cache-mb: expected a whole number/],
    [{ upstream: '127.0.0.1:53', 'doh-listen': '127.0.0.1:443' }, /needs --tls-cert FILE and --tls-key FILE/],
  ];
  for (const [o, message] of bad) assert.throws(() => parseDnsConfig({ data: 'd', ...o }), (e: { code: string; message: string }) => e.code === 'RF_ARGUMENT_INVALID' && message.test(e.message), String(message));
});

test('rate limit: per address, a burst then the sustained rate; 0 turns it off', () => {
  const limiter = new RateLimiter({ perSecond: 10, burst: 5 });
  const allowed = (address: string, at: number, n: number) => Array.from({ length: n }, () => limiter.allow(address, at)).filter(Boolean).length;
  assert.equal(allowed('10.0.0.1', 0, 20), 5, 'the burst');
  assert.equal(allowed('10.0.0.2', 0, 20), 5, 'another address has its own bucket');
  assert.equal(allowed('10.0.0.1', 500, 20), 5, 'half a second refills 5 at 10/s');
  assert.equal(limiter.dropped, 45);
  const off = new RateLimiter({ perSecond: 0, burst: 0 });
  assert.equal(Array.from({ length: 1000 }, () => off.allow('a', 0)).every(Boolean), true);
  const bounded = new RateLimiter({ perSecond: 1, burst: 1, maxAddresses: 100 });
  for (let i = 0; i < 1000; i++) bounded.allow(`10.1.${i >> 8}.${i & 255}`, 0);
  assert.ok((bounded as unknown as { buckets: Map<string, unknown> }).buckets.size <= 100, 'memory stays bounded');
});
