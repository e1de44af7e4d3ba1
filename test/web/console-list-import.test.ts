// Importing a category list from the console: a network manager picks a file, names it, picks a
// category; the progress bar follows the server's job to the end; the counts and the bad line are
// shown; the list appears in the table of lists in force and "which lists hold this site?" finds
// it. A governor sees the lists without the form. axe-core finds nothing at 1280 px and 768 px.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApi, type TestApi } from '../support/api.ts';
import { buildConsole, captureAndCheck, cspViolations, describeViolations, launchChromium, pageWithSession, until } from './support/console-browser.ts';

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

const LIST = ['# games the school blocks in lessons', '0.0.0.0 tile-puzzles.example', '0.0.0.0 racing-cars.example www.racing-cars.example', 'this line is not a hosts line', ''].join('\n');

test('a network manager imports a hosts file and watches it reach the lists in force', async () => {
  const page = await pageWithSession(browser, api.url, (await api.signIn('network-manager')).cookie!, '/lists');
  const csp = cspViolations(page);
  await page.getByRole('heading', { level: 1, name: 'Lists and categories' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Import a list' }).waitFor();

  await page.getByLabel('Format').selectOption('hosts');
  await page.getByLabel('List file').setInputFiles({ name: 'Lesson Games.txt', mimeType: 'text/plain', buffer: Buffer.from(LIST) });
  // The name is suggested from the file's name; the file's lines arrive once the browser has read it.
  await until(async () => (await page.getByLabel('Or paste the lines').inputValue()) !== '', 'the browser has read the file into the text box');
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'school/lesson-games');
  assert.equal(await page.getByLabel('Or paste the lines').inputValue(), LIST);
  await page.getByLabel('Category').selectOption('games');
  await page.getByLabel('Used to').selectOption('block');
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  await page.getByRole('status').filter({ hasText: 'Import finished.' }).waitFor();
  const bar = page.getByRole('progressbar', { name: 'Import progress' });
  const [value, max] = await Promise.all([bar.getAttribute('value'), bar.getAttribute('max')]);
  assert.ok(max !== null && Number(max) > 0, 'a determinate bar');
  assert.equal(value, max, 'the bar is full');
  const result = page.getByRole('region', { name: 'Imported school/lesson-games' });
  await result.waitFor();
  assert.match((await result.textContent())!, /3 domains, 0 URLs and 0 addresses from 4 lines/);
  assert.match((await result.textContent())!, /Line 4: .*this line is not a hosts line/);

  const row = page.getByRole('table', { name: 'Every list in force' }).getByRole('row', { name: /school\/lesson-games/ });
  await row.waitFor();
  assert.match((await row.textContent())!, /games/);

  await page.getByLabel('Site, address or URL').fill('https://www.racing-cars.example/track');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('table', { name: 'Lists holding https://www.racing-cars.example/track' }).getByRole('row', { name: /school\/lesson-games/ }).waitFor();

  const violations = await captureAndCheck(page, 'list-import');
  assert.equal(violations.length, 0, describeViolations(violations));
  assert.deepEqual(csp, []);
  await page.context().close();
});

test('an empty paste fails with the server’s reason, and a governor has no import form', async () => {
  const page = await pageWithSession(browser, api.url, (await api.signIn('trust-admin')).cookie!, '/lists');
  await page.getByRole('heading', { level: 2, name: 'Import a list' }).waitFor();
  await page.getByLabel('Or paste the lines').fill('# nothing but a comment\n');
  await page.getByLabel('Name', { exact: true }).fill('school/nothing');
  await page.getByLabel('Category').selectOption('games');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'The import failed.' }).waitFor();
  assert.match((await page.getByRole('alert').textContent())!, /no valid domains entries/);
  await page.context().close();

  const governor = await pageWithSession(browser, api.url, (await api.signIn('governor')).cookie!, '/lists');
  await governor.getByRole('table', { name: 'Every list in force' }).waitFor();
  assert.equal(await governor.getByRole('heading', { name: 'Import a list' }).count(), 0);
  await governor.context().close();
});
