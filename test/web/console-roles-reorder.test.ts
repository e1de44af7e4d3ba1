// The policy table by keyboard and by drag (Alt+Arrow keys, Up/Down buttons, dragging a row; each
// move announced, focus kept on the rule that moved, the order saved to the draft), and what each
// role sees: a governor reads the policy but cannot change it; a teacher tests requests and asks for sites to be unblocked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApi, type ApiClient, type TestApi } from '../support/api.ts';
import { axeViolations, buildConsole, captureAndCheck, describeViolations, DESKTOP, launchChromium } from './support/console-browser.ts';

let api: TestApi;
let built: Awaited<ReturnType<typeof buildConsole>>;
let browser: Browser;

before(async () => {
  built = await buildConsole();
  api = await startTestApi({ console: built.dist });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await api?.close();
  await built?.[Symbol.asyncDispose]();
});

/** A page already signed in as the API client (its session cookie handed to the browser). */
async function pageAs(client: ApiClient, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const [name, value] = client.cookie!.split('=') as [string, string];
  await context.addCookies([{ name, value, url: api.url, httpOnly: true, sameSite: 'Strict' }]);
  const page = await context.newPage();
  await page.goto(`${api.url}/#${path}`);
  return page;
}

// Run in the page (as text: this project's Node typings have no DOM).
const ruleOrder = (page: Page) => page.evaluate<string[]>('[...document.querySelectorAll("table.rules tbody tr")].map((r) => r.dataset.ruleId)');
const focusedRule = (page: Page) => page.evaluate<string | null>('document.activeElement?.closest("tr")?.dataset.ruleId ?? null');

test('rules reorder by Alt+Arrow keys, by the Up/Down buttons and by drag; moves are announced and saved', async () => {
  const manager = await api.signIn('network-manager');
  const page = await pageAs(manager, '/policy');
  await page.getByRole('heading', { level: 1, name: 'Filtering policy' }).waitFor();
  const start = await ruleOrder(page);
  const [first, second] = start as [string, string];
  const announced = page.locator('p[aria-live="polite"]');

  await page.locator(`tr[data-rule-id="${first}"] .handle`).focus();
  await page.keyboard.press('Alt+ArrowDown');
  assert.deepEqual((await ruleOrder(page)).slice(0, 2), [second, first]);
  assert.match((await announced.textContent())!, new RegExp(`moved to position 2 of ${start.length}`));
  assert.equal(await focusedRule(page), first, 'focus stays with the rule that moved');
  await page.keyboard.press('Alt+ArrowUp');
  assert.deepEqual(await ruleOrder(page), start);
  assert.match((await announced.textContent())!, /moved to position 1/);

  // The Down button of the first rule, then drag the second row back onto the first.
  await page.locator(`tr[data-rule-id="${first}"]`).getByRole('button', { name: /^Down/ }).click();
  assert.deepEqual((await ruleOrder(page)).slice(0, 2), [second, first]);
  assert.equal(await focusedRule(page), first);
  await page.locator(`tr[data-rule-id="${first}"]`).dragTo(page.locator(`tr[data-rule-id="${second}"]`));
  assert.deepEqual(await ruleOrder(page), start);

  // A real change of order, saved: the draft on the server has it.
  await page.locator(`tr[data-rule-id="${first}"] .handle`).focus();
  await page.keyboard.press('Alt+ArrowDown');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('status').filter({ hasText: 'Draft saved' }).waitFor();
  const draft = await manager.get(`/api/schools/${api.school.id}/policy/draft`);
  assert.deepEqual(draft.body.draft.document.rules.slice(0, 2).map((r: { id: string }) => r.id), [second, first]);
  await page.getByRole('region', { name: 'What changes' }).getByText(new RegExp(`${first}.*moved from position 1 to 2|${second}.*moved from position 2 to 1`)).waitFor();
  assert.equal(await page.getByRole('region', { name: 'What changes' }).getByRole('listitem').count(), 1, 'a swap of two rules is one move');
  await page.context().close();
});

test('a governor reads the policy and the change log but sees no way to change them', async () => {
  const page = await pageAs(await api.signIn('governor'), '/policy');
  await page.getByRole('heading', { level: 1, name: 'Filtering policy' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Console' });
  assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Dashboard', 'Policy', 'Approvals', 'History', 'Lists']);
  assert.equal(await page.getByRole('button', { name: 'Add a rule' }).count(), 0);
  assert.equal(await page.locator('.handle').count(), 0);
  assert.equal(await page.getByRole('heading', { name: 'Submit for approval' }).count(), 0);
  const violations = await captureAndCheck(page, 'policy-governor');
  assert.equal(violations.length, 0, describeViolations(violations));
  // The check can fail: an input without a label, planted in the page, is found.
  await page.evaluate('document.querySelector("main").insertAdjacentHTML("beforeend", "<input id=planted>")');
  assert.ok((await axeViolations(page)).some((v) => v.id === 'label' && v.nodes.some((n) => n.target.includes('#planted'))));
  await page.context().close();
});

test('a teacher sees only "Test a request" and unblock requests, with a group typed in', async () => {
  const page = await pageAs(await api.signIn('teacher'), '/');
  await page.getByRole('heading', { level: 1, name: 'Test a request' }).waitFor();
  assert.deepEqual(await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents(), ['Test a request', 'Unblock requests']);
  await page.getByLabel('Group', { exact: true }).fill('staff');
  await page.getByLabel('Address of the site or page (URL)').fill('https://www.example.com/');
  await page.getByRole('button', { name: 'Test' }).click();
  await page.getByRole('heading', { level: 2, name: /Allowed|Blocked/ }).waitFor();
  await page.goto(`${api.url}/#/policy`);
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  await page.context().close();
});
