// The pages in a real browser (Debian's Chromium through playwright-core), served with their own
// headers from loopback: the CSP lets the stylesheet apply and blocks nothing else the page needs,
// nothing else is fetched, the text has strong contrast, and the page fits a phone and a desktop.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { blockPage } from '../../../src/proxy/pages/block-page.ts';
import { errorPage } from '../../../src/proxy/pages/error-page.ts';
import type { HtmlPage } from '../../../src/proxy/pages/layout.ts';

const longHost = `${'a'.repeat(63)}.${'b'.repeat(63)}.example.test`;
const PAGES: Record<string, HtmlPage> = {
  '/block': blockPage({
    url: `http://${longHost}/${'p'.repeat(300)}`, host: longHost, path: `/${'very-long-path-segment/'.repeat(10)}`,
    category: 'filter-bypass', requestId: '0f9c2d7e-4b1a-4c3e-9d8f-2a6b5c4d3e2f', time: Date.UTC(2025, 2, 3, 10, 0),
    consoleUrl: 'https://console.school.test/',
  }),
  '/error': errorPage('upstream-unreachable', {
    host: longHost, url: `http://${longHost}/`, reason: `<script>alert(1)</script>${'x'.repeat(200)}`, requestId: 'req-42', time: 0,
    consoleUrl: 'https://console.school.test/',
  }),
};

let server: http.Server;
let origin: string;
let browser: Browser;
const requests: string[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const page = PAGES[req.url ?? ''];
    if (!page) return void res.writeHead(404).end();
    res.writeHead(page.status, page.headers).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server.close(resolve));
});

interface Measured {
  lang: string;
  scrollWidth: number;
  innerWidth: number;
  mainMaxWidth: string;
  mainWidth: number;
  buttonHeight: number;
  minFontPx: number;
  contrasts: { text: string; ratio: number }[];
}

// The little of the DOM that measure() uses (the project compiles without the DOM library).
interface Box { width: number; height: number }
interface Node_ { nodeType: number; textContent: string | null }
interface El extends Node_ { parentElement: El | null; childNodes: ArrayLike<Node_>; getBoundingClientRect(): Box }
interface Win {
  document: { documentElement: El & { lang: string; scrollWidth: number }; querySelectorAll(s: string): ArrayLike<El>; querySelector(s: string): El | null };
  innerWidth: number;
  getComputedStyle(el: El): { color: string; backgroundColor: string; fontSize: string; maxWidth: string };
}

/** In the page: layout, font sizes, and the contrast of every text element against its background. */
function measure(): Measured {
  const w = globalThis as unknown as Win;
  const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
  const lum = ([r, g, b]: number[]): number => {
    const f = (v: number): number => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
  };
  const background = (from: El | null): number[] => {
    for (let el = from; el; el = el.parentElement) {
      const c = rgb(w.getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const texts = Array.from(w.document.querySelectorAll('body *')).filter((el) => Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim() !== ''));
  const contrasts = texts.map((el) => {
    const [a, b] = [lum(rgb(w.getComputedStyle(el).color)), lum(background(el))];
    return { text: el.textContent!.slice(0, 40), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
  });
  const main = w.document.querySelector('main')!;
  return {
    lang: w.document.documentElement.lang,
    scrollWidth: w.document.documentElement.scrollWidth,
    innerWidth: w.innerWidth,
    mainMaxWidth: w.getComputedStyle(main).maxWidth,
    mainWidth: main.getBoundingClientRect().width,
    buttonHeight: w.document.querySelector('a.button')?.getBoundingClientRect().height ?? 44,
    minFontPx: Math.min(...texts.map((el) => parseFloat(w.getComputedStyle(el).fontSize))),
    contrasts,
  };
}

for (const path of Object.keys(PAGES)) {
  test(`${path}: fits a phone and a desktop, readable, nothing blocked or fetched`, async () => {
    for (const viewport of [{ width: 360, height: 740 }, { width: 1280, height: 800 }]) {
      const context = await browser.newContext({ viewport });
      // tsx names functions with a __name helper; give measure() one in the page (CDP, not a page script).
      await context.addInitScript('globalThis.__name = (f) => f');
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        // The page's own status (403, 502) is reported as a failed load: expected.
        if ((m.type() === 'error' || m.type() === 'warning') && !m.text().includes('the server responded with a status of')) problems.push(m.text());
      });
      const fetched: string[] = [];
      page.on('request', (r) => fetched.push(r.url()));
      const response = await page.goto(`${origin}${path}`);
      assert.equal(response?.status(), PAGES[path]!.status);
      const m = await page.evaluate(measure);
      await context.close();

      const where = `${path} at ${viewport.width}px`;
      assert.deepEqual(problems, [], `${where}: no CSP violations or other errors`);
      assert.deepEqual(fetched, [`${origin}${path}`], `${where}: only the page itself is fetched`);
      assert.equal(m.lang, 'en');
      assert.equal(m.mainMaxWidth, '640px', `${where}: the stylesheet applied (its hash is in the CSP)`);
      assert.ok(m.scrollWidth <= m.innerWidth, `${where}: no sideways scrolling (${m.scrollWidth} > ${m.innerWidth})`);
      assert.ok(m.mainWidth <= 640 && m.mainWidth >= Math.min(320, viewport.width - 40), `${where}: main is ${m.mainWidth}px`);
      assert.ok(m.buttonHeight >= 44, `${where}: the button is a comfortable tap target`);
      assert.ok(m.minFontPx >= 16, `${where}: smallest text is ${m.minFontPx}px`);
      assert.ok(m.contrasts.length >= 8);
      for (const c of m.contrasts) assert.ok(c.ratio >= 7, `${where}: contrast ${c.ratio.toFixed(2)} for ${JSON.stringify(c.text)}`);
    }
  });
}

test('the server saw only the page requests', () => {
  assert.ok(requests.every((r) => r in PAGES), JSON.stringify(requests));
});
