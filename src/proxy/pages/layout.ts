// The one look of every page the proxy writes (block page, error pages): a self-contained HTML
// document, inline CSS only, no scripts, no images, no fonts or anything else fetched, and a
// Content-Security-Policy that allows nothing but this page's own stylesheet.
import { createHash } from 'node:crypto';
import { escapeHtml } from './escape.ts';

/** HTML that is safe to put in a page: only made by the helpers below. */
export type Html = string & { readonly __html: true };

export interface HtmlPage {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Plain text, escaped. */
export function text(value: string): Html {
  return escapeHtml(value) as Html;
}

export function html(parts: readonly Html[]): Html {
  return parts.join('') as Html;
}

export function element(tag: string, content: Html, className?: string): Html {
  return `<${tag}${className ? ` class="${className}"` : ''}>${content}</${tag}>` as Html;
}

/** A link; `href` is escaped here (it carries the site's URL in its query). */
export function link(href: string, label: string, className?: string): Html {
  return `<a href="${escapeHtml(href)}"${className ? ` class="${className}"` : ''}>${escapeHtml(label)}</a>` as Html;
}

/**
 * A template from the page text with `{name}` filled: the template's own words are escaped too,
 * values are already HTML (usually text() or strong()). Unknown names are left as written.
 */
export function fill(template: string, values: Readonly<Record<string, Html>>): Html {
  let out = '';
  let last = 0;
  for (const m of template.matchAll(/\{([a-z]+)\}/g)) {
    const value = values[m[1]!];
    if (value === undefined) continue;
    out += escapeHtml(template.slice(last, m.index)) + value;
    last = m.index + m[0].length;
  }
  return (out + escapeHtml(template.slice(last))) as Html;
}

// Colours chosen for contrast of at least 7:1 for text (WCAG AAA); the layout is one column that
// fits a phone and stays a comfortable line length at 1280px.
const CSS = [
  '*{box-sizing:border-box}',
  'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
  'body{margin:0;background:#eef0f3;color:#1b1b1b;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:1.125rem;line-height:1.5;overflow-wrap:break-word}',
  '.band{background:#1d3557;color:#fff;padding:.75rem 1.25rem;font-weight:600}',
  '.band p{margin:0 auto;max-width:40rem}',
  'main{display:block;max-width:40rem;margin:1.5rem auto;padding:1.5rem 1.25rem;background:#fff;border-radius:.5rem}',
  'h1{margin:0 0 1rem;color:#1d3557;font-size:1.75rem;line-height:1.25}',
  'h2{margin:1.75rem 0 .5rem;font-size:1.25rem}',
  'p{margin:0 0 1rem}',
  '.lead{font-size:1.25rem}',
  'dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25rem 1rem;margin:0 0 1rem;padding:1rem;background:#eef0f3;border-radius:.375rem}',
  'dt{font-weight:600}',
  'dd{margin:0;min-width:0;overflow-wrap:anywhere}',
  'code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1rem}',
  '.actions{margin:0 0 1rem;padding:0;list-style:none}',
  '.actions li{margin:0 0 1rem}',
  'a{color:#0b4a91;text-decoration:underline;text-underline-offset:.15em;overflow-wrap:anywhere}',
  'a.button{display:inline-block;min-height:44px;padding:.6rem 1rem;background:#0b4a91;color:#fff;border-radius:.375rem;font-weight:600;text-decoration:none}',
  'a:focus-visible{outline:3px solid #1b1b1b;outline-offset:3px}',
  '.who{display:block;margin-top:.25rem;color:#3d3d3d;font-size:1rem}',
  '.small{color:#3d3d3d;font-size:1rem}',
  '@media (max-width:30rem){main{margin:0;border-radius:0}dl{grid-template-columns:minmax(0,1fr)}dt:not(:first-child){margin-top:.5rem}}',
].join('');

const STYLE_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

/** Nothing may load or run; only the page's own stylesheet (by its hash) applies. */
export const PAGE_CSP = `default-src 'none'; style-src '${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export interface PageParts {
  readonly status: number;
  /** Plain text: the <title> and the <h1>. */
  readonly title: string;
  /** Plain text in the band at the top. */
  readonly band: string;
  readonly content: Html;
}

export function renderPage(parts: PageParts): HtmlPage {
  const title = escapeHtml(parts.title);
  const body =
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="robots" content="noindex">\n' +
    `<title>${title}</title>\n<style>${CSS}</style>\n</head>\n<body>\n` +
    `<header class="band"><p>${escapeHtml(parts.band)}</p></header>\n<main>\n<h1>${title}</h1>\n${parts.content}</main>\n</body>\n</html>\n`;
  return {
    status: parts.status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': PAGE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    },
    body,
  };
}

/** A definition list of facts (site, time, reference…); facts with an empty value are left out. */
export function facts(rows: readonly (readonly [label: string, value: string | null | undefined, code?: boolean])[]): Html {
  const items = rows
    .filter((r) => r[1] !== null && r[1] !== undefined && r[1] !== '')
    .map(([label, value, code]) => `<dt>${escapeHtml(label)}</dt><dd>${code ? `<code>${escapeHtml(value!)}</code>` : escapeHtml(value!)}</dd>`);
  return (items.length > 0 ? `<dl>${items.join('')}</dl>` : '') as Html;
}
