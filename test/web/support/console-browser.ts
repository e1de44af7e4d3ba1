// Headless Debian Chromium (playwright-core, never a downloaded browser) against the console
// served by a real test API: builds web/dist first, runs axe-core in a page, keeps screenshots at
// desktop and tablet widths in test-artifacts/, and records Content-Security-Policy violations.
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

const ROOT = join(import.meta.dirname, '..', '..', '..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const DESKTOP = { width: 1280, height: 900 };
export const TABLET = { width: 768, height: 1024 };

/**
 * Builds the console from the current sources into a folder of this test's own (a stale web/dist
 * would test old code, and test files running side by side must not empty each other's build).
 */
export async function buildConsole(): Promise<{ dist: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dist = await mkdtemp(join(tmpdir(), 'rf-console-'));
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
  return { dist, [Symbol.asyncDispose]: () => rm(dist, { recursive: true, force: true }) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/** axe-core's WCAG 2.x A/AA rules (2.2 included) and best practices, on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(`${AXE_SOURCE}\n;void 0`);
  // As text: this project's Node typings have no DOM.
  return page.evaluate<AxeViolation[]>(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`);
}

export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

/**
 * Screenshots of the page at 1280 px and at 768 px (test-artifacts/console-NAME-WIDTH.png), with
 * the axe violations found at either width. A modal dialog is shot as the screen shows it.
 */
export async function captureAndCheck(page: Page, name: string, { fullPage = true } = {}): Promise<AxeViolation[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const found: AxeViolation[] = [];
  for (const size of [DESKTOP, TABLET]) {
    await page.setViewportSize(size);
    found.push(...(await axeViolations(page)));
    await page.screenshot({ path: join(ARTIFACTS, `console-${name}-${size.width}.png`), fullPage });
  }
  await page.setViewportSize(DESKTOP);
  return found;
}

/** Every console message that says the Content-Security-Policy refused something. */
export function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

/** A page already signed in with an API client's session cookie, opened at the console's #path. */
export async function pageWithSession(browser: Browser, consoleUrl: string, cookie: string, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: consoleUrl, httpOnly: true, sameSite: 'Strict' }]);
  const page = await context.newPage();
  await page.goto(`${consoleUrl}/#${path}`);
  return page;
}

/**
 * Polls `check` from Node until it holds. Not `page.waitForFunction`: when its first try fails it
 * evaluates the predicate with eval in the page, which the console's CSP rightly refuses.
 */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
