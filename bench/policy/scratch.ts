import { DnsEngine, RuleStorage, StringRuleList } from '@adguard/tsurlfilter';
import { readRealLists } from './data.ts';
const lists = readRealLists('/work/shared/data/domains');
const all = new Set<string>();
for (const l of lists) for (const n of l.names) all.add(n);
const N = Number(process.argv[2] ?? 1e6);
const names = [...all].slice(0, N);
const text = names.map((n) => `||${n}^`).join('\n');
global.gc?.(); const m0 = process.memoryUsage();
let t = performance.now();
const e = new DnsEngine(new RuleStorage([new StringRuleList(1, text, true, true, true)]));
console.log('build', names.length, (performance.now() - t).toFixed(0), 'ms');
global.gc?.(); const m1 = process.memoryUsage();
console.log('heap MB', (m1.heapUsed - m0.heapUsed) / 1e6, 'ext', (m1.external - m0.external) / 1e6);
t = performance.now(); let k = 0;
for (let i = 0; i < 300000; i++) { const r = e.match(i % 2 ? names[i]! : 'www.' + names[i]! + 'x'); if (r.basicRule) k++; }
console.log('match 300k', (performance.now() - t).toFixed(0), 'ms', k);
