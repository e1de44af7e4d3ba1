// The proxy's situations → the pages in src/proxy/pages, with the policy's own words for categories
// and the console's address for the block page's links.
import type { BlockPageText } from '../core/org/block-page-text.ts';
import type { Decision } from '../core/policy/decision.ts';
import type { LiveEnforcement } from '../services/live-enforcement.ts';
import type { RequestTrace } from './activity.ts';
import type { ErrorKind, ProxyPages } from './context.ts';
import { blockPage } from './pages/block-page.ts';
import { errorPage, type ErrorPageKind } from './pages/error-page.ts';

const PAGE_KIND: Readonly<Record<ErrorKind, ErrorPageKind>> = {
  'bad-request': 'bad-request',
  'expectation-failed': 'expectation-failed',
  'not-implemented': 'not-implemented',
  'port-not-allowed': 'port-not-allowed',
  'auth-required': 'auth-required',
  throttled: 'too-many-connections',
  'too-many-connections': 'too-many-connections',
  'upstream-unreachable': 'upstream-unreachable',
  'upstream-timeout': 'upstream-timeout',
  'name-not-found': 'upstream-unreachable',
  'not-a-proxy-request': 'bad-request',
};

const NOT_A_PROXY_REQUEST = 'This is the school’s web proxy. Set it as your browser’s proxy, or point the browser at /proxy.pac.';

function pathOf(t: RequestTrace): string | null {
  if (t.url === undefined) return null;
  const afterScheme = t.url.indexOf('//');
  const slash = t.url.indexOf('/', afterScheme + 2);
  return slash < 0 ? '/' : t.url.slice(slash);
}

/** `schoolText`: the school's block page words in force, read from memory on each block (never the database). */
export function proxyPages(enforcement: LiveEnforcement, consoleUrl: string, now: () => number, schoolText?: () => BlockPageText): ProxyPages {
  const timeZone = () => enforcement.current().engine.compiled.policy.school.timeZone;
  return {
    blocked(t: RequestTrace, decision: Decision) {
      const categories = enforcement.current().engine.compiled.policy.categories;
      const category = decision.category === null ? undefined : categories[decision.category];
      return blockPage({
        url: t.url ?? `https://${t.host}/`,
        host: t.host,
        path: pathOf(t),
        category: decision.category,
        categoryTitle: category?.title ?? null,
        categoryDescription: category?.description ?? null,
        requestId: t.ref,
        time: now(),
        consoleUrl,
        timeZone: timeZone(),
        ...(schoolText ? { school: schoolText() } : {}),
      });
    },
    error(kind: ErrorKind, t: RequestTrace, detail: string) {
      return errorPage(PAGE_KIND[kind], {
        host: t.host || null,
        path: pathOf(t),
        url: t.url ?? null,
        reason: kind === 'not-a-proxy-request' ? NOT_A_PROXY_REQUEST : kind === 'throttled' ? `Too many wrong sign-ins from this device: ${detail}.` : detail,
        requestId: t.ref,
        time: now(),
        consoleUrl,
        timeZone: timeZone(),
      });
    },
  };
}
