// The one HTML escaper for every page the proxy writes: all text that reaches a page (hosts, URLs,
// paths, category labels, reasons, even the page text itself) goes through escapeHtml.

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Markup characters, and characters that would vanish or reorder text on screen: controls, format
// characters (bidi overrides, zero-width joiners), line/paragraph separators, lone surrogates.
const SPECIAL = /[&<>"'\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/**
 * Text → HTML safe in element content and in double- or single-quoted attribute values. Invisible
 * characters are shown as `\uXXXX`, so that "example.com\u202e" cannot pass for another name.
 */
export function escapeHtml(text: string): string {
  return text.replace(SPECIAL, (c) => ENTITIES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** At most `max` code points (never half a surrogate pair), with '…' when cut. Cut before escaping. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}
