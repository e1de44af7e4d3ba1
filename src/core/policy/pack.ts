// A policy pack states the school's table of content → verdict; this turns it into ordered rules.
import { z } from 'zod';
import { ErrorCodes, RingfenceError } from '../errors.ts';
import { Policy, type PolicyInput, type Rule } from './schema.ts';
import { formatZodError } from './validate.ts';

const Id = z.string().regex(/^[a-z0-9][a-z0-9._:/-]*$/);

const PackRow = z
  .object({
    row: z.number().int().positive(),
    content: z.string(),
    verdict: z.enum(['T', 'N', 'U', 'I']),
    category: Id,
    /** For T and N rows: who may, and when. */
    allowed: z.object({ who: z.array(Id).optional(), when: Id.optional() }).strict().optional(),
  })
  .strict();
export type PackRow = z.infer<typeof PackRow>;

const PackCategory = z
  .object({
    title: z.string(),
    description: z.string(),
    lists: z.array(z.string()).default([]),
    usage: z.enum(['block', 'allow']).default('block'),
    why: z.string(),
  })
  .strict();

export const Pack = z
  .object({
    format: z.literal(1),
    school: z.unknown(),
    groups: z.unknown(),
    schedules: z.unknown(),
    calendar: z.unknown(),
    allow: z.array(z.object({ category: Id, why: z.string() }).strict()),
    alsoLocked: z.array(Id).default([]),
    rows: z.array(PackRow).min(1),
    categories: z.record(Id, PackCategory),
    default: z.unknown(),
    safeSearch: z.unknown(),
  })
  .strict();
export type Pack = z.infer<typeof Pack>;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function rowRules(row: PackRow): PolicyInput['rules'] {
  const id = `row-${pad(row.row)}-${row.category}`;
  const label = `Row ${row.row}: ${row.content}`;
  const what = { categories: [row.category] };
  const block = { id, name: label, who: 'anyone' as const, what, action: 'block' as const, verdict: row.verdict as Rule['verdict'] };
  switch (row.verdict) {
    case 'I':
      return []; // the locked tier, not a rule
    case 'U':
      return [block];
    case 'T':
    case 'N': {
      const who = row.allowed?.who;
      const when = row.allowed?.when;
      if (row.verdict === 'N' && !who) throw invalidPack(`row ${row.row} is N but names no nominated groups (allowed.who)`);
      if (row.verdict === 'T' && !when) throw invalidPack(`row ${row.row} is T but names no schedule (allowed.when)`);
      const whoWords = who ? `for ${who.join(', ')}` : '';
      const whenWords = when ? `during ${when}` : '';
      return [
        {
          id: `${id}-allowed`,
          name: `${label}: allowed ${[whoWords, whenWords].filter(Boolean).join(' ')}`,
          who: who ? { groups: who } : ('anyone' as const),
          what,
          when: when ? { schedule: when } : ('always' as const),
          action: 'allow' as const,
          verdict: row.verdict,
        },
        { ...block, name: `${label}: blocked otherwise` },
      ];
    }
  }
}

function invalidPack(message: string): RingfenceError {
  return new RingfenceError(ErrorCodes.POLICY_INVALID, `policy pack: ${message}`);
}

/** Parses a pack (as read from YAML) and builds the policy it describes. */
export function policyFromPack(input: unknown): Policy {
  const parsed = Pack.safeParse(input);
  if (!parsed.success) throw invalidPack(formatZodError(parsed.error));
  const pack = parsed.data;
  for (const ref of [...pack.rows.map((r) => r.category), ...pack.allow.map((a) => a.category), ...pack.alsoLocked]) {
    if (!pack.categories[ref]) throw invalidPack(`category "${ref}" is used but not defined under categories`);
  }
  const allowRules: PolicyInput['rules'] = pack.allow.map((a) => ({
    id: `allow-${a.category}`,
    name: `Allow-list: ${pack.categories[a.category]!.title}`,
    who: 'anyone' as const,
    what: { categories: [a.category] },
    action: 'allow' as const,
    verdict: 'A' as const,
  }));
  const locked = [...new Set([...pack.rows.filter((r) => r.verdict === 'I').map((r) => r.category), ...pack.alsoLocked])];
  const policy: PolicyInput = {
    format: 1,
    school: pack.school as PolicyInput['school'],
    groups: pack.groups as PolicyInput['groups'],
    schedules: pack.schedules as PolicyInput['schedules'],
    calendar: pack.calendar as PolicyInput['calendar'],
    categories: Object.fromEntries(
      Object.entries(pack.categories).map(([id, c]) => [id, { title: c.title, description: c.description, lists: c.lists, usage: c.usage }]),
    ),
    locked: { categories: locked },
    rules: [...allowRules, ...pack.rows.flatMap(rowRules)],
    default: pack.default as PolicyInput['default'],
    safeSearch: pack.safeSearch as PolicyInput['safeSearch'],
  };
  const result = Policy.safeParse(policy);
  if (!result.success) throw invalidPack(formatZodError(result.error));
  return result.data;
}
