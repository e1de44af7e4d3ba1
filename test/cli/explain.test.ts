import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ringfence, tempDataDir } from '../support/cli.ts';

const data = tempDataDir();

test('a fresh data folder filters with the built-in starter lists', () => {
  const r = ringfence(['explain', '--group', 'pupils-ks2', '--url', 'https://www.bet365.com/', '--at', '2026-11-23T10:00', '--data', data]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^BLOCK {2}https:\/\/www\.bet365\.com\//);
  assert.match(r.stdout, /rule: +row-18-gambling/);
  assert.match(r.stdout, /list: +builtin\/gambling/);
});

test('--json prints the documented decision object', () => {
  const r = ringfence(['explain', '--group', 'nominated-staff', '--ip', '10.0.0.5', '--url', 'instagram.com', '--json', '--data', data]);
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(d), ['action', 'alert', 'verdict', 'tier', 'rule', 'category', 'list', 'reason']);
  assert.deepEqual([d.action, d.verdict, d.tier, d.rule, d.category], ['allow', 'N', 'school', 'row-21-social-media-allowed', 'social-media']);
});

test('users come from the imported directory; bad rows import nothing', () => {
  const good = join(data, 'users.csv');
  writeFileSync(good, 'username,display name,groups\npupil.a,Pupil A,pupils-ks2\nteacher.b,"Teacher, B",staff;nominated-staff\n');
  const imported = ringfence(['directory', 'import', good, '--data', data]);
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stdout, /imported 2 users .*2 new/);
  const teacher = JSON.parse(ringfence(['explain', '--user', 'teacher.b', '--url', 'https://x.com/', '--json', '--data', data]).stdout);
  assert.equal(teacher.action, 'allow');
  const pupil = JSON.parse(ringfence(['explain', '--user', 'pupil.a', '--url', 'https://x.com/', '--json', '--data', data]).stdout);
  assert.equal(pupil.action, 'block');

  const before = readFileSync(join(data, 'directory.json'), 'utf8');
  const bad = join(data, 'bad.csv');
  writeFileSync(bad, 'pupil.c,Pupil C,pupils-ks2\npupil d,Pupil D,pupils-ks2\npupil.e,Pupil E,year-9\npupil.f,Pupil F\n');
  const refused = ringfence(['directory', 'import', bad, '--data', data]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /bad\.csv:2: username "pupil d"/);
  assert.match(refused.stderr, /bad\.csv:3: unknown group "year-9"/);
  assert.match(refused.stderr, /bad\.csv:4: expected 3 fields/);
  assert.match(refused.stderr, /nothing was imported/);
  assert.equal(readFileSync(join(data, 'directory.json'), 'utf8'), before, 'the directory is unchanged');
  const again = ringfence(['directory', 'import', good, '--data', data]);
  assert.match(again.stdout, /0 new, 2 updated/, 're-import is idempotent');
});

test('bad input: exit 2 with a message naming the input and what is wrong', () => {
  const cases: [string[], RegExp][] = [
    [['explain', '--group', 'pupils-ks2', '--url', 'http://exa mple.com/'], /RF_HOST_INVALID/],
    [['explain', '--group', 'pupils-ks2', '--url', 'a.example', '--at', '2026-02-30T10:00'], /time "2026-02-30T10:00" has day 30.*RF_TIME_INVALID/],
    [['explain', '--group', 'year-9', '--url', 'a.example'], /no group "year-9"/],
    [['explain', '--user', 'nobody', '--url', 'a.example'], /no user "nobody"/],
    [['explain', '--group', 'pupils-ks2', '--ip', '10.0.0.999', '--url', 'a.example'], /"10.0.0.999" is not an IP address/],
    [['explain', '--group', 'pupils-ks2'], /--url/],
    [['explain', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ];
  for (const [args, message] of cases) {
    const r = ringfence([...args, '--data', data]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
});

test('--batch answers one JSON line per request, in order, bad lines included', () => {
  const lines = [
    { group: 'pupils-ks2', url: 'https://www.roblox.com/', at: '2026-11-23T10:00' },
    'not json',
    { group: 'staff', url: 'http://bad host/' },
    { user: 'pupil.a', ip: '10.1.2.3', url: 'scratch.mit.edu', at: '2026-11-23T19:00:00Z' },
  ].map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));
  const file = join(data, 'batch.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  const r = ringfence(['explain', '--batch', file, '--data', data]);
  assert.equal(r.status, 2, 'bad lines make the exit code 2');
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(out.length, 4);
  assert.deepEqual([out[0].action, out[0].rule], ['block', 'row-17-games']);
  assert.deepEqual(out[1], { line: 2, error: { code: 'RF_REQUEST_INVALID', message: 'not a JSON object' } });
  assert.equal(out[2].error.code, 'RF_HOST_INVALID');
  assert.deepEqual([out[3].action, out[3].rule], ['block', 'row-16-educational-games']);
  assert.match(r.stderr, /explained 2 requests; 2 bad lines/);
  const stdin = ringfence(['explain', '--batch', '-', '--data', data], { input: lines[0] + '\n' });
  assert.equal(stdin.status, 0, stdin.stderr);
  assert.equal(JSON.parse(stdin.stdout).rule, 'row-17-games');
});
