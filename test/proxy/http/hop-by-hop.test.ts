// forwardHeaders: hop-by-hop headers never survive; end-to-end headers keep their order and case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HOP_BY_HOP, forwardHeaders, isHopByHop } from '../../../src/proxy/http/hop-by-hop.ts';

test('the fixed hop-by-hop headers and those named in Connection are removed', () => {
  const raw = [
    'Host', 'a.test',
    'Connection', 'keep-alive, X-Session-Hint',
    'Keep-Alive', 'timeout=5',
    'Proxy-Authorization', 'Basic dGVhY2hlcjpzZWNyZXQ=',
    'Proxy-Connection', 'keep-alive',
    'TE', 'trailers',
    'Trailer', 'X-Checksum',
    'Transfer-Encoding', 'chunked',
    'Upgrade', 'websocket',
    'x-session-hint', 'abc',
    'Accept', 'text/html',
    'connection', 'Cookie2',
    'Cookie2', 'x',
    'User-Agent', 'Browser/1.0',
  ];
  assert.deepEqual(forwardHeaders(raw), ['Host', 'a.test', 'Accept', 'text/html', 'User-Agent', 'Browser/1.0']);
  assert.equal(isHopByHop('Proxy-Authenticate'), true);
  assert.equal(isHopByHop('Accept'), false);
});

test('Connection cannot remove Content-Length or Host (that would change the framing or the site)', () => {
  const raw = ['Host', 'a.test', 'Connection', 'Content-Length, host, , X-A', 'Content-Length', '3', 'X-A', '1'];
  assert.deepEqual(forwardHeaders(raw), ['Host', 'a.test', 'Content-Length', '3']);
});

test('the input is not changed; a lone trailing name is dropped', () => {
  const raw = ['Accept', '*/*', 'Connection', 'close', 'Dangling'];
  const copy = [...raw];
  assert.deepEqual(forwardHeaders(raw), ['Accept', '*/*']);
  assert.deepEqual(raw, copy);
  assert.deepEqual(forwardHeaders([]), []);
});

const hopNames = fc.constantFrom(...HOP_BY_HOP).chain((n) => fc.mixedCase(fc.constant(n)));
const anyName = fc.oneof(hopNames, fc.constantFrom('Host', 'Accept', 'Cookie', 'X-A', 'x-a', 'Content-Length'), fc.string({ maxLength: 10 }));
const anyValue = fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.oneof(anyName, fc.constant(' ')), { maxLength: 4 }).map((ns) => ns.join(',')));

test('fuzz: never throws, no hop-by-hop header survives, the rest keep order, case and values', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(anyName, anyValue), { maxLength: 12 }), (pairs) => {
      const raw = pairs.flat();
      const out = forwardHeaders(raw);
      const named = new Set(
        pairs.filter(([n]) => n.toLowerCase() === 'connection').flatMap(([, v]) => v.split(',').map((t) => t.trim().toLowerCase())),
      );
      named.delete('content-length');
      named.delete('host');
      named.delete('');
      const expected = pairs.filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase()) && !named.has(n.toLowerCase())).flat();
      assert.deepEqual(out, expected);
      for (let i = 0; i < out.length; i += 2) assert.ok(!isHopByHop(out[i]!), out[i]);
    }),
    { numRuns: 3000 },
  );
});
