// The command table lists every command without importing it; each entry's load() brings its code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../../src/cli/commands/index.ts';

test('every command entry loads a command with usage, options and run', async () => {
  const paths = commands.map((c) => c.path.join(' '));
  assert.equal(new Set(paths).size, paths.length, 'paths are unique');
  for (const entry of commands) {
    const command = await entry.load();
    assert.equal(typeof command.run, 'function', entry.path.join(' '));
    assert.equal(typeof command.usage, 'string', entry.path.join(' '));
    assert.equal(typeof command.options, 'object', entry.path.join(' '));
    assert.ok(entry.summary.length > 0);
  }
});
