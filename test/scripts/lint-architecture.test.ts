import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkArchitecture } from '../../scripts/lint-architecture.ts';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'rf-lint-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test('the repository itself passes', () => {
  assert.deepEqual(checkArchitecture('.'), []);
});

test('src/core importing node:*, a storage library or an adapter fails', () => {
  const problems = checkArchitecture(
    tree({
      'src/core/a.ts': "import { readFileSync } from 'node:fs';\nimport fs from 'fs';\nimport { Kysely } from 'kysely';\nimport { x } from '../storage/db.ts';\nconst y = await import('../dns/server.ts');\nimport { z } from 'zod';\nimport { b } from './b.ts';\n",
      'src/core/b.ts': 'export const b = 1;\n',
      'src/storage/db.ts': 'export const x = 1;\n',
      'src/dns/server.ts': 'export const s = 1;\n',
    }),
  );
  assert.equal(problems.length, 5, problems.join('\n'));
  assert.match(problems.join('\n'), /node:fs/);
  assert.match(problems.join('\n'), /kysely/);
  assert.match(problems.join('\n'), /must not import src\/storage/);
  assert.match(problems.join('\n'), /must not import src\/dns/);
});

test('use cases may not import adapters; adapters may not import each other', () => {
  const problems = checkArchitecture(
    tree({
      'src/services/a.ts': "export { s } from '../storage/s.ts';\n",
      'src/storage/s.ts': "import { p } from '../proxy/p.ts';\nexport const s = p;\n",
      'src/proxy/p.ts': 'export const p = 1;\n',
      'src/cli/main.ts': "import '../storage/s.ts';\n",
    }),
  );
  assert.equal(problems.length, 2, problems.join('\n'));
});
