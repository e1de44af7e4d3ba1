// The block page's words, end to end: a headteacher changes them in the console (the preview shows
// markup-looking text as text), saves, and a blocked plain-HTTP page fetched through the running
// proxy carries the new words, escaped; in Chromium through the proxy the page shows them as text.
// axe finds nothing on the settings page; screenshots go to test-artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { Browser } from 'playwright-core';
import { startTestApi, type TestApi } from '../support/api.ts';
import { startTestProxy, startTestSites, type TestProxy, type TestSites } from '../support/proxy.ts';
import { buildConsole, captureAndCheck, describeViolations, DESKTOP, launchChromium, pageWithSession } from './support/console-browser.ts';

let api: TestApi;
let built: Awaited<ReturnType<typeof buildConsole>>;
let browser: Browser;
let sites: TestSites;
let proxy: TestProxy;

before(async () => {
  built = await buildConsole();
  sites = await startTestSites();
  proxy = await startTestProxy({ sites });
  // The node's hook, as npm start wires it: a save reaches the running proxy's words in force.
  api = await startTestApi({ console: built.dist, onBlockPageTextChanged: (schoolId, text, savedAt) => proxy.service.blockPage.onSaved(schoolId, text, savedAt) });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await api?.close();
  await proxy?.stop();
  await sites?.close();
  await built?.[Symbol.asyncDispose]();
});

/** A plain-HTTP GET through the proxy (absolute-form request line), as a browser set to use it sends. */
function getThroughProxy(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'GET', path: url, headers: { host: new URL(url).host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a headteacher words the block page; the proxy shows the new words, escaped', async () => {
  const blocked = `http://www.bet365.com:${sites.httpPort}/odds`;
  const before = await getThroughProxy(blocked);
  assert.equal(before.status, 403);
  assert.match(before.body, /<h1>This site is blocked<\/h1>/, 'the built-in words first');

  const head = await api.signIn('headteacher');
  const page = await pageWithSession(browser, api.url, head.cookie!, '/settings');
  const section = page.getByRole('region', { name: 'Block page' });
  await section.waitFor();
  await section.getByLabel('Heading').fill('Not <b>available</b> in school');
  await section.getByLabel('Explanation (optional)').fill('We filter the web to keep you safe.\n<script>alert(1)</script> is just text.');
  await section.getByLabel('Who to talk to').fill('Talk to your class teacher or the school office.');
  const preview = section.getByTestId('block-preview');
  assert.match((await preview.textContent())!, /Not <b>available<\/b> in school.*<script>alert\(1\)<\/script> is just text\..*Talk to your class teacher/);
  assert.equal(await preview.locator('b, script').count(), 0, 'the preview shows markup as text');
  const violations = await captureAndCheck(page, 'settings-block-page');
  assert.equal(violations.length, 0, describeViolations(violations));
  await section.getByRole('button', { name: 'Save the block page' }).click();
  await page.getByRole('status').filter({ hasText: 'Block page saved' }).waitFor();

  const after = await getThroughProxy(blocked);
  assert.equal(after.status, 403);
  assert.match(after.body, /<title>Not &lt;b&gt;available&lt;\/b&gt; in school<\/title>/);
  assert.match(after.body, /<h1>Not &lt;b&gt;available&lt;\/b&gt; in school<\/h1>/);
  assert.match(after.body, /<p>We filter the web to keep you safe\.<\/p>\n<p>&lt;script&gt;alert\(1\)&lt;\/script&gt; is just text\.<\/p>/);
  assert.match(after.body, /<p>Talk to your class teacher or the school office\.<\/p>/);
  assert.match(after.body, /category: <strong>Gambling<\/strong>/, 'the category line is still Ringfence’s');
  assert.doesNotMatch(after.body, /<b>|<script/);

  // The same page in Chromium through the proxy: the words as text, nothing run.
  const context = await browser.newContext({ viewport: DESKTOP, proxy: { server: proxy.url, bypass: '<-loopback>' } });
  const pupil = await context.newPage();
  const shown = await pupil.goto(blocked);
  assert.equal(shown?.status(), 403);
  assert.equal(await pupil.locator('h1').innerText(), 'Not <b>available</b> in school');
  assert.equal(await pupil.locator('script, main b').count(), 0);
  await pupil.screenshot({ path: 'test-artifacts/proxy-block-page-school-text.png', fullPage: true });
  await context.close();

  // Putting back the built-in words puts back today's page.
  await section.getByRole('button', { name: 'Use the built-in words' }).click();
  await section.getByRole('button', { name: 'Save the block page' }).click();
  await page.getByRole('status').filter({ hasText: 'built-in words' }).waitFor();
  assert.match((await getThroughProxy(blocked)).body, /<h1>This site is blocked<\/h1>/);
  await page.context().close();
});
