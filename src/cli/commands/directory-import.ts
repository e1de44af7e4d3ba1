// `ringfence directory import FILE.csv`: users and their groups, all-or-nothing.
import { readFileSync } from 'node:fs';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { mergeDirectory, parseDirectoryCsv } from '../../core/directory/directory.ts';
import { DirectoryFile } from '../../storage/files/directory-file.ts';
import { loadPolicy } from '../../storage/files/pack-files.ts';
import type { Command } from '../command.ts';

export const directoryImportCommand: Command = {
  usage: 'FILE.csv',
  options: {},
  allowPositionals: true,
  async run({ positionals }, ctx) {
    const [file, ...extra] = positionals;
    if (!file || extra.length) throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, 'give exactly one CSV file: ringfence directory import FILE.csv');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new RingfenceError(ErrorCodes.LIST_UNREADABLE, `cannot read ${file}: ${(e as Error).message}`, file);
    }
    const groups = new Set(loadPolicy(ctx.dataDir).policy.groups.map((g) => g.id));
    const { users, errors } = parseDirectoryCsv(text, groups);
    if (errors.length > 0) {
      for (const e of errors.slice(0, 20)) ctx.err(`${file}:${e.line}: ${e.message}${e.text ? `\n    ${e.text}` : ''}`);
      if (errors.length > 20) ctx.err(`… and ${errors.length - 20} more`);
      throw new RingfenceError(ErrorCodes.CSV_ROW_INVALID, `${errors.length} bad row${errors.length > 1 ? 's' : ''} in ${file}; nothing was imported (the directory is unchanged)`, file);
    }
    const store = new DirectoryFile(ctx.dataDir);
    const before = store.read();
    const existing = new Set(before.users.map((u) => u.username.toLowerCase()));
    const added = users.filter((u) => !existing.has(u.username.toLowerCase())).length;
    store.write(mergeDirectory(before, users));
    ctx.out(`imported ${users.length} users from ${file}: ${added} new, ${users.length - added} updated`);
    return 0;
  },
};
