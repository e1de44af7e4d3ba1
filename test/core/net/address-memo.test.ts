import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressMemo } from '../../../src/core/net/address-memo.ts';
import { parseAddress } from '../../../src/core/net/ip.ts';

test('addresses parse as parseAddress does; text that is not an address is null; the memo stays bounded', () => {
  const memo = new AddressMemo(2);
  assert.deepEqual(memo.of('192.0.2.7'), parseAddress('192.0.2.7'));
  assert.deepEqual(memo.of('2001:db8::1'), parseAddress('2001:db8::1'));
  assert.equal(memo.of('not an address'), null);
  assert.equal(memo.of('not an address'), null);
  assert.deepEqual(memo.of('192.0.2.7'), parseAddress('192.0.2.7'), 'still right after the memo was cleared');
});
