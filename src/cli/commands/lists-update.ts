// `ringfence lists update`: downloads the UT1 archive, imports it, and rebuilds the snapshot.
import { rebuildSnapshot } from '../../server/wiring.ts';
import { UT1_ARCHIVE_URL, updateLists } from '../../services/lists/update.ts';
import { FileListStore } from '../../storage/files/list-store.ts';
import type { Command } from '../command.ts';
import { formatImportReport, formatRebuild } from './lists-report.ts';

export const listsUpdateCommand: Command = {
  usage: `[--url URL]   (default ${UT1_ARCHIVE_URL})`,
  options: {
    url: { type: 'string' },
  },
  async run({ values }, ctx) {
    const store = new FileListStore(ctx.dataDir);
    const url = typeof values.url === 'string' ? values.url : undefined;
    const report = await updateLists({ dataDir: ctx.dataDir, url }, { store, progress: ctx.progress, now: () => ctx.clock.now() });
    ctx.out(`downloaded ${report.url} (${report.bytes} bytes)`);
    for (const line of formatImportReport(report.imported, true)) ctx.out(line);
    ctx.out(formatRebuild(await rebuildSnapshot(ctx.dataDir, store, ctx.progress)));
    return 0;
  },
};
