import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientMap } from '../../../src/core/directory/client-map.ts';
import { parseDeviceTokens } from '../../../src/core/directory/device-tokens.ts';

const groups = new Set(['pupils-ks2', 'staff', 'guests']);

test('clients: first match wins; IPv4-mapped addresses match IPv4 lines; unknown clients are anonymous', () => {
  const map = ClientMap.parse('address,group,user\n10.0.5.7,staff,teacher.a\n10.0.5.0/24,pupils-ks2\n# guests\n10.9.0.1-10.9.0.99,guests\n2001:db8::/48,pupils-ks2\n', groups);
  assert.deepEqual(map.identify('10.0.5.7'), { user: 'teacher.a', groups: ['staff'], source: 'clients:2' });
  assert.deepEqual(map.identify('10.0.5.8').groups, ['pupils-ks2']);
  assert.deepEqual(map.identify('::ffff:10.0.5.7').user, 'teacher.a');
  assert.deepEqual(map.identify('10.9.0.50').groups, ['guests']);
  assert.deepEqual(map.identify('2001:db8:0:1::9').groups, ['pupils-ks2']);
  assert.deepEqual(map.identify('192.0.2.1'), { user: null, groups: [], source: 'unknown' });
  assert.equal(map.identify('not an address').source, 'unknown');
});

test('clients: every bad line is named at once', () => {
  assert.throws(
    () => ClientMap.parse('10.0.0.0/33,staff\n10.0.0.1,year-9\n10.0.0.2\n10.0.0.3,staff,a,b\n', groups, 'clients.csv'),
    (e: { code: string; message: string }) =>
      e.code === 'RF_CSV_ROW_INVALID' &&
      /clients\.csv:1: CIDR "10\.0\.0\.0\/33"/.test(e.message) &&
      /clients\.csv:2: unknown group "year-9"/.test(e.message) &&
      /clients\.csv:3: expected/.test(e.message) &&
      /clients\.csv:4: expected/.test(e.message),
  );
});

test('device tokens: long secrets, known groups, no duplicates', () => {
  const tokens = parseDeviceTokens('token,group,user,device\nabcdefghijklmnop1234,staff,teacher.a,laptop-1\n', groups);
  assert.deepEqual(tokens.get('abcdefghijklmnop1234'), { user: 'teacher.a', groups: ['staff'], device: 'laptop-1', source: 'token:2' });
  assert.throws(() => parseDeviceTokens('short,staff\n', groups), /16–128 letters/);
  assert.throws(() => parseDeviceTokens('abcdefghijklmnop1234,year-9\n', groups), /unknown group "year-9"/);
  assert.throws(() => parseDeviceTokens('abcdefghijklmnop1234,staff\nabcdefghijklmnop1234,staff\n', groups), /same token/);
});
