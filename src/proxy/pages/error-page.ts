// Error pages with the block page's look: a site that cannot be reached, a request refused as
// malformed, too many connections, sign-in needed… Every value shown is escaped.
import { shorten } from './escape.ts';
import { element, facts, fill, html, link, renderPage, text, type Html, type HtmlPage } from './layout.ts';
import { CONSOLE_PATHS, consoleLink, formatTime, shownSite } from './block-page.ts';
import { PAGE_TEXT, type ErrorPageKind, type PageText } from './text.ts';

export type { ErrorPageKind } from './text.ts';

/** The HTTP status each kind of page is sent with. */
export const ERROR_STATUS: Readonly<Record<ErrorPageKind, number>> = {
  'bad-request': 400,
  'port-not-allowed': 403,
  'not-found': 404,
  'method-not-allowed': 405,
  'auth-required': 407,
  'request-timeout': 408,
  'expectation-failed': 417,
  'too-many-connections': 429,
  'headers-too-large': 431,
  'not-implemented': 501,
  'upstream-unreachable': 502,
  'service-unavailable': 503,
  'upstream-timeout': 504,
};

/** Reasons longer than this are cut on the page. */
const MAX_REASON = 300;

export interface ErrorDetails {
  /** The site's host, when known. */
  readonly host?: string | null;
  /** Path and query, shown shortened after the host. */
  readonly path?: string | null;
  /** The URL as requested, for the "report a problem" link. */
  readonly url?: string | null;
  readonly port?: number | null;
  /** Why, in plain words (e.g. a request check's reason). */
  readonly reason?: string | null;
  readonly requestId?: string | null;
  /** ms since the epoch. */
  readonly time?: number | null;
  readonly timeZone?: string;
  /** With a console URL the page links to "report a problem". */
  readonly consoleUrl?: string | null;
  readonly text?: PageText;
}

/**
 * The page for `kind`. Headers the status needs (Proxy-Authenticate for 407, Allow for 405,
 * Retry-After for 429/503) are the caller's to add: they depend on its configuration.
 */
export function errorPage(kind: ErrorPageKind, details: ErrorDetails = {}): HtmlPage {
  const t = details.text ?? PAGE_TEXT;
  const words = t.errors[kind];
  const values = {
    host: text(details.host ? details.host : 'this site'),
    port: text(details.port === null || details.port === undefined ? '' : String(details.port)),
  };
  const requestId = details.requestId ?? null;
  const parts: Html[] = [
    element('p', fill(words.explain, values), 'lead'),
    element('p', fill(words.advice, values)),
    facts([
      [t.facts.site, details.host ? shownSite(details.host, details.path) : null],
      [t.facts.details, details.reason ? shorten(details.reason, MAX_REASON) : null],
      [t.facts.time, details.time === null || details.time === undefined ? null : formatTime(details.time, details.timeZone)],
      [t.facts.reference, requestId, true],
    ]),
  ];
  if (details.consoleUrl) {
    const report = consoleLink(details.consoleUrl, CONSOLE_PATHS.report, { url: shorten(details.url ?? '', 2048), ref: requestId ?? '', problem: kind });
    parts.push(element('ul', element('li', html([link(report, t.reportLink), element('span', text(t.reportWho), 'who')])), 'actions'));
  }
  if (requestId) parts.push(element('p', text(t.referenceHelp), 'small'));
  return renderPage({ status: ERROR_STATUS[kind], title: words.title, band: t.footer, content: html(parts.filter((p) => p !== '').map((p) => `${p}\n` as Html)) });
}
