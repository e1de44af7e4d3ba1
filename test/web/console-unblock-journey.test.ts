// The unblock journey end to end in headless Chromium: a pupil's browser, set to use the running
// proxy, meets the block page; the teacher follows its "ask for this site to be unblocked" link, signs in, finds the form
// filled in from the link and asks; an approver declines without a comment (refused), then approves
// with one; "Test a request" shows the site allowed for the group; the period ends (the server's
// due-runner run at a time past the end) and the site is blocked again, the request shown as ended.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApi, TEST_PASSWORD, type TestApi } from '../support/api.ts';
import { startTestProxy, startTestSites, type TestProxy, type TestSites } from '../support/proxy.ts';
import { buildConsole, captureAndCheck, describeViolations, DESKTOP, launchChromium, pageWithSession } from './support/console-browser.ts';

let api: TestApi;
let built: Awaited<ReturnType<typeof buildConsole>>;
let browser: Browser;
let sites: TestSites;
let proxy: TestProxy;

before(async () => {
  built = await buildConsole();
  api = await startTestApi({ console: built.dist });
  sites = await startTestSites();
  // The block page's links go to this console, as `npm start` wires them.
  proxy = await startTestProxy({ sites, options: { 'console-url': api.url } });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await proxy?.stop();
  await sites?.close();
  await api?.close();
  await built?.[Symbol.asyncDispose]();
});

async function noViolations(page: Page, name: string) {
  const violations = await captureAndCheck(page, name);
  assert.equal(violations.length, 0, `${name}:\n${describeViolations(violations)}`);
}

/** "Test a request" for a group and a URL, as an approver sees it: 'Allowed' or 'Blocked'. */
async function testRequest(page: Page, group: string, url: string): Promise<string> {
  await page.goto(`${api.url}/#/test`);
  await page.getByRole('heading', { level: 1, name: 'Test a request' }).waitFor();
  await page.getByLabel('Group', { exact: true }).selectOption(group);
  await page.getByLabel('Address of the site or page (URL)').fill(url);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  const heading = page.getByRole('heading', { level: 2, name: /^(Allowed|Blocked)$/ });
  await heading.waitFor();
  return (await heading.textContent())!;
}

test('a teacher asks from the block page, an approver approves, the site is allowed, then the period ends', async () => {
  const site = 'http://www.bet365.com/odds';
  const group = 'pupils-ks2';
  const teacherClient = await api.signIn('teacher', { username: 'teacher-journey' });
  const approverClient = await api.signIn('headteacher');
  const approver = await pageWithSession(browser, api.url, approverClient.cookie!, '/');
  assert.equal(await testRequest(approver, group, site), 'Blocked', 'blocked before anyone asks');

  // A pupil's browser through the proxy meets the block page; its link is what the teacher follows.
  const pupilContext = await browser.newContext({ viewport: DESKTOP, proxy: { server: proxy.url } });
  const pupil = await pupilContext.newPage();
  assert.equal((await pupil.goto(site))?.status(), 403);
  const link = (await pupil.getByRole('link', { name: /ask for this site to be unblocked/i }).getAttribute('href'))!;
  await pupilContext.close();
  assert.ok(link.startsWith(`${api.url}/requests/unblock?`), link);
  const ref = new URL(link).searchParams.get('ref')!;
  const teacher = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await teacher.goto(link);
  await teacher.getByLabel('Username').fill('teacher-journey');
  await teacher.getByLabel('Password').fill(TEST_PASSWORD);
  await teacher.getByRole('button', { name: 'Sign in' }).click();
  await teacher.getByRole('heading', { level: 1, name: 'Ask for a site to be unblocked' }).waitFor();
  assert.equal(await teacher.getByLabel('Site or page').inputValue(), site, 'the site comes from the link');
  assert.match((await teacher.locator('dl.facts').textContent())!, new RegExp(`Blocked asgambling.*Reference${ref}`));
  await teacher.getByLabel('For', { exact: true }).selectOption(group);
  await teacher.getByLabel(/Until the end of today/).check();
  await noViolations(teacher, 'unblock-form');
  await teacher.getByRole('button', { name: 'Send request' }).click();
  // A reason is needed first: the form says so and sends nothing.
  await teacher.getByRole('alert').filter({ hasText: 'Say why the class needs the site' }).waitFor();
  await teacher.getByLabel('Why the class needs it').fill('a maths lesson on probability');
  await teacher.getByRole('button', { name: 'Send request' }).click();
  await teacher.getByRole('heading', { level: 1, name: 'Request sent' }).waitFor();
  assert.match((await teacher.getByRole('status').textContent())!, /waiting for a second person/);
  const [mine] = (await teacherClient.get(`/api/schools/${api.school.id}/unblock-requests/mine`)).body.requests;
  assert.equal(mine.state, 'pending');

  await teacher.getByRole('link', { name: 'See my requests' }).click();
  await teacher.getByRole('heading', { level: 1, name: 'Unblock requests' }).waitFor();
  const state = teacher.locator(`tr[data-request-id="${mine.id}"] [data-testid="request-state"]`);
  assert.equal(await state.textContent(), 'Waiting');
  await noViolations(teacher, 'unblock-teacher');

  // The approver's queue: declining needs a comment; approving takes an optional one.
  await approver.goto(`${api.url}/#/unblock`);
  const card = approver.getByRole('article', { name: /bet365\.com\/odds for pupils-ks2/ });
  await card.waitFor();
  assert.match((await card.textContent())!, /a maths lesson on probability/);
  await card.getByRole('button', { name: 'Decline' }).click();
  await card.getByRole('alert').filter({ hasText: 'Say why you are declining' }).waitFor();
  await noViolations(approver, 'unblock-approver');
  await card.getByLabel('Comment (needed to decline)').fill('fine for this lesson');
  await card.getByRole('button', { name: 'Approve' }).click();
  await approver.getByRole('status').filter({ hasText: /^Approved: (www\.)?bet365\.com\/odds is unblocked for pupils-ks2\.$/ }).waitFor();
  assert.equal(await testRequest(approver, group, site), 'Allowed', 'allowed once approved');
  assert.equal(await testRequest(approver, 'pupils-ks1', site), 'Blocked', 'only for the group asked for');

  await teacher.reload();
  await state.waitFor();
  assert.equal(await state.textContent(), 'Approved');
  assert.match((await teacher.locator(`tr[data-request-id="${mine.id}"]`).textContent())!, /fine for this lesson/);

  // The period ends: the server's periodic work, run as if a minute after the end.
  const due = await api.runUnblockDue(new Date(Date.parse(mine.endsAt) + 60_000));
  assert.deepEqual(due.expired, [mine.id]);
  assert.equal(await testRequest(approver, group, site), 'Blocked', 'blocked again once the period has ended');
  await teacher.reload();
  await state.waitFor();
  assert.match((await state.textContent())!, /^Ended/);
  await approver.goto(`${api.url}/#/unblock`);
  const decisions = approver.getByRole('region', { name: 'Recent decisions and expiries' });
  await decisions.getByText(/^.*Ended/).first().waitFor();
  assert.match((await decisions.textContent())!, /Approved by you/);
  await noViolations(approver, 'unblock-decided');
  await teacher.context().close();
  await approver.context().close();
});
