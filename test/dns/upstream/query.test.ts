import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import dnsPacket from 'dns-packet';
import { answersQuestion, buildQuery, encodeQuestion, IdSource } from '../../../src/dns/upstream/query.ts';

/** dns-packet's encoding of the question section, for comparison. */
function reference(name: string, type: number): Uint8Array {
  const msg = dnsPacket.encode({ type: 'query', id: 0, questions: [{ name, type: `UNKNOWN_${type}` as 'A', class: 'IN' }] });
  return msg.subarray(12);
}

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);

describe('encodeQuestion', () => {
  test('matches dns-packet for ordinary names', () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 65535 }), (labels, type) => {
        const name = labels.join('.');
        assert.deepEqual([...encodeQuestion(name, type, 1)!], [...reference(name, type)]);
      }),
      { numRuns: 500 },
    );
  });

  test('root, trailing dot and escapes', () => {
    assert.deepEqual([...encodeQuestion('', 2, 1)!], [0, 0, 2, 0, 1]);
    assert.deepEqual([...encodeQuestion('.', 2, 1)!], [0, 0, 2, 0, 1]);
    assert.deepEqual(encodeQuestion('example.com.', 1, 1), encodeQuestion('example.com', 1, 1));
    // "a\.b" is one label of three bytes; "\065" is 'A'; "\\" is a backslash.
    assert.deepEqual([...encodeQuestion('a\\.b.c', 1, 1)!.subarray(0, 7)], [3, 0x61, 0x2e, 0x62, 1, 0x63, 0]);
    assert.deepEqual([...encodeQuestion('\\065\\\\', 1, 1)!.subarray(0, 4)], [2, 0x41, 0x5c, 0]);
    assert.deepEqual([...encodeQuestion('x\\000y', 1, 1)!.subarray(0, 5)], [3, 0x78, 0, 0x79, 0]);
  });

  test('rejects names that cannot be on the wire', () => {
    for (const bad of ['a..b', '.a', '..', 'a\\', `${'a'.repeat(64)}.test`, `${'abcdefghi.'.repeat(26)}x`, 'caf\u00e9\u0101.test']) {
      assert.equal(encodeQuestion(bad, 1, 1), null, bad);
    }
    assert.notEqual(encodeQuestion(`${'a'.repeat(63)}.test`, 1, 1), null);
    // 253 characters is the longest presentation name (255 bytes on the wire).
    const longest = `${'abcdefghi.'.repeat(25)}abc`;
    assert.equal(longest.length, 253);
    assert.equal(encodeQuestion(longest, 1, 1)!.length, 255 + 4);
    assert.equal(encodeQuestion(`${longest}d`, 1, 1), null);
  });
});

describe('buildQuery', () => {
  test('RD=1, one question, an OPT record with size 1232 and DO as asked', () => {
    for (const dnssecOk of [false, true]) {
      const q = buildQuery(encodeQuestion('www.example.test', 28, 1)!, dnssecOk);
      const d = dnsPacket.decode(q);
      assert.equal(d.flag_rd, true);
      assert.equal(d.flag_qr, false);
      assert.deepEqual(d.questions, [{ name: 'www.example.test', type: 'AAAA', class: 'IN' }]);
      assert.equal(d.additionals?.length, 1);
      const opt = d.additionals![0] as { type: string; udpPayloadSize: number; flag_do: boolean; ednsVersion: number };
      assert.equal(opt.type, 'OPT');
      assert.equal(opt.udpPayloadSize, 1232);
      assert.equal(opt.ednsVersion, 0);
      assert.equal(opt.flag_do, dnssecOk);
    }
  });
});

describe('answersQuestion', () => {
  const question = encodeQuestion('www.example.test', 1, 1)!;
  const reply = (name: string, type = 'A' as const, qr = true) =>
    dnsPacket.encode({ type: qr ? 'response' : 'query', id: 7, questions: [{ name, type, class: 'IN' }] });

  test('accepts the same question in any letter case', () => {
    assert.equal(answersQuestion(reply('www.example.test'), question), true);
    assert.equal(answersQuestion(reply('WwW.ExAmPlE.TeSt'), question), true);
  });

  test('rejects another name, type, a query, or a runt', () => {
    assert.equal(answersQuestion(reply('www.example.tess'), question), false);
    assert.equal(answersQuestion(reply('ww.example.test'), question), false);
    assert.equal(answersQuestion(dnsPacket.encode({ type: 'response', id: 7, questions: [{ name: 'www.example.test', type: 'AAAA' }] }), question), false);
    assert.equal(answersQuestion(reply('www.example.test', 'A', false), question), false);
    assert.equal(answersQuestion(reply('www.example.test').subarray(0, 20), question), false);
  });

  test('folds letters only: "@" is not "`", type 65 is not type 97', () => {
    const at = encodeQuestion('a@b', 1, 1)!;
    assert.equal(answersQuestion(reply('a`b'), at), false);
    const https = encodeQuestion('x.test', 65, 1)!;
    const t97 = Buffer.from(reply('x.test'));
    t97.set(encodeQuestion('x.test', 97, 1)!, 12);
    assert.equal(answersQuestion(t97, https), false);
  });
});

test('IdSource gives varied 16-bit ids', () => {
  const ids = new IdSource();
  const seen = new Set<number>();
  for (let i = 0; i < 5000; i++) {
    const id = ids.take();
    assert.ok(Number.isInteger(id) && id >= 0 && id <= 0xffff);
    seen.add(id);
  }
  assert.ok(seen.size > 4000, `${seen.size} distinct ids of 5000`);
});
