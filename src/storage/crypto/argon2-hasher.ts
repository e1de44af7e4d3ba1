// Passwords hashed with argon2id (@node-rs/argon2: native, runs on libuv's thread pool).
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { PasswordHasher } from '../../services/ports.ts';

// The package's Algorithm is a `const enum` declared in .d.ts only: tsx does not inline it and the
// runtime object is empty, so `Algorithm.Argon2id` would be undefined. 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** OWASP's argon2id setting: 19 MiB, 2 passes, 1 lane (about 40 ms a hash on the project machine). */
export const ARGON2_PARAMETERS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export class Argon2Hasher implements PasswordHasher {
  private readonly options: Options;

  constructor(parameters: { memoryCost: number; timeCost: number; parallelism: number } = ARGON2_PARAMETERS) {
    this.options = { ...parameters, algorithm: ARGON2ID };
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    if (!passwordHash.startsWith('$argon2')) {
      throw new RingfenceError(ErrorCodes.ACCOUNT_FILE_INVALID, `the stored password hash is not an argon2 hash (it starts ${JSON.stringify(passwordHash.slice(0, 10))})`);
    }
    try {
      return await verify(passwordHash, password);
    } catch (e) {
      throw new RingfenceError(ErrorCodes.ACCOUNT_FILE_INVALID, `the stored password hash cannot be read: ${(e as Error).message}`);
    }
  }
}
