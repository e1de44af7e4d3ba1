// Importing a category list through the API: 202 with a job, polled until done; the new snapshot
// is in force (the lists and "which lists hold this site?" show it); bad lines are reported; an
// empty list fails; the locked tier and command-line lists cannot be touched from the console.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FileListStore } from '../../src/storage/files/list-store.ts';
import { SqlAuditRepository } from '../../src/storage/sql/audit-repository.ts';
import { startTestApi, type ApiClient, type TestApi } from '../support/api.ts';

let api: TestApi;
let nm: ApiClient;
before(async () => {
  api = await startTestApi();
  nm = await api.signIn('network-manager');
});
after(() => api.close());

const base = () => `/api/schools/${api.school.id}/lists`;

/** Polls the job until it is no longer running (bounded by a count, not by time). */
async function finished(client: ApiClient, jobId: string): Promise<any> {
  for (let i = 0; i < 500; i++) {
    const res = await client.get(`${base()}/imports/${jobId}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (res.body.state !== 'running') return res.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`job ${jobId} still running after 500 polls`);
}

test('a hosts list is imported in the background, compiled and put in force', async () => {
  const text = ['# extra gaming sites', '0.0.0.0 arcade-one.example', '0.0.0.0 arcade-two.example www.arcade-two.example', ''].join('\n');
  const started = await nm.post(`${base()}/imports`, { name: 'school/extra-gaming', category: 'games', usage: 'block', format: 'hosts', text });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const job = await finished(nm, started.body.jobId);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.stage, 'finished');
  assert.equal(job.result.domains, 3);
  assert.equal(job.result.bad, 0);
  assert.equal(job.result.inForce, true);

  const lists = await nm.get(base());
  const mine = lists.body.lists.find((l: { id: string }) => l.id === 'school/extra-gaming');
  assert.ok(mine, JSON.stringify(lists.body.lists.map((l: { id: string }) => l.id)));
  assert.equal(mine.category, 'games');
  assert.equal(mine.domains, 3);
  assert.equal(mine.locked, false);
  assert.equal(lists.body.snapshotVersion, job.result.snapshotVersion);

  const holding = await nm.get(`${base()}/holding?site=${encodeURIComponent('https://play.arcade-one.example/')}`);
  assert.deepEqual(holding.body.lists.map((l: { id: string }) => l.id), ['school/extra-gaming']);

  const audit = await new SqlAuditRepository(api.plane.database).entriesAfter(0, 10_000);
  const entry = audit.find((e) => e.action === 'lists.imported');
  assert.ok(entry, 'the import is audited');
  assert.equal(entry.actor, nm.accountId);
  assert.equal(entry.target, 'list:school/extra-gaming');
  assert.equal(JSON.parse(entry.detailsJson).domains, 3);
});

test('bad lines are reported with their line numbers, and the good ones imported', async () => {
  const lines = ['good-one.example', 'not a domain at all', 'good-two.example'];
  for (let i = 0; i < 25; i++) lines.push(`bad line ${i} !`);
  const started = await nm.post(`${base()}/imports`, { name: 'school/with-bad-lines', category: 'games', usage: 'block', format: 'domains', text: lines.join('\n') });
  assert.equal(started.status, 202);
  const job = await finished(nm, started.body.jobId);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.result.domains, 2);
  assert.equal(job.result.bad, 26);
  assert.equal(job.result.lines, 28);
  assert.equal(job.result.badLines.length, 20, 'the first 20 bad lines');
  assert.equal(job.result.badLines[0].line, 2);
  assert.equal(job.result.badLines[0].text, 'not a domain at all');
  assert.ok(job.result.badLines[0].reason.length > 0);
});

test('an empty list, or one with no valid line, fails and changes nothing', async () => {
  const before = await nm.get(base());
  for (const text of ['', '# only a comment\n\n', 'not a domain\nnor this one']) {
    const started = await nm.post(`${base()}/imports`, { name: 'school/empty', category: 'games', usage: 'block', format: 'domains', text });
    assert.equal(started.status, 202);
    const job = await finished(nm, started.body.jobId);
    assert.equal(job.state, 'failed', JSON.stringify(job));
    assert.equal(job.error.code, 'RF_LIST_EMPTY');
    assert.match(job.error.message, /no valid domains entries/);
    assert.equal(job.result, undefined);
  }
  const afterwards = await nm.get(base());
  assert.equal(afterwards.body.snapshotVersion, before.body.snapshotVersion);
  assert.ok(!afterwards.body.lists.some((l: { id: string }) => l.id === 'school/empty'));
});

test('the console cannot use a locked category, an unknown one, or replace a command-line list', async () => {
  const policy = await nm.get(`/api/schools/${api.school.id}/policy`);
  const locked: string[] = policy.body.current.document.locked.categories;
  assert.ok(locked.length > 0);
  const body = { name: 'school/sneaky', usage: 'block', format: 'domains', text: 'sneaky.example\n' };
  const lockedTry = await nm.post(`${base()}/imports`, { ...body, category: locked[0] });
  assert.equal(lockedTry.status, 409);
  assert.equal(lockedTry.body.error.code, 'RF_LIST_IMPORT_CONFLICT');
  const unknown = await nm.post(`${base()}/imports`, { ...body, category: 'no-such-category' });
  assert.equal(unknown.status, 400);
  const illegal = await nm.post(`${base()}/imports`, { ...body, category: 'games', illegal: true });
  const illegalJob = await finished(nm, illegal.body.jobId);
  assert.equal(illegalJob.state, 'done');
  const lists = await nm.get(base());
  assert.equal(lists.body.lists.find((l: { id: string }) => l.id === 'school/sneaky').locked, false, 'an illegal flag in the body is ignored');
  // A list the command imported (here written to the store as `ringfence lists import` does).
  await new FileListStore(api.plane.dataDir).writeList(
    { id: 'vendor/gaming', category: 'games', usage: 'block', illegal: false, source: '/srv/lists/gaming.txt', format: 'domains', importedAt: new Date().toISOString(), counts: { domains: 1, urls: 0, ips: 0 } },
    [{ kind: 'domain', host: 'vendor-game.example' }],
  );
  const replaceCli = await nm.post(`${base()}/imports`, { ...body, name: 'vendor/gaming', category: 'games' });
  assert.equal(replaceCli.status, 409);
  assert.match(replaceCli.body.error.message, /ringfence command/);
  const builtin = await nm.post(`${base()}/imports`, { ...body, name: 'builtin/games', category: 'games' });
  assert.equal(builtin.status, 409);
  const badName = await nm.post(`${base()}/imports`, { ...body, name: 'Not A Valid Name', category: 'games' });
  assert.equal(badName.status, 400);
  assert.equal(badName.body.error.code, 'RF_LIST_NAME_INVALID');
});

test('a console list can be replaced from the console; a job of another id is unknown; a headteacher may not import', async () => {
  const again = await nm.post(`${base()}/imports`, { name: 'school/extra-gaming', category: 'games', usage: 'block', format: 'domains', text: 'arcade-three.example\n' });
  const job = await finished(nm, again.body.jobId);
  assert.equal(job.state, 'done', JSON.stringify(job));
  const lists = await nm.get(base());
  assert.equal(lists.body.lists.find((l: { id: string }) => l.id === 'school/extra-gaming').domains, 1);
  const missing = await nm.get(`${base()}/imports/0190f3c2-0000-7000-8000-000000000000`);
  assert.equal(missing.status, 404);
  const head = await api.signIn('headteacher');
  const denied = await head.post(`${base()}/imports`, { name: 'school/x', category: 'games', usage: 'block', format: 'domains', text: 'x.example' });
  assert.equal(denied.status, 403);
});
