// Request input checked against the route's zod schema; what is wrong is named, field by field.
import type { z } from 'zod';
import { ErrorCodes, RingfenceError, quoteInput } from '../core/errors.ts';

const ISSUES_SHOWN = 5;

export function parseInput(schema: z.ZodType | undefined, value: unknown, where: 'path' | 'query' | 'body'): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, ISSUES_SHOWN).map((i) => {
    const path = i.path.length ? i.path.map(String).join('.') : where;
    return `${quoteInput(path, 60)}: ${i.message}`;
  });
  const more = result.error.issues.length > ISSUES_SHOWN ? ` (and ${result.error.issues.length - ISSUES_SHOWN} more)` : '';
  throw new RingfenceError(ErrorCodes.REQUEST_INVALID, `invalid ${where}: ${issues.join('; ')}${more}`, undefined, {
    issues: result.error.issues.slice(0, 50).map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}
