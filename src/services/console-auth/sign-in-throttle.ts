// Console sign-in limits: failures are counted per client address and per username, so neither
// one address guessing many accounts nor many addresses guessing one account get far. Wrong
// passwords, wrong TOTP codes and bad one-time tokens all count. Kept in memory (per process),
// like the proxy's throttle: a restart forgets, which an attacker cannot cause.
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { FailureThrottle } from '../accounts/failure-throttle.ts';

/** Failures per username in the window. */
export const SIGN_IN_FAILURE_LIMIT = 5;
/**
 * Failures per client address in the window: higher, because a school's staff often share one
 * address (NAT), and a pupil mistyping on purpose must not lock every teacher out of the console.
 * Still far too few for guessing passwords across many accounts.
 */
export const SIGN_IN_ADDRESS_LIMIT = 20;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

/** A key that just reached the limit: the use case writes it to the audit log (one entry per lock-out). */
export interface LockOut {
  readonly kind: 'address' | 'username';
  readonly key: string;
  readonly retryAfterSeconds: number;
}

export class SignInThrottle {
  readonly #byAddress: FailureThrottle;
  readonly #byUsername: FailureThrottle;

  constructor(options: { limit?: number; addressLimit?: number; windowSeconds?: number } = {}) {
    const windowSeconds = options.windowSeconds ?? SIGN_IN_WINDOW_SECONDS;
    this.#byAddress = new FailureThrottle({ limit: options.addressLimit ?? SIGN_IN_ADDRESS_LIMIT, windowSeconds });
    this.#byUsername = new FailureThrottle({ limit: options.limit ?? SIGN_IN_FAILURE_LIMIT, windowSeconds });
  }

  /** Throws RF_SIGN_IN_THROTTLED (details.retryAfterSeconds) when either the address or the username is locked out. */
  check(username: string | null, address: string, nowMs: number): void {
    const wait = Math.max(this.#byAddress.retryAfter(address, nowMs), username === null ? 0 : this.#byUsername.retryAfter(username, nowMs));
    if (wait > 0) {
      throw new RingfenceError(ErrorCodes.SIGN_IN_THROTTLED, `too many failed sign-ins; try again in ${describeWait(wait)}`, undefined, { retryAfterSeconds: wait });
    }
  }

  /** Counts one failure; returns the lock-outs this failure started. */
  recordFailure(username: string | null, address: string, nowMs: number): LockOut[] {
    const started: LockOut[] = [];
    const count = (throttle: FailureThrottle, kind: LockOut['kind'], key: string) => {
      const before = throttle.retryAfter(key, nowMs);
      throttle.recordFailure(key, nowMs);
      const after = throttle.retryAfter(key, nowMs);
      if (before === 0 && after > 0) started.push({ kind, key, retryAfterSeconds: after });
    };
    count(this.#byAddress, 'address', address);
    if (username !== null) count(this.#byUsername, 'username', username);
    return started;
  }

  /** After a correct sign-in the username's count starts afresh; the address's does not (it may be shared with a guesser). */
  recordSuccess(username: string): void {
    this.#byUsername.clear(username);
  }
}

function describeWait(seconds: number): string {
  return seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
