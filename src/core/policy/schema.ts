// The policy as data: what a school edits, stores and publishes. Validated here, compiled in engine.ts.
import { z } from 'zod';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const Weekday = z.enum(WEEKDAYS);
const Clock = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time of day as HH:MM (00:00 to 24:00)');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const Id = z.string().regex(/^[a-z0-9][a-z0-9._:/-]*$/, 'lower-case letters, digits and . _ : / -').max(100);

export const Verdict = z.enum(['A', 'T', 'N', 'U', 'I']);
export type Verdict = z.infer<typeof Verdict>;

const Window = z.object({ days: z.array(Weekday).min(1), from: Clock, to: Clock }).strict();

const Schedule = z
  .object({
    title: z.string(),
    windows: z.array(Window).min(1),
    /** Only on term days that are not holidays (when the calendar lists terms). */
    termTimeOnly: z.boolean().default(true),
  })
  .strict();

const DateRange = z.object({ name: z.string(), from: Day, to: Day }).strict();

const Category = z
  .object({
    title: z.string(),
    /** Words a pupil understands, used on the block page and in reasons. */
    description: z.string(),
    /** Ids of imported lists (e.g. "ut1/gambling") that make this category. */
    lists: z.array(z.string()).default([]),
    /** Allow-lists: sites that must not be over-blocked (sex education, health, news). */
    usage: z.enum(['block', 'allow']).default('block'),
  })
  .strict();

const Who = z.union([
  z.literal('anyone'),
  z.object({ users: z.array(z.string()).default([]), groups: z.array(Id).default([]) }).strict(),
]);
const What = z.union([
  z.literal('anything'),
  z
    .object({
      categories: z.array(Id).default([]),
      lists: z.array(z.string()).default([]),
      /** A domain matches itself and its subdomains. */
      domains: z.array(z.string()).default([]),
      /** host/path: matches that path and below it, on the host and its subdomains. */
      urls: z.array(z.string()).default([]),
    })
    .strict(),
]);
const Where = z.union([
  z.literal('anywhere'),
  /** Client addresses: an address, a CIDR block or a range "a-b". */
  z.object({ addresses: z.array(z.string()).min(1) }).strict(),
]);
const When = z.union([z.literal('always'), z.object({ schedule: Id }).strict()]);

export const Rule = z
  .object({
    id: Id,
    name: z.string(),
    who: Who,
    what: What,
    where: Where.default('anywhere'),
    when: When.default('always'),
    action: z.enum(['allow', 'block']),
    /** The policy's own verdict letter this rule carries out (table 2.1), when it comes from one. */
    verdict: z.enum(['A', 'T', 'N', 'U']).nullable().default(null),
    alert: z.boolean().default(false),
    /** Time-limited rules (unblock requests) stop applying at this instant. */
    expires: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .strict();
export type Rule = z.infer<typeof Rule>;

export const Policy = z
  .object({
    format: z.literal(1),
    school: z.object({ name: z.string(), timeZone: z.string() }).strict(),
    groups: z.array(z.object({ id: Id, title: z.string() }).strict()),
    schedules: z.record(Id, Schedule),
    calendar: z.object({ terms: z.array(DateRange), holidays: z.array(DateRange) }).strict(),
    categories: z.record(Id, Category),
    /** The locked tier: categories of illegal content (verdict I). Lists marked illegal join it too. */
    locked: z.object({ categories: z.array(Id) }).strict(),
    rules: z.array(Rule),
    default: z.object({ action: z.enum(['allow', 'block']) }).strict(),
    safeSearch: z
      .object({
        required: z.boolean(),
        youtube: z.record(Id, z.enum(['strict', 'moderate', 'off'])).default({}),
      })
      .strict(),
  })
  .strict();
export type Policy = z.infer<typeof Policy>;
export type PolicyInput = z.input<typeof Policy>;
