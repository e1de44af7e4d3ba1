// The PAC file, run as browsers run it (pac-runtime.ts): a table of destinations → PROXY or DIRECT,
// properties over random bypass lists, and clear errors for bad entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import fc from 'fast-check';
import { DEFAULT_BYPASS, PAC_CONTENT_TYPE, proxyAutoConfig } from '../../../src/proxy/pages/pac.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { hostOf, loadPac } from './pac-runtime.ts';

const PROXY = 'PROXY 10.0.0.5:3128';
const DNS = { 'intranet.school.test': '10.20.30.40', 'www.example.com': '93.184.216.34', 'printer.school.test': '192.168.4.20' };

const pac = proxyAutoConfig({
  proxy: '10.0.0.5:3128',
  bypass: { domains: ['school.internal', '*.vle.example'], networks: ['203.0.113.0/24', '2001:db8:1::/48'] },
});

test('destinations → PROXY or DIRECT', () => {
  const table: [string, 'DIRECT' | 'PROXY'][] = [
    ['http://intranet/', 'DIRECT'], // plain host name
    ['http://localhost:8080/', 'DIRECT'],
    ['http://printer.local/', 'DIRECT'],
    ['https://nas.LOCAL./', 'DIRECT'],
    ['http://x.local.example.com/', 'PROXY'],
    ['http://127.0.0.1/', 'DIRECT'],
    ['http://10.1.2.3/', 'DIRECT'],
    ['http://172.16.0.1/', 'DIRECT'],
    ['http://172.31.255.255/', 'DIRECT'],
    ['http://172.32.0.1/', 'PROXY'],
    ['http://192.168.1.1/', 'DIRECT'],
    ['http://169.254.169.254/', 'DIRECT'],
    ['http://8.8.8.8/', 'PROXY'],
    ['http://203.0.113.9/', 'DIRECT'], // the school's network
    ['http://203.0.114.9/', 'PROXY'],
    ['http://[::1]/', 'DIRECT'],
    ['http://[fd12:3456::1]/', 'DIRECT'],
    ['http://[fc00::1]/', 'DIRECT'],
    ['http://[fe80::1]/', 'DIRECT'],
    ['http://[febf::1]/', 'DIRECT'],
    ['http://[fec0::1]/', 'PROXY'],
    ['http://[2001:db8::1]/', 'PROXY'], // public IPv6: no dots, yet not a plain name
    ['http://[2001:db8:1:2::3]/', 'DIRECT'],
    ['http://[::ffff:10.0.0.1]/', 'DIRECT'],
    ['http://[::ffff:8.8.8.8]/', 'PROXY'],
    ['http://[::]/', 'PROXY'],
    ['https://www.example.com/', 'PROXY'],
    ['https://WWW.EXAMPLE.COM./', 'PROXY'],
    ['http://intranet.school.test/', 'DIRECT'], // resolves to 10.20.30.40
    ['http://printer.school.test/', 'DIRECT'],
    ['http://unresolvable.example/', 'PROXY'],
    ['http://school.internal/', 'DIRECT'],
    ['http://vle.school.internal/', 'DIRECT'],
    ['http://notschool.internal/', 'PROXY'], // a suffix, but not at a label boundary
    ['http://courses.vle.example/', 'DIRECT'],
    ['http://vle.example/', 'DIRECT'],
  ];
  const run = loadPac(pac, DNS);
  for (const [url, expected] of table) {
    assert.equal(run.find(url, hostOf(url)), expected === 'DIRECT' ? 'DIRECT' : PROXY, url);
  }
});

test('hosts as some clients pass them: brackets, upper case, numbers, empty', () => {
  const run = loadPac(pac, DNS);
  assert.equal(run.find('http://[fd00::1]/', '[fd00::1]'), 'DIRECT');
  assert.equal(run.find('http://[2001:db8::1]/', '[2001:db8::1]'), PROXY);
  assert.equal(run.find('http://Printer.Local/', 'Printer.Local'), 'DIRECT');
  assert.equal(run.find('http://2130706433/', '2130706433'), PROXY);
  assert.equal(run.find('http://0x7f000001/', '0x7f000001'), PROXY);
  assert.equal(run.find('http:///', ''), PROXY);
  assert.equal(run.find('http://[fe80::1%25eth0]/', 'fe80::1%eth0'), 'DIRECT');
  assert.equal(run.find('x', 'not:an:ipv6::address::'), PROXY);
});

test('names are resolved only when the host is not settled without DNS, or not at all with resolveNames off', () => {
  const run = loadPac(pac, DNS);
  for (const h of ['intranet', '10.1.2.3', '[::1]', 'vle.school.internal', 'printer.local']) run.find(`http://${h}/`, hostOf(`http://${h}/`));
  assert.deepEqual(run.resolved, []);
  run.find('http://www.example.com/', 'www.example.com');
  assert.deepEqual(run.resolved, ['www.example.com']);

  const literal = loadPac(proxyAutoConfig({ proxy: '10.0.0.5:3128', resolveNames: false }), DNS);
  assert.equal(literal.find('http://intranet.school.test/', 'intranet.school.test'), PROXY);
  assert.equal(literal.find('http://10.20.30.40/', '10.20.30.40'), 'DIRECT');
  assert.deepEqual(literal.resolved, []);
});

test('without the defaults only the school list is bypassed', () => {
  const run = loadPac(proxyAutoConfig({ proxy: 'proxy.school.test:8080', defaults: false, bypass: { domains: ['school.test'] } }), DNS);
  assert.equal(run.find('http://intranet/', 'intranet'), 'PROXY proxy.school.test:8080');
  assert.equal(run.find('http://10.1.2.3/', '10.1.2.3'), 'PROXY proxy.school.test:8080');
  assert.equal(run.find('http://intranet.school.test/', 'intranet.school.test'), 'DIRECT');
});

test('the proxy is written as browsers expect it; never a DIRECT fallback', () => {
  assert.match(proxyAutoConfig({ proxy: '[FD00::5]:3128' }), /"PROXY \[fd00::5\]:3128"/);
  assert.match(proxyAutoConfig({ proxy: 'Proxy.School.Test:3128' }), /"PROXY proxy\.school\.test:3128"/);
  assert.doesNotMatch(pac, /PROXY [^"]*;\s*DIRECT/);
  assert.equal(PAC_CONTENT_TYPE, 'application/x-ns-proxy-autoconfig');
});

test('ES3 only, for every PAC engine: no let, const, arrow functions or Array indexOf', () => {
  assert.doesNotMatch(pac, /\b(let|const|class)\s|=>|`|\.includes\(|\.startsWith\(|\.endsWith\(/);
  // Array indexOf is ES5: only strings call indexOf here.
  for (const m of pac.matchAll(/(\w+)\.indexOf\(/g)) assert.ok(['s', 'host'].includes(m[1]!), m[0]);
});

test('bad entries give a clear RingfenceError naming them', () => {
  const cases: [Parameters<typeof proxyAutoConfig>[0], string, string, RegExp][] = [
    [{ proxy: 'proxy.school.test' }, ErrorCodes.HOST_INVALID, 'proxy.school.test', /has no port/],
    [{ proxy: 'proxy.school.test:0' }, ErrorCodes.HOST_INVALID, 'proxy.school.test:0', /has no port/],
    [{ proxy: 'proxy:99999' }, ErrorCodes.HOST_INVALID, 'proxy:99999', /out of range/],
    [{ proxy: 'pro xy:3128' }, ErrorCodes.HOST_INVALID, 'pro xy:3128', /PAC proxy "pro xy:3128"/],
    [{ proxy: 'p:1', bypass: { domains: ['not a domain'] } }, ErrorCodes.HOST_INVALID, 'not a domain', /PAC bypass domain "not a domain" is not a domain name/],
    [{ proxy: 'p:1', bypass: { domains: [''] } }, ErrorCodes.HOST_INVALID, '', /PAC bypass domain ""/],
    [{ proxy: 'p:1', bypass: { domains: ['10.0.0.1'] } }, ErrorCodes.HOST_INVALID, '10.0.0.1', /is an IP address: list it in the bypass networks \(as 10\.0\.0\.1\/32\)/],
    [{ proxy: 'p:1', bypass: { networks: ['10.0.0.0/33'] } }, ErrorCodes.CIDR_INVALID, '10.0.0.0/33', /PAC bypass network: CIDR "10.0.0.0\/33" has prefix 33/],
    [{ proxy: 'p:1', bypass: { networks: ['school.test'] } }, ErrorCodes.CIDR_INVALID, 'school.test', /invalid address/],
  ];
  for (const [options, code, input, message] of cases) {
    assert.throws(() => proxyAutoConfig(options), (e: unknown) => {
      assert.ok(e instanceof RingfenceError, String(e));
      assert.equal(e.code, code);
      assert.equal(e.input, input);
      assert.match(e.message, message);
      return true;
    }, JSON.stringify(options));
  }
});

const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'));
const v4Network = fc.tuple(v4, fc.integer({ min: 8, max: 32 })).map(([a, p]) => `${a}/${p}`);
const v6Network = fc.tuple(fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }), fc.integer({ min: 16, max: 128 })).map(([w, p]) => `${w.map((x) => x.toString(16)).join(':')}/${p}`);
const bypassLists = fc.record({
  domains: fc.array(fc.domain(), { maxLength: 6 }),
  networks: fc.array(fc.oneof(v4Network, v6Network), { maxLength: 6 }),
});

test('any generated PAC is valid JavaScript, answers only PROXY or DIRECT, and bypasses exactly its list', () => {
  fc.assert(
    fc.property(bypassLists, fc.boolean(), fc.domain(), (bypass, defaults, other) => {
      const text = proxyAutoConfig({ proxy: 'proxy.school.test:3128', bypass, defaults });
      assert.doesNotThrow(() => new vm.Script(text));
      const run = loadPac(text);
      for (const d of bypass.domains) {
        assert.equal(run.find(`http://${d}/`, d.toLowerCase()), 'DIRECT', d);
        assert.equal(run.find(`http://www.${d}/`, `www.${d}`.toLowerCase()), 'DIRECT', d);
      }
      for (const n of bypass.networks) {
        const address = n.slice(0, n.indexOf('/'));
        const host = hostOf(`http://${address.includes(':') ? `[${address}]` : address}/`);
        assert.equal(run.find(`http://${address}/`, host), 'DIRECT', n);
      }
      const listed = bypass.domains.some((d) => other === d || other.endsWith(`.${d}`));
      if (!listed && other.includes('.')) assert.equal(run.find(`http://${other}/`, other), 'PROXY proxy.school.test:3128', other);
    }),
    { numRuns: 300 },
  );
});

test('the defaults are the local ranges', () => {
  assert.deepEqual([...DEFAULT_BYPASS.networks], ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10']);
});
