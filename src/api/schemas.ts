// Zod schemas shared by several routes: ids, path parameters, and the presenters (allow-lists of
// fields) for records more than one route answers with.
import { z } from 'zod';
import { ROLES } from '../core/access/roles.ts';

export const Id = z.string().regex(/^[0-9a-fA-F-]{36}$/, 'must be an id such as 0190f3c2-…').toLowerCase();
export const Instant = z.iso.datetime({ offset: true });

export const SchoolParams = z.object({ schoolId: Id });

export const School = z.object({
  id: z.string(),
  name: z.string(),
  reference: z.string().nullable(),
  timeZone: z.string(),
  responsibleBodyId: z.string().nullable(),
  createdAt: z.string(),
});

export const Decision = z.object({
  action: z.enum(['allow', 'block']),
  alert: z.boolean(),
  verdict: z.string().nullable(),
  tier: z.string(),
  rule: z.string().nullable(),
  category: z.string().nullable(),
  list: z.string().nullable(),
  reason: z.string(),
});

export const Ok = z.object({ ok: z.literal(true) });

/** A console account as the API shows it: never its password hash or authenticator secret. */
export const ConsoleAccount = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  role: z.enum(ROLES),
  scope: z.array(z.string()),
  mfaEnrolled: z.boolean(),
  disabled: z.boolean(),
});
