// Organisations: schools, and the trusts and local authorities that hold several of them (the
// "responsible body", as the DfE calls it). Every record Ringfence keeps belongs to a school.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import { parseEntityId } from './id.ts';

export const RESPONSIBLE_BODY_KINDS = ['trust', 'local_authority'] as const;
export type ResponsibleBodyKind = (typeof RESPONSIBLE_BODY_KINDS)[number];
export type OrganisationKind = ResponsibleBodyKind | 'school';

/** A multi-academy trust or a local authority: holds schools, has no data of its own. */
export interface ResponsibleBody {
  readonly kind: ResponsibleBodyKind;
  readonly id: string;
  readonly name: string;
  /** ISO-8601 instant. */
  readonly createdAt: string;
}

export interface School {
  readonly kind: 'school';
  readonly id: string;
  readonly name: string;
  /** The school's reference number (in England its 6-digit URN); unique when given. */
  readonly reference: string | null;
  /** IANA zone its schedules and reports use. */
  readonly timeZone: string;
  /** The trust or local authority it belongs to, if any. */
  readonly responsibleBodyId: string | null;
  /** ISO-8601 instant. */
  readonly createdAt: string;
}

export type Organisation = School | ResponsibleBody;

export const DEFAULT_TIME_ZONE = 'Europe/London';
const NAME_MAX = 200;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/-]{0,31}$/;
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

function invalid(message: string, input: string): RingfenceError {
  return new RingfenceError(ErrorCodes.ORGANISATION_INVALID, message, input);
}

export function validateOrganisationName(name: string, what: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw invalid(`${what} name is empty`, name);
  if (trimmed.length > NAME_MAX) throw invalid(`${what} name ${quoteInput(name)} is longer than ${NAME_MAX} characters`, name);
  if (CONTROL.test(trimmed)) throw invalid(`${what} name ${quoteInput(name)} contains control or invisible characters`, name);
  return trimmed;
}

export function validateSchoolReference(reference: string | null | undefined): string | null {
  if (reference === null || reference === undefined || reference.trim() === '') return null;
  const trimmed = reference.trim();
  if (!REFERENCE.test(trimmed)) {
    throw invalid(`school reference ${quoteInput(reference)} must be 1–32 letters, digits, "/" or "-" (in England, the school's URN)`, reference);
  }
  return trimmed;
}

/** The zone's canonical IANA name ("europe/london" → "Europe/London"); unknown zones refused. */
export function validateTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: timeZone.trim() }).resolvedOptions().timeZone;
  } catch {
    throw invalid(`time zone ${quoteInput(timeZone)} is not a known IANA zone (e.g. "Europe/London")`, timeZone);
  }
}

export function validateResponsibleBodyKind(kind: string): ResponsibleBodyKind {
  const found = RESPONSIBLE_BODY_KINDS.find((k) => k === kind);
  if (!found) throw invalid(`organisation kind ${quoteInput(kind)} is not one of ${RESPONSIBLE_BODY_KINDS.join(', ')}`, kind);
  return found;
}

export interface SchoolInput {
  readonly name: string;
  readonly reference?: string | null;
  /** Defaults to Europe/London. */
  readonly timeZone?: string;
  readonly responsibleBodyId?: string | null;
}

export type SchoolFields = Pick<School, 'name' | 'reference' | 'timeZone' | 'responsibleBodyId'>;

export function validateSchoolInput(input: SchoolInput): SchoolFields {
  return {
    name: validateOrganisationName(input.name, 'school'),
    reference: validateSchoolReference(input.reference),
    timeZone: validateTimeZone(input.timeZone ?? DEFAULT_TIME_ZONE),
    responsibleBodyId: input.responsibleBodyId ? parseEntityId(input.responsibleBodyId, 'trust or local authority id', ErrorCodes.ORGANISATION_INVALID) : null,
  };
}

/** Only the fields given change; `responsibleBodyId: null` takes the school out of its trust or authority. */
export function validateSchoolChanges(changes: Partial<SchoolInput>): Partial<SchoolFields> {
  const out: { -readonly [K in keyof SchoolFields]?: SchoolFields[K] } = {};
  if (changes.name !== undefined) out.name = validateOrganisationName(changes.name, 'school');
  if (changes.reference !== undefined) out.reference = validateSchoolReference(changes.reference);
  if (changes.timeZone !== undefined) out.timeZone = validateTimeZone(changes.timeZone);
  if (changes.responsibleBodyId !== undefined) {
    out.responsibleBodyId = changes.responsibleBodyId === null ? null : parseEntityId(changes.responsibleBodyId, 'trust or local authority id', ErrorCodes.ORGANISATION_INVALID);
  }
  return out;
}

export interface ResponsibleBodyInput {
  readonly kind: string;
  readonly name: string;
}

export function validateResponsibleBodyInput(input: ResponsibleBodyInput): Pick<ResponsibleBody, 'kind' | 'name'> {
  const kind = validateResponsibleBodyKind(input.kind);
  return { kind, name: validateOrganisationName(input.name, kind === 'trust' ? 'trust' : 'local authority') };
}
