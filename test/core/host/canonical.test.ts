// Golden tests for canonicalHost: every row of golden-hosts.tsv, plus parseUrl specifics.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canonicalHost, parseUrl, type HostSource } from '../../../src/core/host/canonical.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';

const SOURCES: readonly HostSource[] = ['dns', 'host-header', 'url', 'connect', 'sni', 'list'];

/** Input-column escapes: \t \n \r \0 \\ \xHH \uHHHH \u{H...}. */
function unescape(s: string, line: number): string {
  return s.replace(/\\(u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|.)/g, (m, _all, cp, u4, x2) => {
    if (cp !== undefined) return String.fromCodePoint(parseInt(cp, 16));
    if (u4 !== undefined) return String.fromCharCode(parseInt(u4, 16));
    if (x2 !== undefined) return String.fromCharCode(parseInt(x2, 16));
    switch (m[1]) {
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case '\\':
        return '\\';
      default:
        throw new Error(`golden-hosts.tsv:${line}: unknown escape ${m}`);
    }
  });
}

interface Row {
  readonly line: number;
  readonly source: HostSource;
  readonly input: string;
  readonly expected: string;
}

function loadRows(): Row[] {
  const text = readFileSync(new URL('./golden-hosts.tsv', import.meta.url), 'utf8');
  const rows: Row[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw === '' || raw.startsWith('#')) return;
    const cols = raw.split('\t');
    if (cols.length !== 3) throw new Error(`golden-hosts.tsv:${line}: expected 3 tab-separated columns, got ${cols.length}`);
    const [source, input, expected] = cols as [string, string, string];
    if (!SOURCES.includes(source as HostSource)) throw new Error(`golden-hosts.tsv:${line}: unknown source ${source}`);
    if (!/^(domain|ipv4|ipv6|error):/.test(expected)) throw new Error(`golden-hosts.tsv:${line}: bad expected ${expected}`);
    rows.push({ line, source: source as HostSource, input: unescape(input, line), expected });
  });
  return rows;
}

const rows = loadRows();

describe('golden-hosts.tsv', () => {
  test('has a broad corpus', () => {
    assert.ok(rows.length >= 120, `only ${rows.length} rows`);
    for (const s of SOURCES) assert.ok(rows.some((r) => r.source === s), `no rows for ${s}`);
    for (const k of ['domain:', 'ipv4:', 'ipv6:', 'error:']) assert.ok(rows.some((r) => r.expected.startsWith(k)));
  });

  for (const row of rows) {
    test(`line ${row.line}: ${row.source} ${JSON.stringify(row.input).slice(0, 70)} → ${row.expected.slice(0, 60)}`, () => {
      const colon = row.expected.indexOf(':');
      const kind = row.expected.slice(0, colon);
      const want = row.expected.slice(colon + 1);
      if (kind === 'error') {
        assert.throws(
          () => canonicalHost(row.input, row.source),
          (e: unknown) => {
            assert.ok(e instanceof RingfenceError, `not a RingfenceError: ${String(e)}`);
            assert.equal(e.code, ErrorCodes.HOST_INVALID);
            assert.ok(e.message.includes(want), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(want)}`);
            return true;
          },
        );
      } else {
        assert.deepEqual({ ...canonicalHost(row.input, row.source) }, { kind, host: want });
      }
    });
  }
});

describe('canonicalHost messages', () => {
  test('name the input and what is wrong', () => {
    const cases: [string, HostSource, string][] = [
      ['a..b', 'dns', 'host "a..b" has an empty label'],
      ['a b', 'dns', 'host "a b" contains a space'],
      ['example.com:99999', 'connect', 'port "99999" in "example.com:99999" is out of range (0–65535)'],
      ['http://a..b/x', 'url', 'host "a..b" in "http://a..b/x" has an empty label'],
    ];
    for (const [input, source, message] of cases) {
      assert.throws(() => canonicalHost(input, source), { code: ErrorCodes.HOST_INVALID, message });
    }
    assert.throws(() => canonicalHost(`${'x'.repeat(70)}.com`, 'dns'), (e: RingfenceError) => {
      assert.match(e.message, /^label "x{20}…" in host "x{70}\.com" is longer than 63 characters \(70\)$/);
      assert.equal(e.input, `${'x'.repeat(70)}.com`);
      return true;
    });
  });

  test('over-long IDN input is refused before UTS-46 processing', () => {
    assert.throws(() => canonicalHost('ü'.repeat(5000), 'dns'), {
      code: ErrorCodes.HOST_INVALID,
      message: /is longer than 253 characters \(5000 before IDNA conversion\)$/,
    });
  });

  test('long inputs are quoted bounded', () => {
    const input = `${'a'.repeat(300)}..b`;
    assert.throws(() => canonicalHost(input, 'dns'), (e: RingfenceError) => e.message.length < 200);
  });
});

describe('parseUrl', () => {
  const cases: [string, string, string, number | null, string][] = [
    // input, scheme, host, port, path
    ['http://example.com', 'http', 'example.com', null, '/'],
    ['HTTPS://Example.COM:443/a?b=c#d', 'https', 'example.com', null, '/a?b=c'],
    ['https://example.com:8443/', 'https', 'example.com', 8443, '/'],
    ['http://example.com:80/', 'http', 'example.com', null, '/'],
    ['http://example.com:/x', 'http', 'example.com', null, '/x'],
    ['ws://chat.example.com:80/s', 'ws', 'chat.example.com', null, '/s'],
    ['wss://chat.example.com/s', 'wss', 'chat.example.com', null, '/s'],
    ['ftp://example.com:21/f', 'ftp', 'example.com', null, '/f'],
    ['git+ssh://Example.com:22/r.git', 'git+ssh', 'example.com', 22, '/r.git'],
    ['example.com', 'http', 'example.com', null, '/'],
    ['example.com/a/b?c', 'http', 'example.com', null, '/a/b?c'],
    ['example.com:8080', 'http', 'example.com', 8080, '/'],
    ['localhost:3000/app', 'http', 'localhost', 3000, '/app'],
    ['user:pw@example.com/p', 'http', 'example.com', null, '/p'],
    ['//cdn.example.com/lib.js', 'http', 'cdn.example.com', null, '/lib.js'],
    ['http://example.com?q=1', 'http', 'example.com', null, '/?q=1'],
    ['http://example.com#frag', 'http', 'example.com', null, '/'],
    ['http://example.com/p#f?g', 'http', 'example.com', null, '/p'],
    ['http://user:pw@example.com:8080/p', 'http', 'example.com', 8080, '/p'],
    ['http://evil.com\\@good.com/', 'http', 'evil.com', null, '/@good.com/'],
    ['http:\\\\evil.com\\a\\b', 'http', 'evil.com', null, '/a/b'],
    ['http:evil.com/x', 'http', 'evil.com', null, '/x'],
    ['http://[::1]:8080/x', 'http', '::1', 8080, '/x'],
    ['http://0x7f.1/', 'http', '127.0.0.1', null, '/'],
    // Path as browsers send it: dot segments resolved, unsafe bytes percent-encoded, query kept.
    ['http://example.com/a/./b/../c', 'http', 'example.com', null, '/a/c'],
    ['http://example.com/a/b/..', 'http', 'example.com', null, '/a/'],
    ['http://example.com/../../etc', 'http', 'example.com', null, '/etc'],
    ['http://example.com/a/%2e%2E/b', 'http', 'example.com', null, '/b'],
    ['http://example.com/safe/..%2Fbad', 'http', 'example.com', null, '/safe/..%2Fbad'],
    ['http://example.com/a b/é?x y=é', 'http', 'example.com', null, '/a%20b/%C3%A9?x%20y=%C3%A9'],
    ["http://example.com/'?'", 'http', 'example.com', null, "/'?%27"],
    ['http://example.com/%41%zz', 'http', 'example.com', null, '/%41%zz'],
    ['  http://exa\tmple.com/a\nb  ', 'http', 'example.com', null, '/ab'],
  ];
  for (const [input, scheme, host, port, path] of cases) {
    test(JSON.stringify(input), () => {
      const u = parseUrl(input);
      assert.equal(u.scheme, scheme);
      assert.equal(u.host.host, host);
      assert.equal(u.port, port);
      assert.equal(u.path, path);
    });
  }

  test('an empty URL is URL_INVALID; host problems are HOST_INVALID', () => {
    assert.throws(() => parseUrl('   '), { code: ErrorCodes.URL_INVALID });
    assert.throws(() => parseUrl('http://a..b/'), { code: ErrorCodes.HOST_INVALID });
    assert.throws(() => canonicalHost('   ', 'url'), { code: ErrorCodes.HOST_INVALID });
  });
});
