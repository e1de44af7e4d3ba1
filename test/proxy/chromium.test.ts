// Headless Chromium (Debian's, through playwright-core) browsing through the proxy to test sites on
// loopback, over HTTP and HTTPS, allowed and blocked; a screenshot of the block page is kept in
// test-artifacts/. (Blocked HTTP sites are ones Chromium does not upgrade to HTTPS by its HSTS preload
// list, which holds many adult sites.) Every name resolves to 127.0.0.1, so Chromium's own background tunnels stay local.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startTestProxy, startTestSites, type TestProxy, type TestSites } from '../support/proxy.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let sites: TestSites;
let proxy: TestProxy;
let browser: Browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  sites = await startTestSites();
  proxy = await startTestProxy({ sites });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, proxy: { server: proxy.url, bypass: '<-loopback>' } });
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await proxy?.stop();
  await sites?.close();
});

test('an allowed site loads over HTTP and over HTTPS', async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const plain = await page.goto(`http://allowed.test:${sites.httpPort}/lesson`);
  assert.equal(plain?.status(), 200);
  assert.match(await page.content(), /"url":"\/lesson"/);
  const secure = await page.goto(`https://allowed.test:${sites.httpsPort}/lesson`);
  assert.equal(secure?.status(), 200);
  assert.match(await page.content(), /"tls":true/);
  await context.close();
});

test('a blocked site over HTTP shows the block page (screenshot kept)', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const r = await page.goto(`http://www.bet365.com:${sites.httpPort}/watch?v=<script>alert(1)</script>`);
  assert.equal(r?.status(), 403);
  const heading = await page.locator('h1').innerText();
  assert.match(heading, /blocked/i);
  assert.equal(await page.locator('script').count(), 0, 'the request text is shown, never run');
  const unblock = page.getByRole('link', { name: /unblock/i });
  assert.match(String(await unblock.getAttribute('href')), /^https:\/\/console\.school\.test\/requests\/unblock\?/);
  await page.screenshot({ path: `${ARTIFACTS}/proxy-block-page.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${ARTIFACTS}/proxy-block-page-phone.png`, fullPage: true });
  await context.close();
});

test('a blocked site over HTTPS fails to connect (403 on CONNECT)', async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await assert.rejects(page.goto(`https://www.pornhub.com:${sites.httpsPort}/`), /ERR_TUNNEL_CONNECTION_FAILED/);
  await context.close();
});

test('Chromium configured by the PAC file goes through the proxy', async () => {
  const pacBrowser = await chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, `--proxy-pac-url=${proxy.url}/proxy.pac`] });
  try {
    const page = await pacBrowser.newPage();
    const before = sites.seen.length;
    const r = await page.goto(`http://pac-check.test:${sites.httpPort}/via-pac`);
    assert.equal(r?.status(), 200);
    const seen = sites.seen.slice(before).find((s) => s.url === '/via-pac');
    assert.ok(seen, 'the request reached the site');
    assert.match(String(seen.headers.via), /ringfence/, 'through the proxy');
    const blocked = await page.goto(`http://www.bet365.com:${sites.httpPort}/`);
    assert.equal(blocked?.status(), 403);
  } finally {
    await pacBrowser.close();
  }
});
