// The lists in force through the API, and which of them hold a site.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

test('the lists in force with counts, and the lists holding a gambling site', async () => {
  const nm = await api.signIn('network-manager');
  const lists = await nm.get(`/api/schools/${api.school.id}/lists`);
  assert.equal(lists.status, 200);
  assert.ok(lists.body.lists.length > 0);
  const total = lists.body.lists.reduce((n: number, l: { domains: number }) => n + l.domains, 0);
  assert.ok(total >= lists.body.distinctDomains);
  const holding = await nm.get(`/api/schools/${api.school.id}/lists/holding?site=${encodeURIComponent('https://www.bet365.com/odds')}`);
  assert.equal(holding.status, 200);
  assert.ok(holding.body.lists.some((l: { category: string }) => l.category === 'gambling'), JSON.stringify(holding.body));
  const none = await nm.get(`/api/schools/${api.school.id}/lists/holding?site=nothing-here.example`);
  assert.deepEqual(none.body.lists, []);
  const bad = await nm.get(`/api/schools/${api.school.id}/lists/holding?site=${encodeURIComponent('http://exa mple.com/')}`);
  assert.equal(bad.status, 400);
});
