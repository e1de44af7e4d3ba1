// The console end to end in headless Chromium against a real API: a network manager signs in
// with a password and enrols an authenticator from the QR page's secret, adds a rule blocking a
// site for a group, sees what changes, submits with a reason; a headteacher (second browser,
// arriving by the one-time welcome link) approves; "test a request" then shows the block by that
// rule. Every page passes axe-core at 1280 px and 768 px and is kept as a screenshot; nothing is
// refused by the Content-Security-Policy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApi, TEST_PASSWORD, type TestApi } from '../support/api.ts';
import { buildConsole, captureAndCheck, cspViolations, describeViolations, DESKTOP, launchChromium } from './support/console-browser.ts';

let api: TestApi;
let built: Awaited<ReturnType<typeof buildConsole>>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const csp: string[][] = [];

before(async () => {
  built = await buildConsole();
  api = await startTestApi({ console: built.dist });
  browser = await launchChromium();
});
after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await api?.close();
  await built?.[Symbol.asyncDispose]();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP });
  contexts.push(context);
  const page = await context.newPage();
  csp.push(cspViolations(page));
  return page;
}

async function expectAccessible(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const violations = await captureAndCheck(page, name, options);
  assert.equal(violations.length, 0, `axe on ${name}:\n${describeViolations(violations)}`);
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

/** Reads the secret as a person would, from the text on the enrolment page, and gives a code. */
async function enrolFromPage(page: Page): Promise<string> {
  await heading(page, 'Set up your authenticator app');
  await page.getByRole('img', { name: /QR code/ }).waitFor();
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{16,}$/, 'the secret is shown as base32 text');
  return secret;
}

const RULE_NAME = 'Block a game site for key stage 2';
const RULE_ID = 'block-a-game-site-for-key-stage-2';
const SITE = 'blocked-by-console.example';

test('sign in with MFA, edit a rule, submit with a reason, a second person approves, test a request shows the block', async () => {
  await api.plane.auth.createAccount({ username: 'netman', role: 'network-manager', scope: [api.school.id], password: TEST_PASSWORD, email: 'netman@school.test' });
  const page = await newPage();

  // Sign in with a password; the role needs an authenticator, so enrolment comes next.
  await page.goto(`${api.url}/`);
  await heading(page, 'Sign in');
  await expectAccessible(page, 'sign-in');
  await page.getByLabel('Username').fill('netman');
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const secret = await enrolFromPage(page);
  await expectAccessible(page, 'mfa-enrolment');
  await page.getByLabel('Enter the six-digit code the app now shows').fill(await generate({ secret }));
  await page.getByRole('button', { name: 'Confirm and continue' }).click();

  // The dashboard is the first page; then the policy table: add a rule in the dialog with the pickers.
  await heading(page, 'Dashboard');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Policy' }).click();
  await heading(page, 'Filtering policy');
  await page.getByText('Network manager', { exact: true }).waitFor();
  await expectAccessible(page, 'policy');
  await page.getByRole('button', { name: 'Add a rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a rule' });
  await dialog.getByLabel('Name', { exact: true }).fill(RULE_NAME);
  await dialog.getByLabel('Pupils: key stage 2').check();
  await dialog.getByLabel('Sites', { exact: true }).fill(SITE);
  await expectAccessible(page, 'rule-dialog', { fullPage: false });
  await dialog.getByRole('button', { name: 'Add rule' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.locator('table.rules tbody tr').first().getAttribute('data-rule-id'), RULE_ID);

  // Save the draft; "what changes" names the new rule; submit with a reason.
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('status').filter({ hasText: 'Draft saved' }).waitFor();
  const changes = page.getByRole('region', { name: 'What changes' });
  await changes.getByText(new RegExp(`${RULE_ID}.*added at position 1: block`)).waitFor();
  await expectAccessible(page, 'policy-draft');
  await page.getByLabel('Reason for the change').fill('a site a pupil reported');
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await page.getByRole('status').filter({ hasText: 'waits in Approvals' }).waitFor();

  // The author sees the change waiting and cannot approve it.
  await page.getByRole('link', { name: 'Approvals' }).click();
  await heading(page, 'Approvals');
  await page.getByText('This is your change: it is waiting for a second person').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
  await expectAccessible(page, 'approvals-author');

  // A headteacher arrives by a one-time welcome link, sets a password, enrols, and approves.
  const admin = await api.signIn('network-manager', { username: 'accounts-admin' });
  const made = await admin.post('/api/accounts', { username: 'head', displayName: 'Headteacher (test)', role: 'headteacher', scope: [api.school.id] });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const head = await newPage();
  await head.goto(`${api.url}/#/welcome/${made.body.oneTime.oneTimeToken}`);
  await heading(head, 'Welcome to Ringfence');
  await expectAccessible(head, 'welcome');
  await head.getByLabel('New password').fill('another long passphrase');
  await head.getByLabel('Type the password again').fill('another long passphrase');
  await head.getByRole('button', { name: 'Set password and continue' }).click();
  const headSecret = await enrolFromPage(head);
  await head.getByLabel('Enter the six-digit code the app now shows').fill(await generate({ secret: headSecret }));
  await head.getByRole('button', { name: 'Confirm and continue' }).click();
  await heading(head, 'Dashboard');
  await head.getByRole('link', { name: 'Approvals' }).click();
  await heading(head, 'Approvals');
  const card = head.getByRole('article').filter({ hasText: 'a site a pupil reported' });
  await card.getByText(new RegExp(`${RULE_ID}.*added`)).waitFor();
  await expectAccessible(head, 'approvals');
  await card.getByLabel(/Comment/).fill('agreed');
  await card.getByRole('button', { name: 'Approve' }).click();
  await head.getByRole('status').filter({ hasText: 'Approved: version 2 is in force now.' }).waitFor();

  // "Test a request": the new rule blocks the site for key stage 2, and only for them.
  await page.getByRole('link', { name: 'Test a request' }).click();
  await heading(page, 'Test a request');
  await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Pupils: key stage 2' });
  await page.getByLabel('Address of the site or page (URL)').fill(`http://${SITE}/`);
  await page.getByRole('button', { name: 'Test' }).click();
  await page.getByRole('heading', { level: 2, name: 'Blocked' }).waitFor();
  assert.match((await page.getByTestId('decision-rule').textContent())!, new RegExp(`${RULE_NAME} \\(${RULE_ID}\\)`));
  await expectAccessible(page, 'test-a-request');
  await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Staff' });
  await page.getByRole('button', { name: 'Test' }).click();
  await page.getByRole('heading', { level: 2, name: 'Allowed' }).waitFor();

  // History shows version 2 with the rule it added.
  await page.getByRole('link', { name: 'History' }).click();
  await heading(page, 'Policy history');
  await page.getByRole('article', { name: /Version 2/ }).getByText(new RegExp(`${RULE_ID}.*added`)).waitFor();
  await expectAccessible(page, 'history');

  // Sign out, and back in with a code from the app (the role is enrolled now).
  await page.getByRole('button', { name: 'Sign out' }).click();
  await heading(page, 'Sign in');
  await page.getByText('You have signed out.').waitFor();
  await page.getByLabel('Username').fill('netman');
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading(page, 'Enter the code from your authenticator app');
  await expectAccessible(page, 'mfa-code');
  await page.getByLabel('Six-digit code').fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading(page, 'Dashboard');

  assert.deepEqual(csp.flat(), [], 'nothing was refused by the Content-Security-Policy');
});
