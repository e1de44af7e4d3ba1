// The block page for plain HTTP: what was blocked and why, in words a pupil understands, with links
// to the console to ask for the site to be unblocked (teachers) or to report a problem (anyone).
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { explanationParagraphs, type BlockPageText } from '../../core/org/block-page-text.ts';
import { shorten } from './escape.ts';
import { element, facts, fill, html, link, renderPage, text, type Html, type HtmlPage } from './layout.ts';
import { PAGE_TEXT, categoryWords, type PageText } from './text.ts';

/** Console pages the links open, relative to the console's base URL (the console serves them). */
export const CONSOLE_PATHS = { unblock: 'requests/unblock', report: 'report' } as const;

/** The longest site URL passed to the console in a link. */
const MAX_LINK_URL = 2048;
/** Path and query shown on the page. */
const MAX_SHOWN_PATH = 60;

export interface BlockPageInput {
  /** The URL as requested: goes (bounded) into the console links. Any text is accepted; all is escaped. */
  readonly url: string;
  /** The host, as canonicalised. */
  readonly host: string;
  /** Path and query, shown shortened; null or '/' shows the host alone. */
  readonly path?: string | null;
  /** The decision's category id (e.g. 'gambling'); null when a rule named the site itself. */
  readonly category: string | null;
  /** The policy's title and description of the category: used for categories without plain words. */
  readonly categoryTitle?: string | null;
  readonly categoryDescription?: string | null;
  /** The request id staff find in the activity log. */
  readonly requestId: string;
  /** When the request was blocked, ms since the epoch. */
  readonly time: number;
  /** The console's base URL (validate it at start-up with checkConsoleUrl). */
  readonly consoleUrl: string;
  /** IANA time zone for the time shown; Europe/London by default. */
  readonly timeZone?: string;
  readonly text?: PageText;
  /** The school's own heading, explanation and who to talk to (escaped like everything else); the built-in words when absent. */
  readonly school?: BlockPageText;
}

/**
 * The console's base URL as links are made from it (with a trailing '/'). Throws
 * RingfenceError(URL_INVALID) when it is not an absolute http(s) URL.
 */
export function checkConsoleUrl(consoleUrl: string): string {
  let url: URL;
  try {
    url = new URL(consoleUrl);
  } catch {
    throw new RingfenceError(ErrorCodes.URL_INVALID, `console URL ${quoteInput(consoleUrl)} is not an absolute URL (expected like https://ringfence.school.example/)`, consoleUrl);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RingfenceError(ErrorCodes.URL_INVALID, `console URL ${quoteInput(consoleUrl)} must start with http:// or https://`, consoleUrl);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new RingfenceError(ErrorCodes.URL_INVALID, `console URL ${quoteInput(consoleUrl)} must not have a query, fragment or user name`, consoleUrl);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** A link into the console with the given query parameters. */
export function consoleLink(consoleUrl: string, path: string, params: Readonly<Record<string, string>>): string {
  const url = new URL(path, checkConsoleUrl(consoleUrl));
  for (const [k, v] of Object.entries(params)) if (v !== '') url.searchParams.set(k, v);
  return url.href;
}

/** "3 July 2025 at 14:05" in the school's time zone (UTC, ISO, if the zone is unknown). */
export function formatTime(time: number, timeZone = 'Europe/London'): string {
  if (!Number.isFinite(time)) return '';
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'long', timeStyle: 'short' }).format(time);
  } catch {
    return new Date(time).toISOString();
  }
}

/** Host and shortened path, as shown on pages. */
export function shownSite(host: string, path: string | null | undefined): string {
  return path && path !== '/' ? `${host}${shorten(path, MAX_SHOWN_PATH)}` : host;
}

export function blockPage(input: BlockPageInput): HtmlPage {
  const t = input.text ?? PAGE_TEXT;
  const words = categoryWords(input.category, input.categoryTitle, input.categoryDescription);
  const site = shorten(input.url, MAX_LINK_URL);
  const unblock = consoleLink(input.consoleUrl, CONSOLE_PATHS.unblock, { url: site, ref: input.requestId, category: input.category ?? '' });
  const report = consoleLink(input.consoleUrl, CONSOLE_PATHS.report, { url: site, ref: input.requestId });

  const parts: Html[] = [
    element('p', words ? fill(t.block.because, { category: element('strong', text(words.name)) }) : text(t.block.becauseNoCategory), 'lead'),
    words?.covers ? element('p', fill(t.block.covers, { covers: text(words.covers) })) : ('' as Html),
    ...(input.school ? explanationParagraphs(input.school).map((p) => element('p', text(p))) : []),
    facts([
      [t.facts.site, shownSite(input.host, input.path)],
      [t.facts.time, formatTime(input.time, input.timeZone)],
      [t.facts.reference, input.requestId, true],
    ]),
    element('h2', text(t.block.whatNow)),
    element('p', text(input.school?.whoToAsk ?? t.block.askTeacher)),
    element(
      'ul',
      html([
        element('li', html([link(unblock, t.block.unblockLink, 'button'), element('span', text(t.block.unblockWho), 'who')])),
        element('li', html([link(report, t.reportLink), element('span', text(t.reportWho), 'who')])),
      ]),
      'actions',
    ),
    element('p', text(t.referenceHelp), 'small'),
  ];
  return renderPage({ status: 403, title: input.school?.heading ?? t.block.title, band: t.footer, content: html(parts.filter((p) => p !== '').map((p) => `${p}\n` as Html)) });
}
