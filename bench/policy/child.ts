// One isolated measurement, run by main.ts as
//   node --expose-gc --import tsx bench/policy/child.ts <ringfence|tsurlfilter> '<ChildArgs JSON>'
// Prints its result as one JSON line on stdout; progress goes to stderr.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPeer } from './peer-tsurlfilter.ts';
import { runRingfence, type ChildArgs } from './ringfence.ts';

const CHILD_PATH = fileURLToPath(import.meta.url);

function peerVersion(): string {
  const path = fileURLToPath(new URL('../../node_modules/@adguard/tsurlfilter/package.json', import.meta.url));
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function main(): void {
  const [mode, json] = process.argv.slice(2);
  const args = JSON.parse(json ?? '{}') as ChildArgs;
  const result = mode === 'ringfence' ? runRingfence(args) : mode === 'tsurlfilter' ? runPeer(args, peerVersion()) : null;
  if (result === null) throw new Error(`unknown mode ${mode}`);
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (process.argv[1] === CHILD_PATH) main();
