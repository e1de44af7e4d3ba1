import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseListLine, type LineFormat, type ParsedLine } from '../../../src/core/lists/parse-line.ts';
import { canonicalHost } from '../../../src/core/host/canonical.ts';

const FORMATS: LineFormat[] = ['hosts', 'domains', 'adblock', 'ut1-domains', 'ut1-urls'];
const domain = (host: string): ParsedLine => ({ kind: 'entry', entry: { kind: 'domain', host } });
const url = (host: string, path: string): ParsedLine => ({ kind: 'entry', entry: { kind: 'url', host, path } });
const ip = (family: 4 | 6, address: string, prefix: number): ParsedLine => ({ kind: 'entry', entry: { kind: 'ip', family, address, prefix } });
const SKIP: ParsedLine = { kind: 'skip' };

function assertBad(line: string, format: LineFormat, reason: RegExp): void {
  const parsed = parseListLine(line, format);
  assert.equal(parsed.kind, 'bad', `${format} ${JSON.stringify(line)} → ${JSON.stringify(parsed)}`);
  if (parsed.kind === 'bad') assert.match(parsed.reason, reason);
}

test('blank lines and comments are skipped in every format', () => {
  for (const format of FORMATS) {
    for (const line of ['', '   ', '\r', '\t\r', '\uFEFF']) assert.deepEqual(parseListLine(line, format), SKIP, `${format} ${JSON.stringify(line)}`);
  }
  for (const format of ['hosts', 'domains', 'ut1-domains', 'ut1-urls'] as const) {
    assert.deepEqual(parseListLine('# a comment', format), SKIP);
    assert.deepEqual(parseListLine('#0.0.0.0 example.com', format), SKIP);
  }
  assert.deepEqual(parseListLine('! Title: list', 'adblock'), SKIP);
  assert.deepEqual(parseListLine('[Adblock Plus 2.0]', 'adblock'), SKIP);
  assert.deepEqual(parseListLine('# comment', 'adblock'), SKIP);
});

test('hosts lines', () => {
  assert.deepEqual(parseListLine('0.0.0.0 Example.COM', 'hosts'), domain('example.com'));
  assert.deepEqual(parseListLine('127.0.0.1\texample.com\r', 'hosts'), domain('example.com'));
  assert.deepEqual(parseListLine(':: example.com', 'hosts'), domain('example.com'));
  assert.deepEqual(parseListLine('::1 example.com.', 'hosts'), domain('example.com'));
  assert.deepEqual(parseListLine('0.0.0.0 00fun.com #[Tracking.Cookie]', 'hosts'), domain('00fun.com'));
  assert.deepEqual(parseListLine('0.0.0.0 ___id___.c.mystat-in.net #[Wildcard DNS]', 'hosts'), domain('___id___.c.mystat-in.net'));
  assert.deepEqual(parseListLine('0.0.0.0 0.0.0.0.beeglivesex.com', 'hosts'), domain('0.0.0.0.beeglivesex.com'));
  // Several names: the first is `entry`, the others `more`.
  assert.deepEqual(parseListLine('0.0.0.0 a.example b.example localhost c.example', 'hosts'), {
    kind: 'entry',
    entry: { kind: 'domain', host: 'a.example' },
    more: [{ kind: 'domain', host: 'b.example' }, { kind: 'domain', host: 'c.example' }],
  });
  for (const line of ['127.0.0.1 localhost', '::1 ip6-localhost ip6-loopback', '0.0.0.0 0.0.0.0', '127.0.0.1 localhost.localdomain', '0.0.0.0 1.2.3.4', '255.255.255.255 broadcasthost', 'fe80::1%lo0 localhost']) {
    assert.deepEqual(parseListLine(line, 'hosts'), SKIP, line);
  }
  assertBad('216.239.38.120 www.google.com', 'hosts', /not a blocking address/);
  assertBad('example.com', 'hosts', /single word/);
  assertBad('0.0.0.0 bad!name.com', 'hosts', /"!"/);
  assertBad('0.0.0.0 a..b', 'hosts', /empty label/);
});

test('plain domains lines: names, addresses, CIDRs and host/path', () => {
  assert.deepEqual(parseListLine('Example.com', 'domains'), domain('example.com'));
  assert.deepEqual(parseListLine('.afshin.ir', 'domains'), domain('afshin.ir'));
  assert.deepEqual(parseListLine('bücher.de', 'domains'), domain('xn--bcher-kva.de'));
  assert.deepEqual(parseListLine('example.com # note', 'domains'), domain('example.com'));
  assert.deepEqual(parseListLine('192.0.2.7', 'domains'), ip(4, '192.0.2.7', 32));
  assert.deepEqual(parseListLine('2001:DB8::1', 'domains'), ip(6, '2001:db8::1', 128));
  assert.deepEqual(parseListLine('10.1.2.3/8', 'domains'), ip(4, '10.0.0.0', 8));
  assert.deepEqual(parseListLine('2001:db8::/32', 'domains'), ip(6, '2001:db8::', 32));
  assert.deepEqual(parseListLine('example.com/Some/Page.html', 'domains'), url('example.com', '/Some/Page.html'));
  assert.deepEqual(parseListLine('www.example.com/dir/', 'domains'), url('www.example.com', '/dir'));
  assert.deepEqual(parseListLine('http://example.com/a?b=c', 'domains'), url('example.com', '/a?b=c'));
  assert.deepEqual(parseListLine('example.com/', 'domains'), url('example.com', '/'));
  assertBad('0.0.0.0 example.com', 'domains', /--format hosts/);
  assertBad('10.0.0.0/33', 'domains', /prefix/);
  assertBad('*.example.com', 'domains', /wildcard/);
  assertBad('exa mple.com', 'domains', /space/);
  assertBad('/path/only', 'domains', /missing host/);
});

test('adblock lines: only ||domain^ with harmless options', () => {
  assert.deepEqual(parseListLine('||example.com^', 'adblock'), domain('example.com'));
  assert.deepEqual(parseListLine('||Ads.Example.com^$important', 'adblock'), domain('ads.example.com'));
  assert.deepEqual(parseListLine('||example.com^|', 'adblock'), domain('example.com'));
  assert.deepEqual(parseListLine('||192.0.2.1^', 'adblock'), ip(4, '192.0.2.1', 32));
  assertBad('@@||example.com^', 'adblock', /exception/);
  assertBad('||example.com^$badfilter', 'adblock', /option \$badfilter/);
  assertBad('||example.com^$third-party', 'adblock', /option/);
  assertBad('example.com##.ad', 'adblock', /element-hiding/);
  assertBad('##.banner', 'adblock', /element-hiding/);
  assertBad('example.com#@#.ad', 'adblock', /element-hiding/);
  assertBad('||example.com', 'adblock', /\^/);
  assertBad('||ads.*.example.com^', 'adblock', /wildcard/);
  assertBad('||example.com/ads^', 'adblock', /paths/);
  assertBad('/banner\\d+/', 'adblock', /only \|\|domain\^/);
  assertBad('|https://example.com/', 'adblock', /only \|\|domain\^/);
  assertBad('||exa!mple.com^', 'adblock', /"!"/);
});

test('UT1 domains and urls lines', () => {
  assert.deepEqual(parseListLine('0-casino.info', 'ut1-domains'), domain('0-casino.info'));
  assert.deepEqual(parseListLine('celsinho_v8.blogger.com.br', 'ut1-domains'), domain('celsinho_v8.blogger.com.br'));
  assert.deepEqual(parseListLine('1.0.255.159', 'ut1-domains'), ip(4, '1.0.255.159', 32));
  assertBad('example.com/path', 'ut1-domains', /not paths/);
  assertBad('example.com extra', 'ut1-domains', /space/);
  assert.deepEqual(parseListLine('astrolabio.net/casino/', 'ut1-urls'), url('astrolabio.net', '/casino'));
  assert.deepEqual(parseListLine('www.Example.com/Foo/Bar', 'ut1-urls'), url('example.com', '/Foo/Bar'));
  assert.deepEqual(parseListLine('www.com/x', 'ut1-urls'), url('www.com', '/x'));
  assert.deepEqual(parseListLine('example.com', 'ut1-urls'), url('example.com', '/'));
  assert.deepEqual(parseListLine('example.com//', 'ut1-urls'), url('example.com', '/'));
  assert.deepEqual(parseListLine('45.90.163.37//arm4', 'ut1-urls'), url('45.90.163.37', '//arm4'));
  assert.deepEqual(parseListLine('brujildasexy.es/?v=da7f24de4c8e', 'ut1-urls'), url('brujildasexy.es', '/?v=da7f24de4c8e'));
  assertBad('exa mple.com/x', 'ut1-urls', /space/);
  assertBad('/x', 'ut1-urls', /missing host/);
});

test('property: parseListLine never throws, whatever the line and format', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), fc.constantFrom(...FORMATS), (line, format) => {
      const parsed = parseListLine(line, format);
      assert.ok(['skip', 'entry', 'bad'].includes(parsed.kind));
    }),
    { numRuns: 3000 },
  );
  const pieces = fc.constantFrom('0.0.0.0', '::', '||', '^', '$', '@@', '##', '#', '/', '.', ' ', 'a', 'xn--', 'é', '_', '*', ':', '[', ']', '127.0.0.1', '10', '/8', '\t');
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 12 }), fc.constantFrom(...FORMATS), (parts, format) => {
      assert.ok(['skip', 'entry', 'bad'].includes(parseListLine(parts.join(''), format).kind));
    }),
    { numRuns: 3000 },
  );
});

test('property: any valid canonical domain round-trips through every format', () => {
  fc.assert(
    fc.property(fc.domain(), fc.webPath(), (name, rawPath) => {
      let host: string;
      try {
        const c = canonicalHost(name, 'list');
        if (c.kind !== 'domain') return;
        host = c.host;
      } catch {
        return;
      }
      assert.deepEqual(parseListLine(`0.0.0.0 ${host}`, 'hosts'), domain(host));
      assert.deepEqual(parseListLine(host, 'domains'), domain(host));
      assert.deepEqual(parseListLine(`||${host}^`, 'adblock'), domain(host));
      assert.deepEqual(parseListLine(host, 'ut1-domains'), domain(host));
      const path = rawPath.replace(/\s/g, '');
      const parsed = parseListLine(`${host}${path.startsWith('/') ? '' : '/'}${path}`, 'ut1-urls');
      assert.equal(parsed.kind, 'entry');
      if (parsed.kind === 'entry' && parsed.entry.kind === 'url') {
        assert.equal(parsed.entry.host, host.startsWith('www.') && host.indexOf('.', 4) > 0 ? host.slice(4) : host);
        assert.ok(parsed.entry.path.startsWith('/'));
        assert.ok(parsed.entry.path === '/' || !parsed.entry.path.endsWith('/'));
      }
    }),
    { numRuns: 2000 },
  );
});
