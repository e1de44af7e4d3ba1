// The proxy's options: defaults, and a clear error naming the option for each bad value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAddress } from '../../src/core/net/ip.ts';
import { parseProxyConfig } from '../../src/server/proxy-config.ts';
import { ringfence } from '../support/cli.ts';

const base = { data: '/tmp/rf', 'upstream-dns': '127.0.0.1:53' };

test('defaults: listen on 3128, ports 80 and 443, sign-in optional, 16 KiB heads', () => {
  const c = parseProxyConfig(base);
  assert.deepEqual(c.listen, { host: '0.0.0.0', port: 3128 });
  assert.deepEqual([...c.proxy.allowPorts], [80, 443]);
  assert.equal(c.proxy.authDefault, 'optional');
  assert.equal(c.proxy.maxHeaderBytes, 16 * 1024);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.proxy));
});

test('sign-in per network, first match wins', () => {
  const c = parseProxyConfig({ ...base, auth: 'off', 'auth-network': ['10.1.0.0/16=required', '10.0.0.0/8=optional'] });
  assert.equal(c.proxy.authDefault, 'off');
  assert.equal(c.proxy.authNetworks[0]!.mode, 'required');
  assert.ok(c.proxy.authNetworks[0]!.where.has(parseAddress('10.1.2.3')));
  assert.ok(!c.proxy.authNetworks[0]!.where.has(parseAddress('10.2.2.3')));
});

test('bad values are refused naming the option', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ data: '/tmp/rf' }, /--upstream-dns: give the DNS resolvers/],
    [{ ...base, auth: 'sometimes' }, /--auth: "sometimes" is not one of off, optional, required/],
    [{ ...base, 'auth-network': ['10.0.0.0/8'] }, /--auth-network: "10\.0\.0\.0\/8" is not CIDR=MODE/],
    [{ ...base, 'auth-network': ['10.0.0.0/99=required'] }, /--auth-network:/],
    [{ ...base, 'allow-ports': '80,http' }, /--allow-ports: expected a whole number from 1 to 65535, not "http"/],
    [{ ...base, 'allow-ports': '70000' }, /--allow-ports/],
    [{ ...base, 'console-url': 'console.school' }, /--console-url: console URL "console\.school" is not an absolute URL/],
    [{ ...base, 'console-url': 'ftp://x/' }, /--console-url: console URL "ftp:\/\/x\/" must start with http:\/\/ or https:\/\//],
    [{ ...base, listen: '3128' }, /--listen: "3128" is not ADDRESS:PORT/],
    [{ ...base, 'max-header-kb': '0' }, /--max-header-kb/],
  ];
  for (const [input, message] of cases) assert.throws(() => parseProxyConfig(input as never), message, JSON.stringify(input));
});

test('`ringfence proxy` with a bad option exits 2 with the message', () => {
  const r = ringfence(['proxy', '--upstream-dns', '127.0.0.1:53', '--auth', 'maybe']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--auth: "maybe" is not one of off, optional, required/);
});
