// Who is behind a proxy request, from its `Proxy-Authorization` header. The proxy asks on every
// request of a keep-alive connection and argon2 costs ~40 ms, so successful verifications are
// cached for a while under an HMAC of the credentials (never the password itself), concurrent
// checks of the same credentials share one argon2 call, and failures are throttled per address.
import { tryCanonicalUsername } from '../../core/accounts/account.ts';
import { normalisePassword, PASSWORD_MAX } from '../../core/accounts/password-rules.ts';
import { parseProxyAuthorization } from '../../core/accounts/proxy-authorization.ts';
import type { AccountStore, Clock, Hmac, PasswordHasher } from '../ports.ts';
import { FailureThrottle } from './failure-throttle.ts';

export type ProxyAuthOk = { readonly kind: 'ok'; readonly username: string; readonly groups: readonly string[] };
export type ProxyAuthResult =
  /** No header: the client's address decides who it is (or the proxy asks for credentials). */
  | { readonly kind: 'none' }
  | ProxyAuthOk
  /**
   * `reason` may be shown to the client (it never tells an unknown account from a wrong password);
   * `detail` is for the log only.
   */
  | { readonly kind: 'rejected'; readonly reason: string; readonly detail: string }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

export interface ProxyAuthenticatorOptions {
  readonly store: AccountStore;
  readonly hasher: PasswordHasher;
  readonly hmac: Hmac;
  readonly clock: Clock;
  /** How long a successful verification is trusted; also how long a disabled account keeps working at most. Default 300. */
  readonly cacheSeconds?: number;
  readonly maxCacheEntries?: number;
  /** Failed attempts per client address per window before it is throttled. Default 10 per 60 s. */
  readonly maxFailures?: number;
  readonly failureWindowSeconds?: number;
  readonly maxTrackedAddresses?: number;
  /** Different credentials being verified at once; beyond this, callers are told to retry (argon2 holds 19 MiB each). */
  readonly maxVerifying?: number;
}

interface CacheEntry {
  readonly result: ProxyAuthOk;
  readonly expiresAt: number;
}

interface Verification {
  readonly username: string;
  readonly outcome: Promise<{ readonly result: ProxyAuthResult; readonly isFailure: boolean }>;
}

type Credentials =
  | { readonly ok: true; readonly username: string; readonly password: string; readonly key: string }
  | { readonly ok: false; readonly reason: string; readonly detail: string; readonly isFailure: boolean };

/** What a client is told for an unknown account or a wrong password: the same words for both. */
export const BAD_CREDENTIALS = 'wrong username or password';

const NONE: ProxyAuthResult = Object.freeze({ kind: 'none' });
const NO_ACCOUNT_PASSWORD = 'ringfence: equalise timing for unknown accounts';

export class ProxyAuthenticator {
  private readonly cacheMs: number;
  private readonly maxCacheEntries: number;
  private readonly maxVerifying: number;
  private readonly throttle: FailureThrottle;
  /** Insertion order is expiry order: every entry lives cacheMs from when it was (re)inserted. */
  private readonly cache = new Map<string, CacheEntry>();
  private readonly verifying = new Map<string, Verification>();
  /** Bumped by invalidate(): a verification that started before must not fill the cache. */
  private generation = 0;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: ProxyAuthenticatorOptions) {
    this.cacheMs = (deps.cacheSeconds ?? 300) * 1000;
    this.maxCacheEntries = deps.maxCacheEntries ?? 10_000;
    this.maxVerifying = deps.maxVerifying ?? 64;
    this.throttle = new FailureThrottle({ limit: deps.maxFailures, windowSeconds: deps.failureWindowSeconds, maxAddresses: deps.maxTrackedAddresses });
    if (!(this.cacheMs >= 0 && this.maxCacheEntries >= 1 && this.maxVerifying >= 1)) throw new RangeError('cache time, cache size and maxVerifying must be positive');
  }

  /**
   * The hot path: the cached result for these credentials, or undefined when the caller must await
   * authenticate() (no header, not cached, expired, malformed, or the address is throttled).
   */
  cached(headerValue: string | undefined, clientAddress: string): ProxyAuthOk | undefined {
    if (headerValue === undefined) return undefined;
    const now = this.now();
    // Throttled addresses get no cache hits either: else guesses could probe cached passwords for free.
    if (this.throttle.retryAfter(clientAddress, now) > 0) return undefined;
    const credentials = this.credentials(headerValue);
    return credentials.ok ? this.lookup(credentials.key, now) : undefined;
  }

  async authenticate(headerValue: string | undefined, clientAddress: string): Promise<ProxyAuthResult> {
    if (headerValue === undefined) return NONE;
    const now = this.now();
    const wait = this.throttle.retryAfter(clientAddress, now);
    if (wait > 0) return { kind: 'throttled', retryAfterSeconds: wait };
    const credentials = this.credentials(headerValue);
    if (!credentials.ok) {
      if (credentials.isFailure) this.throttle.recordFailure(clientAddress, now);
      return { kind: 'rejected', reason: credentials.reason, detail: credentials.detail };
    }
    const hit = this.lookup(credentials.key, now);
    if (hit) return hit;
    let verification = this.verifying.get(credentials.key);
    if (!verification) {
      if (this.verifying.size >= this.maxVerifying) return { kind: 'throttled', retryAfterSeconds: 1 };
      verification = this.startVerification(credentials.username, credentials.password, credentials.key);
    }
    const { result, isFailure } = await verification.outcome;
    if (isFailure) this.throttle.recordFailure(clientAddress, this.now());
    return result;
  }

  /** Forget cached sign-ins of this account now (after disabling it, changing its password or groups). */
  invalidate(username: string): void {
    const name = tryCanonicalUsername(username);
    if (name === null) return;
    this.generation++;
    for (const [key, entry] of this.cache) if (entry.result.username === name) this.cache.delete(key);
    for (const [key, v] of this.verifying) if (v.username === name) this.verifying.delete(key);
  }

  /** Forget every cached sign-in (the account store was replaced or reloaded). */
  invalidateAll(): void {
    this.generation++;
    this.cache.clear();
    this.verifying.clear();
  }

  /** Sizes of the bounded maps, for metrics and tests. */
  stats(): { cached: number; verifying: number; trackedAddresses: number } {
    return { cached: this.cache.size, verifying: this.verifying.size, trackedAddresses: this.throttle.size };
  }

  private credentials(headerValue: string): Credentials {
    const parsed = parseProxyAuthorization(headerValue);
    if (!parsed.ok) {
      const reason = `malformed Proxy-Authorization: ${parsed.reason}`;
      return { ok: false, reason, detail: reason, isFailure: false };
    }
    const username = tryCanonicalUsername(parsed.username);
    // Names that cannot be accounts, and passwords no account can have, are failed guesses that cost no argon2.
    if (username === null) return { ok: false, reason: BAD_CREDENTIALS, detail: 'unknown account (not a valid username)', isFailure: true };
    const password = normalisePassword(parsed.password);
    if (password.length > PASSWORD_MAX * 2) return { ok: false, reason: BAD_CREDENTIALS, detail: `wrong password for ${username} (longer than any password)`, isFailure: true };
    // Usernames hold no ":", so "username:password" is unambiguous.
    return { ok: true, username, password, key: this.deps.hmac(`${username}:${password}`) };
  }

  private lookup(key: string, now: number): ProxyAuthOk | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (now < entry.expiresAt) return entry.result;
    this.cache.delete(key);
    return undefined;
  }

  private startVerification(username: string, password: string, key: string): Verification {
    const generation = this.generation;
    const outcome = this.verify(username, password).then((o) => {
      if (o.result.kind === 'ok' && generation === this.generation) this.remember(key, o.result);
      return o;
    });
    const verification: Verification = { username, outcome };
    this.verifying.set(key, verification);
    void outcome.finally(() => {
      if (this.verifying.get(key) === verification) this.verifying.delete(key);
    });
    return verification;
  }

  private async verify(username: string, password: string): Promise<{ result: ProxyAuthResult; isFailure: boolean }> {
    const rejected = (reason: string, detail: string, isFailure = true) => ({ result: { kind: 'rejected' as const, reason, detail }, isFailure });
    try {
      const account = await this.deps.store.get(username);
      if (!account) {
        // Spend what a real check costs, so timing does not tell which accounts exist.
        await this.deps.hasher.verify(await this.dummy(), password);
        return rejected(BAD_CREDENTIALS, `unknown account ${username}`);
      }
      if (!(await this.deps.hasher.verify(account.passwordHash, password))) return rejected(BAD_CREDENTIALS, `wrong password for ${username}`);
      // Said only after the right password, so it reveals nothing to a guesser.
      if (account.disabled) return rejected('this account is disabled', `account ${username} is disabled`);
      const result: ProxyAuthOk = Object.freeze({ kind: 'ok', username, groups: Object.freeze([...account.groups]) });
      return { result, isFailure: false };
    } catch (e) {
      // The store or a stored hash is broken: not the client's fault, and not cached.
      return rejected('accounts cannot be checked just now; try again later', `cannot check the account ${username}: ${(e as Error).message}`, false);
    }
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.deps.hasher.hash(NO_ACCOUNT_PASSWORD).catch((e: unknown) => {
      this.dummyHash = undefined;
      throw e;
    });
    return this.dummyHash;
  }

  private remember(key: string, result: ProxyAuthOk): void {
    const now = this.now();
    this.cache.delete(key);
    for (const [k, entry] of this.cache) {
      if (this.cache.size < this.maxCacheEntries && now < entry.expiresAt) break;
      this.cache.delete(k);
    }
    this.cache.set(key, { result, expiresAt: now + this.cacheMs });
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}
