import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('close() releases every socket and timer: the process exits by itself', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lifecycle-child.ts', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(killer);
  assert.equal(signal, null, `the child did not exit by itself; stdout: ${out} stderr: ${err}`);
  assert.equal(code, 0, err);
  assert.deepEqual(JSON.parse(out.trim()), { outcome: 'closed', open: [] });
});
