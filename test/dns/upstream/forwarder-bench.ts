// Loopback throughput of the forwarder (not a test; run by hand):
//   node --import tsx test/dns/upstream/forwarder-bench.ts [seconds=4] [window=256]
// The upstream is a minimal UDP responder in a child process (echoes the query with QR=1), so the
// forwarder's process does only forwarder work; queries/s per core = queries/s ÷ its CPU share.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Forwarder } from '../../../src/dns/upstream/forwarder.ts';

const seconds = Number(process.argv[2] ?? 4);
const windowSize = Number(process.argv[3] ?? 256);

const RESPONDER = `
const s = require('node:dgram').createSocket('udp4');
s.on('message', (m, r) => { m[2] |= 0x80; m[3] |= 0x80; s.send(m, r.port, r.address); });
s.bind(0, '127.0.0.1', () => console.log(s.address().port));
`;

const child = spawn(process.execPath, ['-e', RESPONDER], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(child.stdout, 'data')) as [Buffer];
const port = Number(String(line).trim());

const f = new Forwarder({ upstreams: [{ host: '127.0.0.1', port }], localAddress: '127.0.0.1' });
let done = 0;
let failed = 0;
let stop = false;
let seq = 0;

async function worker(): Promise<void> {
  while (!stop) {
    // Distinct names: every resolve is a real exchange, none shared.
    try {
      await f.resolve(`q${seq++}.bench.test`, 1, 1, false);
      done++;
    } catch {
      failed++;
    }
  }
}

async function run(ms: number): Promise<{ qps: number; cpuShare: number }> {
  done = 0;
  failed = 0;
  stop = false;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const workers = Array.from({ length: windowSize }, worker);
  await new Promise((r) => setTimeout(r, ms));
  stop = true;
  await Promise.all(workers);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { qps: (done / wall) * 1000, cpuShare: (cpu.user + cpu.system) / 1000 / wall };
}

await run(1000); // warm-up (JIT, socket pool)
const r = await run(seconds * 1000);
const stats = f.stats();
await f.close();
child.kill();

// What one timer per query would cost instead of the sweep: a setTimeout + clearTimeout pair.
const N = 200_000;
const noop = () => {};
const t0 = performance.now();
for (let i = 0; i < N; i++) clearTimeout(setTimeout(noop, 700));
const timerNs = ((performance.now() - t0) * 1e6) / N;

console.log(JSON.stringify({
  window: windowSize,
  queriesPerSecond: Math.round(r.qps),
  forwarderCpuShare: Number(r.cpuShare.toFixed(2)),
  queriesPerSecondPerCore: Math.round(r.qps / Math.min(1, r.cpuShare)),
  microsecondsPerQuery: Number(((1e6 * Math.min(1, r.cpuShare)) / r.qps).toFixed(2)),
  failed,
  setTimeoutPairNs: Math.round(timerNs),
  stats: { sent: stats.sent, received: stats.received, timeouts: stats.timeouts, stray: stats.stray },
}, null, 1));
