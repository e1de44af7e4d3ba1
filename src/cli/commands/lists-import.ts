// `ringfence lists import`: imports a UT1 tree/archive or one hosts/domains/adblock file, then rebuilds the snapshot.
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import type { ListFormat } from '../../core/lists/entry.ts';
import { importLists, LIST_FORMATS } from '../../services/lists/import.ts';
import { rebuildSnapshot } from '../../server/wiring.ts';
import { FileListStore } from '../../storage/files/list-store.ts';
import type { Command } from '../command.ts';
import { formatImportReport, formatRebuild } from './lists-report.ts';

function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export const listsImportCommand: Command = {
  usage: '--format ut1|hosts|domains|adblock --path P [--category C] [--name N] [--illegal] [--usage allow|block]',
  options: {
    format: { type: 'string' },
    path: { type: 'string' },
    category: { type: 'string' },
    name: { type: 'string' },
    illegal: { type: 'boolean', default: false },
    usage: { type: 'string' },
  },
  async run({ values }, ctx) {
    const format = stringOption(values, 'format');
    if (format === undefined || !(LIST_FORMATS as readonly string[]).includes(format)) {
      throw new RingfenceError(
        ErrorCodes.ARGUMENT_INVALID,
        format === undefined ? `--format is required (${LIST_FORMATS.join('|')})` : `--format must be one of ${LIST_FORMATS.join(', ')}, not ${quoteInput(format)}`,
        format,
      );
    }
    const path = stringOption(values, 'path');
    if (!path) throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, '--path is required: the list file, UT1 folder or UT1 .tar.gz to import');
    const usage = stringOption(values, 'usage');
    if (usage !== undefined && usage !== 'allow' && usage !== 'block') {
      throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `--usage must be allow or block, not ${quoteInput(usage)}`, usage);
    }
    const store = new FileListStore(ctx.dataDir);
    const report = await importLists(
      {
        format: format as ListFormat,
        path,
        category: stringOption(values, 'category'),
        name: stringOption(values, 'name'),
        illegal: values.illegal === true ? true : undefined,
        usage,
      },
      { store, progress: ctx.progress, now: () => ctx.clock.now() },
    );
    for (const line of formatImportReport(report, format === 'ut1')) ctx.out(line);
    ctx.out(formatRebuild(await rebuildSnapshot(ctx.dataDir, store, ctx.progress)));
    return 0;
  },
};
