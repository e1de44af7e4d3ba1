// node --import tsx bench/dns/profile-top.ts FILE.cpuprofile [N] [--from-ms A --to-ms B]
// The hottest functions of a V8 CPU profile (from `npm run bench:dns -- --cpu-prof DIR`, or any
// node --cpu-prof run): self time and inclusive time per function, optionally only for samples
// between A and B ms after the profile started (to pick one phase of a run).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function key(n: ProfileNode): string {
  const { functionName, url, lineNumber } = n.callFrame;
  // tsx's transpiled sources report line 1 for everything: name the file only.
  const where = url.startsWith('file://') ? relative(REPO, fileURLToPath(url)) : url ? `${url}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

export function summarise(profile: Profile, top: number, fromMs = 0, toMs = Infinity): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let t = 0;
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const ms = t / 1000;
    if (ms < fromMs || ms > toMs) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0; // time until the next sample is this sample's weight
    all += dt;
    let id: number | undefined = profile.samples[i]!;
    const leaf = byId.get(id)!;
    self.set(key(leaf), (self.get(key(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    while (id !== undefined) {
      const k = key(byId.get(id)!);
      if (!seen.has(k)) {
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + dt);
      }
      id = parent.get(id);
    }
  }
  const fmt = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${((v / Math.max(1, all)) * 100).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  return [`${(all / 1000).toFixed(0)} ms sampled`, 'self time:', ...fmt(self), 'inclusive time:', ...fmt(total)];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name: string): number | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const file = args[0];
  if (!file) {
    process.stderr.write('usage: node --import tsx bench/dns/profile-top.ts FILE.cpuprofile [N] [--from-ms A --to-ms B]\n');
    process.exit(2);
  }
  const n = args[1] && /^\d+$/.test(args[1]) ? Number(args[1]) : 25;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  process.stdout.write(summarise(profile, n, opt('--from-ms'), opt('--to-ms')).join('\n') + '\n');
}
