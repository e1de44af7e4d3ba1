// `ringfence audit verify` against every database: through the CLI's main() in this process, and
// once per database as a real `ringfence` process, to check the exit code a shell sees.
// (A CLI test: it lives here because test/cli/ is outside this work's area; move it there freely.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { main } from '../../../src/cli/main.ts';
import { eachDialect, type TestDatabase } from '../../support/databases.ts';
import { tempDataDir } from '../../support/cli.ts';
import { auditFixture } from './audit-fixture.ts';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** main() with DATABASE_URL set (or unset) for the duration of the call; the command reads it from the environment. */
async function ringfence(args: string[], databaseUrl: string | undefined): Promise<Run> {
  const saved = process.env.DATABASE_URL;
  if (databaseUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = databaseUrl;
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), stderrIsTTY: false, stdinIsTTY: false });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

/** The real command in its own process (asynchronously, so this process keeps serving its database). */
function ringfenceProcess(args: string[], databaseUrl: string | undefined): Promise<Run> {
  const { DATABASE_URL: _inherited, ...env } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/ringfence.mjs', ...args], { env: databaseUrl ? { ...env, DATABASE_URL: databaseUrl } : env });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const urlOf = (database: TestDatabase) => (database.config.kind === 'postgres' ? database.config.url : undefined);
const verify = (database: TestDatabase, extra: string[] = []) => ringfence(['audit', 'verify', '--data', database.dir, ...extra], urlOf(database));

test('with no database yet there is nothing to verify; a bad DATABASE_URL is bad input (exit 2)', async () => {
  const dir = tempDataDir('rf-audit-cli-');
  try {
    const none = await ringfence(['audit', 'verify', '--data', dir], undefined);
    assert.equal(none.code, 0, none.err);
    assert.match(none.out, /^no audit log yet: there is no database at .*ringfence\.db$/m);
    assert.ok(!existsSync(join(dir, 'ringfence.db')), 'verify does not create a database');
    const bad = await ringfence(['audit', 'verify', '--data', dir], 'mysql://app:s3cret@db/x');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /DATABASE_URL "mysql:\/\/app:\*\*\*@db\/x" must start with postgres:\/\/ .*\[RF_DATABASE_CONFIG_INVALID\]/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

await eachDialect('ringfence audit verify', (dialect) => {
  test('exit 0 when intact, 3 when tampered with, 2 when the key is missing', async () => {
    await using database = await dialect.open();
    const empty = await verify(database);
    assert.equal(empty.code, 0, empty.err);
    assert.match(empty.out, /audit log is empty/);

    const f = await auditFixture(database);
    await f.append(5);
    const intact = await verify(database);
    assert.equal(intact.code, 0, intact.err);
    assert.match(intact.out, /^audit log intact \((SQLite|PostgreSQL) .*\): 5 entries \(entries 1–5\); every hash, seal and link checked; the checkpoint at entry 5 matches$/m);

    await f.tamper(sql`update audit_entries set target = 'rule:other' where seq = 3`);
    const tampered = await ringfenceProcess(['audit', 'verify', '--data', database.dir], urlOf(database));
    assert.equal(tampered.code, 3, tampered.err);
    assert.match(tampered.out, /^audit log TAMPERED \(.*\): edited at entry 3: entry 3 was changed after it was written/m);
    assert.match(tampered.out, /^2 entries verified \(entries 1–2\); verification stops at the first problem$/m);

    const moved = join(database.dir, 'elsewhere.key');
    await rename(f.keyPath, moved);
    const noKey = await verify(database);
    assert.equal(noKey.code, 2);
    assert.match(noKey.err, /there is no audit key at .*audit\.key: restore it from your backup, or give its path with --key FILE \[RF_AUDIT_KEY_MISSING\]/);
    const withKey = await verify(database, ['--key', moved]);
    assert.equal(withKey.code, 3, withKey.err);
  });
});
