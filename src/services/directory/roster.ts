// Importing a school's pupil or staff list: a preview first (what would change, an error per bad
// line), then the preview applied in one transaction, audited. Importing the same file again
// finds nothing to change and writes nothing.
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { parseEntityId } from '../../core/org/id.ts';
import { previewRoster, type RosterKind, type RosterPreview } from '../../core/directory/roster-import.ts';
import { validateGuest, type GuestInput, type StoredPerson } from '../../core/directory/people.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock, DirectoryRepository, IdSource } from '../ports.ts';

export interface RosterDeps {
  readonly directory: DirectoryRepository;
  readonly ids: IdSource;
  readonly clock: Clock;
  readonly audit: Pick<AuditLog, 'append'>;
  /** Who is acting, for the audit log: an account id or "system". */
  readonly actor: string;
}

export interface ImportPreview extends RosterPreview {
  readonly schoolId: string;
}

export interface ImportOptions {
  /** Remove people of this kind who are not in the file. */
  readonly replace?: boolean;
  /** When given, staff groups must be among these (the policy's groups). */
  readonly knownGroups?: ReadonlySet<string>;
}

const school = (id: string) => parseEntityId(id, 'school id', ErrorCodes.DIRECTORY_INVALID);

export async function previewImport(deps: Pick<RosterDeps, 'directory'>, schoolId: string, kind: RosterKind, csvText: string, options: ImportOptions = {}): Promise<ImportPreview> {
  const id = school(schoolId);
  const current = await deps.directory.listPeople(id);
  return { schoolId: id, ...previewRoster(kind, csvText, current, options) };
}

export interface ImportResult {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

/** Applies a preview without errors; with nothing to change it writes nothing, audit included. */
export async function applyImport(deps: RosterDeps, preview: ImportPreview): Promise<ImportResult> {
  if (preview.errors.length > 0) {
    throw new RingfenceError(ErrorCodes.DIRECTORY_IMPORT_INVALID, `the ${preview.kind} list has ${preview.errors.length} bad line(s) (first: line ${preview.errors[0]!.line}: ${preview.errors[0]!.message}); nothing was imported`);
  }
  const result = { added: preview.add.length, changed: preview.change.length, removed: preview.remove.length };
  if (result.added + result.changed + result.removed === 0) return result;
  const upsert = [...preview.add, ...preview.change.map((c) => c.after)];
  await deps.directory.writePeople(preview.schoolId, { upsert, remove: preview.remove }, deps.clock.now().toISOString(), () => deps.ids.newId());
  await deps.audit.append({
    schoolId: preview.schoolId,
    actor: deps.actor,
    action: 'directory.imported',
    target: `${preview.kind}-list`,
    details: { kind: preview.kind, replace: preview.replace, ...result },
  });
  return result;
}

export async function addGuest(deps: RosterDeps, schoolId: string, input: GuestInput): Promise<StoredPerson> {
  const id = school(schoolId);
  const now = deps.clock.now();
  const guest = validateGuest(input, now);
  const existing = await deps.directory.findPerson(id, guest.username);
  if (existing) throw new RingfenceError(ErrorCodes.DIRECTORY_CONFLICT, `the school already has a ${existing.kind} called ${quoteInput(guest.username)}`, guest.username);
  await deps.directory.writePeople(id, { upsert: [guest], remove: [] }, now.toISOString(), () => deps.ids.newId());
  await deps.audit.append({ schoolId: id, actor: deps.actor, action: 'directory.guest.added', target: `user:${guest.username}`, details: { expiresAt: guest.expiresAt } });
  return (await deps.directory.findPerson(id, guest.username))!;
}
