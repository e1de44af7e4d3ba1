// `ringfence lists compile` and `ringfence lists status`.
import { FileListStore } from '../../storage/files/list-store.ts';
import type { Command } from '../command.ts';
import { loadEnforcement, rebuildSnapshot } from '../../server/wiring.ts';

export const listsCompileCommand: Command = {
  usage: '',
  options: {},
  async run(_input, ctx) {
    const r = await rebuildSnapshot(ctx.dataDir, new FileListStore(ctx.dataDir), ctx.progress);
    ctx.out(`snapshot v${r.version}: ${r.domains} domains, ${r.urls} URLs, ${r.ips} addresses from ${r.lists} lists; ${r.bytes} bytes in ${r.millis} ms\n  ${r.path}`);
    return 0;
  },
};

export const listsStatusCommand: Command = {
  usage: '[--json]',
  options: { json: { type: 'boolean', default: false } },
  async run({ values }, ctx) {
    const { engine, snapshotPath } = await loadEnforcement(ctx.dataDir, ctx.progress);
    const s = engine.snapshot;
    const rows = s.lists.map((l, i) => ({
      id: l.id,
      category: engine.compiled.listCategory[i] ?? null,
      usage: l.usage,
      locked: engine.compiled.listLocked[i] === 1,
      domains: l.counts.domains,
      urls: l.counts.urls,
      ips: l.counts.ips,
      importedAt: l.importedAt,
    }));
    if (values.json) {
      ctx.out(JSON.stringify({ version: s.version, createdAt: s.createdAt, path: snapshotPath, domains: s.domainCount, lists: rows, warnings: engine.warnings }));
      return 0;
    }
    ctx.out(`snapshot v${s.version} (${s.createdAt}): ${s.domainCount} distinct domains\n  ${snapshotPath}\n`);
    const w = Math.max(...rows.map((r) => r.id.length));
    for (const r of rows) {
      ctx.out(`  ${r.id.padEnd(w)}  ${String(r.domains).padStart(8)} domains ${String(r.urls).padStart(6)} URLs  ${r.locked ? 'LOCKED ' : ''}${r.usage === 'allow' ? 'allow-list ' : ''}${r.category ?? '(no category)'}`);
    }
    for (const warning of engine.warnings) ctx.out(`warning: ${warning}`);
    return 0;
  },
};
