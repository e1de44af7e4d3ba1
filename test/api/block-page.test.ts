// GET and PUT /api/schools/:schoolId/block-page over HTTP: the built-in words until a school saves
// its own; saving is for roles that may change the school, validated, audited and handed to the node.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_BLOCK_PAGE_TEXT, type BlockPageText } from '../../src/core/org/block-page-text.ts';
import { SqlAuditRepository } from '../../src/storage/sql/audit-repository.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
const told: { schoolId: string; text: BlockPageText }[] = [];
const path = () => `/api/schools/${api.school.id}/block-page`;

before(async () => {
  api = await startTestApi({ onBlockPageTextChanged: (schoolId, text) => void told.push({ schoolId, text }) });
});
after(() => api.close());

test('the built-in words until the school saves its own; a governor may read them', async () => {
  const governor = await api.signIn('governor');
  const r = await governor.get(path());
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { text: DEFAULT_BLOCK_PAGE_TEXT, defaults: DEFAULT_BLOCK_PAGE_TEXT, isDefault: true, updatedAt: null, limits: { heading: 80, explanation: 600, whoToAsk: 200 } });
  assert.equal((await governor.put(path(), DEFAULT_BLOCK_PAGE_TEXT)).status, 403, 'but not change them');
});

test('a headteacher saves; the text is tidied, stored, audited and handed to the node', async () => {
  const head = await api.signIn('headteacher');
  const saved = await head.put(path(), { heading: ' Not in <school> ', explanation: 'One.\r\n\r\nTwo.', whoToAsk: 'Ask the office.' });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const text = { heading: 'Not in <school>', explanation: 'One.\nTwo.', whoToAsk: 'Ask the office.' };
  assert.deepEqual(saved.body.text, text);
  assert.equal(saved.body.isDefault, false);
  assert.deepEqual((await head.get(path())).body.text, text);
  assert.deepEqual(told.at(-1), { schoolId: api.school.id, text });
  const entries = await new SqlAuditRepository(api.plane.database).entriesAfter(0, 1000);
  const entry = entries.findLast((e) => e.action === 'school.block-page.update');
  assert.equal(entry?.actor, head.accountId);
  assert.deepEqual(JSON.parse(entry!.detailsJson).after, text);
});

test('refused: control characters, too long, empty, missing fields; nothing changes', async () => {
  const manager = await api.signIn('network-manager');
  const before = (await manager.get(path())).body.text;
  const count = told.length;
  for (const [body, code] of [
    [{ heading: 'bidi\u202eflip', whoToAsk: 'x' }, 'RF_BLOCK_PAGE_TEXT_INVALID'],
    [{ heading: 'x'.repeat(81), whoToAsk: 'x' }, 'RF_BLOCK_PAGE_TEXT_INVALID'],
    [{ heading: '   ', whoToAsk: 'x' }, 'RF_BLOCK_PAGE_TEXT_INVALID'],
    [{ heading: 'x', whoToAsk: 'x', explanation: 'tab\there' }, 'RF_BLOCK_PAGE_TEXT_INVALID'],
    [{ heading: 'x' }, 'RF_REQUEST_INVALID'],
    [{ heading: 'x'.repeat(1000), whoToAsk: 'x' }, 'RF_REQUEST_INVALID'],
  ] as const) {
    const r = await manager.put(path(), body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error.code, code, JSON.stringify(r.body));
  }
  assert.deepEqual((await manager.get(path())).body.text, before);
  assert.equal(told.length, count);
});

test('teachers may read but not change; another school is not visible', async () => {
  const teacher = await api.signIn('teacher');
  assert.equal((await teacher.get(path())).status, 200);
  assert.equal((await teacher.put(path(), DEFAULT_BLOCK_PAGE_TEXT)).status, 403);
  const head = await api.signIn('headteacher');
  const elsewhere = await head.get('/api/schools/0190a6b2-7c4e-7d3a-9f00-000000000999/block-page');
  assert.equal(elsewhere.status, 404);
});
