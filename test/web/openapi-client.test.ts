// The console's typed client is generated from the route list: this fails when a route changed
// and web/src/api/openapi.json or schema.d.ts were not regenerated (npm run build:web does it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { clientFiles, OPENAPI_JSON, SCHEMA_TS } from '../../scripts/write-openapi.ts';

test('the generated OpenAPI document and client types match the routes', async () => {
  const { json, types } = await clientFiles();
  const hint = 'regenerate with: node --import tsx scripts/write-openapi.ts';
  assert.ok(readFileSync(OPENAPI_JSON, 'utf8') === json, `web/src/api/openapi.json is out of date; ${hint}`);
  assert.ok(readFileSync(SCHEMA_TS, 'utf8') === types, `web/src/api/schema.d.ts is out of date; ${hint}`);
  // What the console relies on is in it: the session and the policy routes, with their access rules.
  const document = JSON.parse(json) as { paths: Record<string, Record<string, { 'x-access': string }>> };
  assert.equal(document.paths['/api/session']!.post!['x-access'], 'public');
  assert.equal(document.paths['/api/schools/{schoolId}/policy/draft']!.put!['x-access'], 'policy:edit');
  assert.match(types, /"\/api\/explain": \{/);
});
