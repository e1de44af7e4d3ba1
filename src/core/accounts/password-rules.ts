// What a password must be. Passwords are NFC-normalised before hashing and before verifying, so
// "é" typed as one code point or as "e" + accent (macOS vs Windows keyboards) is the same password.
import { ErrorCodes, RingfenceError } from '../errors.ts';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

/** The form a password is hashed and verified in. */
export function normalisePassword(password: string): string {
  return password.normalize('NFC');
}

/** The first rule the password breaks, in words, or null when it is acceptable. Lengths count characters (code points). */
export function passwordProblem(password: string): string | null {
  const length = [...normalisePassword(password)].length;
  if (length < PASSWORD_MIN) return `the password must be at least ${PASSWORD_MIN} characters long (it has ${length})`;
  if (length > PASSWORD_MAX) return `the password must be at most ${PASSWORD_MAX} characters long (it has ${length})`;
  if (/^\p{White_Space}*$/u.test(password)) return 'the password must not be only spaces';
  // RFC 7617: Basic credentials carry no control characters, so such a password could never sign in.
  if (/\p{Cc}/u.test(password)) return 'the password must not contain control characters (tabs, line breaks, …)';
  return null;
}

/** The normalised password; throws RF_PASSWORD_INVALID naming the rule broken. Never quotes the password. */
export function checkPassword(password: string): string {
  const problem = passwordProblem(password);
  if (problem) throw new RingfenceError(ErrorCodes.PASSWORD_INVALID, problem);
  return normalisePassword(password);
}
