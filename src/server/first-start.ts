// The first start on a data folder: the first school (from --school-name and --time-zone), the
// default policy pack published as its version 1, and the first administrator with a one-time
// sign-in. Later starts find them and change nothing. Which school this node enforces is kept in
// DATA/node.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEntityId } from '../core/org/id.ts';
import { ErrorCodes, RingfenceError } from '../core/errors.ts';
import type { School } from '../core/org/organisation.ts';
import { createSchool } from '../services/org/organisations.ts';
import { publishFirstVersion } from '../services/policy-change/first-version.ts';
import { writeFileAtomic } from '../storage/files/atomic.ts';
import { loadDefaultPack } from '../storage/files/pack-files.ts';
import type { ControlPlane } from './control-plane.ts';
import type { StartConfig } from './start-config.ts';

export interface FirstStart {
  readonly school: School;
  /** True when this start made the school. */
  readonly created: boolean;
  /** The first administrator's one-time sign-in token; null unless made by this start. */
  readonly adminToken: string | null;
}

function nodeFile(dataDir: string): string {
  return join(dataDir, 'node.json');
}

function readNodeSchool(dataDir: string): string | null {
  try {
    const parsed = JSON.parse(readFileSync(nodeFile(dataDir), 'utf8')) as { schoolId?: unknown };
    return typeof parsed.schoolId === 'string' ? parseEntityId(parsed.schoolId, 'school id in node.json', ErrorCodes.ARGUMENT_INVALID) : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export async function firstStart(plane: ControlPlane, config: Pick<StartConfig, 'dataDir' | 'schoolName' | 'timeZone'>): Promise<FirstStart> {
  const known = readNodeSchool(config.dataDir);
  let school: School | null = null;
  let created = false;
  if (known) {
    const found = await plane.organisations.findOrganisation(known);
    // Never quietly switch to another school: this node's last good policies are that school's.
    if (!found || found.kind !== 'school') {
      throw new RingfenceError(ErrorCodes.ORGANISATION_UNKNOWN, `${nodeFile(config.dataDir)} names school ${known}, which the database does not hold: restore the database, or remove node.json to take the first school`, known);
    }
    school = found;
  } else {
    school = (await plane.organisations.listSchools())[0] ?? null;
    if (!school) {
      school = await createSchool({ repository: plane.organisations, ids: plane.ids, clock: plane.clock }, { name: config.schoolName, timeZone: config.timeZone });
      created = true;
    }
    writeFileAtomic(nodeFile(config.dataDir), `${JSON.stringify({ schoolId: school.id }, null, 2)}\n`, { mode: 0o600 });
  }
  const deps = { repository: plane.policy, audit: plane.audit, ids: plane.ids, clock: plane.clock, onPublished: () => {} };
  await publishFirstVersion(deps, school.id, loadDefaultPack(), 'the default policy pack, published at the school’s first start');
  const adminToken = await plane.auth.ensureFirstAdministrator(school.id);
  return { school, created, adminToken };
}
