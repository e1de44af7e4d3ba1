// Policy validation with errors that say where in the document the problem is.
import type { z } from 'zod';
import { ErrorCodes, RingfenceError } from '../errors.ts';
import { Policy } from './schema.ts';

export function formatZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
    .join('; ');
}

/** Validates a policy document (as parsed from JSON or YAML); `source` names it in errors. */
export function parsePolicy(input: unknown, source = 'policy'): Policy {
  const result = Policy.safeParse(input);
  if (!result.success) {
    throw new RingfenceError(ErrorCodes.POLICY_INVALID, `${source} is not a valid policy: ${formatZodError(result.error)}`, source);
  }
  return result.data;
}
