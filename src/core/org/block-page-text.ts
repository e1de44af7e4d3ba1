// The parts of the block page a school may word for itself: the heading, an explanation of its own,
// and who a pupil should talk to. Plain text only: the page escapes it like every other string, so
// markup is shown as typed, never run. Lengths are bounded and control or invisible characters are
// refused (they could hide or reorder what the page says). The category line, the facts and the
// links stay Ringfence's own, so every block page still says what was blocked and why.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';

export interface BlockPageText {
  /** The page's title and first heading. */
  readonly heading: string;
  /** The school's own words under the category line; '' for none. Line breaks start new paragraphs. */
  readonly explanation: string;
  /** Who to talk to, under "What can I do?". */
  readonly whoToAsk: string;
}

export const BLOCK_PAGE_TEXT_LIMITS = { heading: 80, explanation: 600, whoToAsk: 200 } as const;

/** Today's built-in words (the same as src/proxy/pages/text.ts); an explanation is the school's to add. */
export const DEFAULT_BLOCK_PAGE_TEXT: BlockPageText = Object.freeze({
  heading: 'This site is blocked',
  explanation: '',
  whoToAsk: 'If you need this site for your school work, ask your teacher.',
});

// Controls, format characters (bidi overrides, zero-width joiners), line/paragraph separators and
// lone surrogates. The explanation may hold '\n' (after '\r\n' is made '\n'); nothing else may.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const FORBIDDEN_BUT_NEWLINE = /[\0-\x09\x0b-\x1f\x7f-\x9f\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

function invalid(message: string, input?: string): RingfenceError {
  return new RingfenceError(ErrorCodes.BLOCK_PAGE_TEXT_INVALID, message, input);
}

function field(name: keyof BlockPageText, label: string, value: unknown, options: { required: boolean; multiline: boolean }): string {
  if (typeof value !== 'string') throw invalid(`${label} must be text`);
  const normalised = options.multiline
    ? value.replace(/\r\n?/g, '\n').split('\n').map((line) => line.trim()).join('\n').replace(/\n{2,}/g, '\n').trim()
    : value.trim();
  if (options.required && normalised === '') throw invalid(`${label} must not be empty`);
  const max = BLOCK_PAGE_TEXT_LIMITS[name];
  // Counted in characters as people see them (code points), not UTF-16 units.
  const length = Array.from(normalised).length;
  if (length > max) throw invalid(`${label} is ${length} characters long; at most ${max} are allowed`, quoteInput(normalised));
  const bad = (options.multiline ? FORBIDDEN_BUT_NEWLINE : FORBIDDEN).exec(normalised);
  if (bad) {
    const code = `U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw invalid(`${label} holds an invisible or control character (${code}); use plain text only`, quoteInput(normalised));
  }
  return normalised;
}

/** Checks and tidies a school's text (trimmed; blank lines in the explanation collapsed). */
export function validateBlockPageText(input: { readonly heading?: unknown; readonly explanation?: unknown; readonly whoToAsk?: unknown }): BlockPageText {
  return {
    heading: field('heading', 'The heading', input.heading, { required: true, multiline: false }),
    explanation: field('explanation', 'The explanation', input.explanation ?? '', { required: false, multiline: true }),
    whoToAsk: field('whoToAsk', 'Who to talk to', input.whoToAsk, { required: true, multiline: false }),
  };
}

/** The explanation as paragraphs (none when empty). */
export function explanationParagraphs(text: BlockPageText): string[] {
  return text.explanation === '' ? [] : text.explanation.split('\n');
}

export function isDefaultBlockPageText(text: BlockPageText): boolean {
  return text.heading === DEFAULT_BLOCK_PAGE_TEXT.heading && text.explanation === DEFAULT_BLOCK_PAGE_TEXT.explanation && text.whoToAsk === DEFAULT_BLOCK_PAGE_TEXT.whoToAsk;
}
