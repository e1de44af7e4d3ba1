// The console's pages beyond the policy: dashboard (charts, rankings, waiting requests, changes,
// review date), lists (which lists hold a site), directory (import preview with a bad line, import,
// guests), devices and networks, the activity explorer (filters, pages back and forth, CSV export
// with the session cookie), settings (retention, approval, the school, term dates into the draft),
// the block page's links redirected to hash routes, and "report a problem" without signing in.
// axe-core finds nothing on each page at 1280 px and 768 px; screenshots go to test-artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { ActivityRecord } from '../../src/core/activity/record.ts';
import { startTestApi, type ApiClient, type TestApi } from '../support/api.ts';
import { buildConsole, captureAndCheck, describeViolations, launchChromium, pageWithSession, until } from './support/console-browser.ts';

let api: TestApi;
let built: Awaited<ReturnType<typeof buildConsole>>;
let browser: Browser;
const NOW = Date.now();

/** 80 entries over the last 80 minutes; every fourth a block of gambling. */
function record(i: number): ActivityRecord {
  const block = i % 4 === 0;
  return {
    time: new Date(NOW - (i + 1) * 60_000).toISOString(),
    source: i % 2 ? 'dns' : 'proxy',
    transport: 'udp',
    client: `10.20.0.${i % 5}`,
    user: i % 3 === 0 ? 'pupil.a' : 'pupil.b',
    device: i % 2 === 0 ? 'laptop-1' : null,
    groups: ['pupils-ks2'],
    name: `site${i % 5}.example`,
    type: 'A',
    action: block ? 'block' : 'allow',
    answer: 'ok',
    tier: block ? 'school' : null,
    verdict: null,
    category: block ? 'gambling' : null,
    rule: null,
    list: null,
    latencyMs: 1,
  };
}

before(async () => {
  built = await buildConsole();
  api = await startTestApi({ console: built.dist });
  await api.plane.activity.insert(api.school.id, Array.from({ length: 80 }, (_, i) => record(i)));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await api?.close();
  await built?.[Symbol.asyncDispose]();
});

const open = (client: ApiClient, path: string) => pageWithSession(browser, api.url, client.cookie!, path);

async function noViolations(page: Page, name: string) {
  const violations = await captureAndCheck(page, name);
  assert.equal(violations.length, 0, `${name}:\n${describeViolations(violations)}`);
}

test('dashboard: requests and blocks charted with their numbers, top blocks, waiting requests, changes and the review date', async () => {
  const teacher = await api.signIn('teacher');
  const asked = await teacher.post(`/api/schools/${api.school.id}/unblock-requests`, { site: 'https://www.bet365.com/odds', group: 'pupils-ks2', endsAt: new Date(NOW + 3_600_000).toISOString(), reason: 'probability lesson' });
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  const page = await open(await api.signIn('headteacher'), '/dashboard');
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await page.getByTestId('total-requests').waitFor();
  assert.equal(await page.getByTestId('total-requests').textContent(), '80');
  assert.equal(await page.getByTestId('total-blocks').textContent(), '20');
  assert.match((await page.getByRole('img', { name: /^Requests per day/ }).getAttribute('aria-label'))!, /80 requests/);
  assert.ok((await page.locator('svg.chart-svg rect title').count()) > 0, 'each bar has a title');

  // The numbers behind the blocks chart, by keyboard: the disclosure opens its table.
  await page.getByText('Show the numbers for “Blocks per day”').focus();
  await page.keyboard.press('Enter');
  const blocksTable = page.getByRole('table', { name: 'Blocks per day' });
  await blocksTable.waitFor();
  const cells = await blocksTable.locator('tbody td').allTextContents();
  assert.equal(cells.reduce((sum, c) => sum + Number(c), 0), 20);

  const categories = page.getByRole('region', { name: 'Blocked categories' });
  assert.match((await categories.textContent())!, /gambling\s*20/);
  assert.match((await page.getByRole('region', { name: 'Users with most blocks' }).textContent())!, /pupil\.a/);
  assert.match((await page.getByRole('region', { name: 'Unblock requests waiting' }).textContent())!, /bet365\.com\/odds for pupils-ks2/);
  assert.match((await page.getByRole('region', { name: 'Recent policy changes' }).textContent())!, /default policy pack/);
  const review = (await page.getByRole('region', { name: 'Policy review' }).textContent())!;
  assert.match(review, new RegExp(`Next due.*${new Date(NOW).getFullYear() + 1}`));
  assert.match(review, /no review calendar yet/);
  await noViolations(page, 'dashboard');

  await page.getByLabel('Last 24 hours').check();
  await page.getByRole('img', { name: /^Requests per hour/ }).waitFor();
  await page.context().close();
});

test('lists: the lists in force, and which lists hold a site', async () => {
  const page = await open(await api.signIn('governor'), '/lists');
  await page.getByRole('heading', { level: 1, name: 'Lists and categories' }).waitFor();
  await page.getByRole('table', { name: 'Every list in force' }).waitFor();
  await page.getByLabel('Site, address or URL').fill('www.bet365.com');
  await page.getByRole('button', { name: 'Search' }).click();
  const found = page.getByRole('table', { name: 'Lists holding www.bet365.com' });
  await found.waitFor();
  assert.match((await found.textContent())!, /gambling/);
  await noViolations(page, 'lists');
  await page.getByLabel('Site, address or URL').fill('nothing-here.example');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('No list in force holds nothing-here.example.').waitFor();
  await page.context().close();
});

test('directory: a pupil list previewed with an error per bad line, then imported; a guest added', async () => {
  const page = await open(await api.signIn('headteacher'), '/directory');
  await page.getByRole('heading', { level: 1, name: 'Directory' }).waitFor();
  await page.getByLabel('Or paste the lines').fill('username,display name,year\npupil.one,Pupil One,5\npupil.two,Pupil Two,Z\n');
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('heading', { name: 'Lines with errors (not imported)' }).waitFor();
  assert.match((await page.locator('.import-preview').textContent())!, /Line 3: year group .Z./);
  assert.equal(await page.getByRole('button', { name: 'Import', exact: true }).count(), 0, 'nothing imports while a line is wrong');
  await noViolations(page, 'directory-preview');

  await page.getByLabel('Or paste the lines').fill('pupil.one,Pupil One,5\npupil.two,Pupil Two,6\n');
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByText('2 to add, 0 to change, 0 to remove').waitFor();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Imported: 2 added, 0 changed, 0 removed.' }).waitFor();
  await page.getByRole('row', { name: /Pupil Two/ }).waitFor();

  await page.getByLabel('Username').fill('visitor.one');
  await page.getByLabel('Name', { exact: true }).fill('Visiting speaker');
  await page.getByLabel('Access ends').fill('2030-07-01T16:00');
  await page.getByRole('button', { name: 'Add guest' }).click();
  await page.getByRole('status').filter({ hasText: 'Guest Visiting speaker added.' }).waitFor();
  const guest = (await page.getByRole('row', { name: /Visiting speaker/ }).textContent())!;
  assert.match(guest, /Guest/);
  assert.match(guest, /2030/);
  await noViolations(page, 'directory');
  await page.context().close();
});

test('devices: register, change and remove a device with its access level; add a network', async () => {
  const page = await open(await api.signIn('network-manager'), '/devices');
  page.on('dialog', (d) => void d.accept());
  await page.getByRole('heading', { level: 1, name: 'Devices and networks' }).waitFor();
  const form = page.getByRole('form', { name: 'Register a device' });
  await form.getByLabel('Label').fill('Staff laptop 7');
  await form.getByLabel('Kind of device').selectOption('staff-owned');
  await form.getByLabel('IP address (optional)').fill('10.20.30.40');
  await form.getByRole('button', { name: 'Register device' }).click();
  const card = page.getByRole('article', { name: 'Staff laptop 7' });
  await card.waitFor();
  assert.equal(await card.getByTestId('device-access').textContent(), 'internet only');

  await card.getByRole('button', { name: 'Change Staff laptop 7' }).click();
  const edit = page.getByRole('form', { name: 'Change Staff laptop 7' });
  await edit.getByLabel('Kind of device').selectOption('school-owned-single-user');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Staff laptop 7 saved.' }).waitFor();
  assert.equal(await page.getByRole('article', { name: 'Staff laptop 7' }).getByTestId('device-access').textContent(), 'full network access');

  await page.getByLabel('Address range').fill('10.20.0.0/16');
  await page.getByLabel('Site', { exact: true }).fill('Main building');
  await page.getByLabel('Group of unregistered devices').fill('pupils-ks2');
  await page.getByRole('button', { name: 'Add network' }).click();
  await page.getByRole('row', { name: /10\.20\.0\.0\/16/ }).waitFor();
  await noViolations(page, 'devices');

  await page.getByRole('button', { name: 'Remove Staff laptop 7' }).click();
  await page.getByRole('status').filter({ hasText: 'Staff laptop 7 removed.' }).waitFor();
  assert.equal(await page.getByRole('article', { name: 'Staff laptop 7' }).count(), 0);
  await page.context().close();
});

test('activity: pages older and back, filters, and a CSV export of the same filters with the session cookie', async () => {
  const page = await open(await api.signIn('dsl'), '/activity');
  await page.getByRole('heading', { level: 2, name: 'Entries, page 1' }).waitFor();
  const rows = page.getByRole('table', { name: 'Activity entries' }).locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 50);
  const newest = await rows.first().textContent();
  await page.getByRole('button', { name: 'Older' }).click();
  await page.getByRole('heading', { level: 2, name: 'Entries, page 2' }).waitFor();
  await rows.first().waitFor();
  assert.equal(await rows.count(), 30);
  assert.ok(await page.getByRole('button', { name: 'Older' }).isDisabled(), 'no page after the last');
  await page.getByRole('button', { name: 'Newer' }).click();
  await page.getByRole('heading', { level: 2, name: 'Entries, page 1' }).waitFor();
  await rows.first().waitFor();
  assert.equal(await rows.first().textContent(), newest);

  await page.getByLabel('Decision').selectOption('block');
  await page.getByLabel('User').fill('pupil.a');
  await page.getByRole('button', { name: 'Search' }).click();
  await until(async () => (await rows.count()) === 7, 'the filtered activity table has 7 rows');
  for (const text of await rows.allTextContents()) assert.match(text, /Blocked.*pupil\.a/);
  await noViolations(page, 'activity');

  const link = page.getByRole('link', { name: 'Export these entries as CSV' });
  const href = (await link.getAttribute('href'))!;
  assert.match(href, /decision=block/);
  assert.match(href, /user=pupil\.a/);
  // Fetched as the browser would follow the link: its cookie jar, no CSRF header.
  const csv = await page.context().request.get(new URL(href, api.url).href);
  assert.equal(csv.status(), 200);
  const lines = (await csv.text()).trim().split(/\r?\n/);
  assert.equal(lines.length, 1 + 7, 'a header and the seven matching entries');
  await page.context().close();
});

test('settings: retention, second-person approval, the school, and term dates saved into the draft', async () => {
  const head = await api.signIn('headteacher');
  const page = await open(head, '/settings');
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await page.getByLabel('Keep activity for (days)').fill('45');
  await page.getByRole('region', { name: 'How long activity is kept' }).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Activity is now kept for 45 days.' }).waitFor();
  assert.equal((await head.get(`/api/schools/${api.school.id}/activity/settings`)).body.retentionDays, 45);

  const approval = page.getByLabel('A second person must approve every policy change');
  await approval.waitFor();
  assert.ok(await approval.isChecked());
  await approval.uncheck();
  await page.getByRole('status').filter({ hasText: 'Second-person approval is off' }).waitFor();
  assert.equal((await head.get(`/api/schools/${api.school.id}/policy`)).body.requireApproval, false);
  await approval.check();
  await page.getByRole('status').filter({ hasText: 'Second-person approval is on.' }).waitFor();

  await page.getByLabel('Reference (optional)').fill('REF-100');
  await page.getByRole('button', { name: 'Save the school' }).click();
  await page.getByRole('status').filter({ hasText: 'School saved' }).waitFor();
  assert.equal((await head.get(`/api/schools/${api.school.id}`)).body.reference, 'REF-100');

  await page.locator('#term-0-name').fill('Autumn term, first year');
  await page.locator('#term-0-to').fill('2026-12-19');
  await page.getByRole('button', { name: 'Save into the draft' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved into the draft' }).waitFor();
  const draft = await head.get(`/api/schools/${api.school.id}/policy/draft`);
  assert.deepEqual(draft.body.draft.document.calendar.terms[0], { name: 'Autumn term, first year', from: '2026-09-02', to: '2026-12-19' });
  assert.ok(draft.body.differences.length > 0, 'the draft shows what changes');
  await noViolations(page, 'settings');
  await page.context().close();
});

test('the block page links redirect to hash routes with only their own parameters, encoded again', async () => {
  const unblock = await fetch(`${api.url}/requests/unblock?url=${encodeURIComponent('https://x.example/a b?c=1&d=<2>')}&ref=r-1&category=gambling&evil=1`, { redirect: 'manual' });
  assert.equal(unblock.status, 302);
  const location = unblock.headers.get('location')!;
  assert.ok(location.startsWith('/#/requests/unblock?'), location);
  const carried = new URLSearchParams(location.slice(location.indexOf('?') + 1));
  assert.deepEqual([...carried.keys()], ['url', 'ref', 'category']);
  assert.equal(carried.get('url'), 'https://x.example/a b?c=1&d=<2>');
  assert.doesNotMatch(location, /[<> ]/);
  const report = await fetch(`${api.url}/report`, { redirect: 'manual' });
  assert.equal(report.headers.get('location'), '/#/report');
});

test('"report a problem" shows the reference without signing in', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${api.url}/report?url=${encodeURIComponent('https://www.bet365.com/')}&ref=0193-abc`);
  await page.getByRole('heading', { level: 1, name: 'Report a problem' }).waitFor();
  assert.equal(await page.getByTestId('report-ref').textContent(), '0193-abc');
  await noViolations(page, 'report');
  await context.close();
});

test('each role sees the pages it may use', async () => {
  const names = async (role: Parameters<TestApi['signIn']>[0]) => {
    const page = await open(await api.signIn(role), '/');
    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.waitFor();
    const links = await nav.getByRole('link').allTextContents();
    await page.context().close();
    return links;
  };
  assert.deepEqual(await names('teacher'), ['Test a request', 'Unblock requests']);
  assert.deepEqual(await names('governor'), ['Dashboard', 'Policy', 'Approvals', 'History', 'Lists']);
  assert.deepEqual(await names('network-manager'), ['Dashboard', 'Policy', 'Approvals', 'History', 'Test a request', 'Lists', 'Directory', 'Devices', 'Activity', 'Unblock requests', 'Settings']);
});
