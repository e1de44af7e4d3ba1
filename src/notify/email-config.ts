// The email (SMTP) settings, parsed and checked: from a config file or environment variables, so
// numbers and booleans may arrive as text. The password is never quoted back in errors.
import { z } from 'zod';
import { ErrorCodes, RingfenceError } from '../core/errors.ts';
import { formatZodError } from '../core/policy/validate.ts';

const Flag = z.union([z.boolean(), z.stringbool()]);

export const EmailConfigSchema = z
  .object({
    /** The SMTP server's name or address. */
    host: z.string().trim().min(1, 'the SMTP server is required'),
    /** 587 (submission, STARTTLS) unless told otherwise; 465 with `secure`. */
    port: z.coerce.number().int().min(1).max(65535).default(587),
    /** TLS from the first byte (port 465); otherwise the connection is upgraded with STARTTLS. */
    secure: Flag.default(false),
    /** Refuse to send unless the connection is encrypted (on by default; off only for a relay on the same host). */
    requireTls: Flag.default(true),
    /** The sender, e.g. "Ringfence <filtering@school.example>". */
    from: z.string().trim().min(3).max(320).refine((s) => /^[^\r\n]*@[^\r\n]*$/.test(s), 'an email address (one line, with an @)'),
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** Connect, greeting and socket timeouts: a stuck server never holds a decision for long. */
    timeoutMs: z.coerce.number().int().min(100).max(120_000).default(10_000),
  })
  .strict()
  .refine((c) => (c.user === undefined) === (c.password === undefined), { message: 'give both user and password, or neither', path: ['user'] });

export type EmailConfig = z.infer<typeof EmailConfigSchema>;

export function parseEmailConfig(input: unknown): EmailConfig {
  const result = EmailConfigSchema.safeParse(input);
  if (!result.success) throw new RingfenceError(ErrorCodes.NOTIFY_CONFIG_INVALID, `the email settings are not valid: ${formatZodError(result.error)}`);
  return result.data;
}
