import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyName, encodeName, nameEnd, readName, skipName } from '../../../src/dns/wire/names.ts';
import { hex } from './helpers.ts';

const enc = (s: string) => {
  const b = encodeName(s);
  return b === null ? null : hex(b);
};

test('encodeName: presentation text to wire form, case kept, escapes decoded', () => {
  assert.equal(enc('Example.COM'), '074578616d706c6503434f4d00');
  assert.equal(enc('example.com.'), enc('example.com'));
  assert.equal(enc(''), '00');
  assert.equal(enc('.'), '00');
  assert.equal(enc('a\\.b.c'), '03612e620163' + '00');
  assert.equal(enc('a\\046b.c'), enc('a\\.b.c'));
  assert.equal(enc('\\000\\255\\\\'), '0300ff5c00');
  assert.equal(enc('a\\.'), '02612e00', 'an escaped final dot is part of the label');
});

test('encodeName rejects empty labels, long labels and names, bad escapes and wide characters', () => {
  for (const bad of ['..', '.a', 'a..b', 'a'.repeat(64), `${'a'.repeat(63)}.`.repeat(4) + 'a', 'a\\', 'a\\25', 'a\\256', 'a\\2x5', 'ü'.repeat(1) + '\u0100', 'é\u2603']) {
    assert.equal(encodeName(bad), null, JSON.stringify(bad));
  }
  assert.notEqual(encodeName(`${'a'.repeat(63)}.`.repeat(3) + 'a'.repeat(61)), null, '255 wire bytes');
  assert.equal(encodeName(`${'a'.repeat(63)}.`.repeat(3) + 'a'.repeat(62)), null, '256 wire bytes');
});

test('readName, skipName and copyName follow backward pointers and refuse the rest', () => {
  // 12: "example.com"; 25: "www" + pointer to 12; 31: pointer to 25; 33: pointer to 35 (forward).
  const msg = Uint8Array.from([
    ...new Array<number>(12).fill(0),
    7, ...Buffer.from('EXAMPLE'), 3, ...Buffer.from('com'), 0,
    3, ...Buffer.from('www'), 0xc0, 12,
    0xc0, 25,
    0xc0, 35, 0, 0,
  ]);
  assert.equal(readName(msg, 31, true), 'www.example.com');
  assert.equal(nameEnd, 33);
  assert.equal(readName(msg, 25, false), null, 'no pointers allowed');
  assert.equal(skipName(msg, 31), 33);
  assert.equal(readName(msg, 33, true), null, 'forward pointer');
  assert.equal(skipName(msg, 33), -1);
  const out = new Uint8Array(40);
  const end = copyName(msg, 31, out, 3);
  assert.equal(hex(out.subarray(3, end)), '03777777076578616d706c6503636f6d00'.replace('076578616d706c65', '074558414d504c45'));
  assert.equal(copyName(msg, 31, new Uint8Array(10), 0), -1, 'does not fit');
});
