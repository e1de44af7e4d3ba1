// Prints an import report: a table (UT1) or a paragraph per list, then the skipped categories and first bad lines.
import { quoteInput } from '../../core/errors.ts';
import type { ImportReport } from '../../services/lists/import.ts';

/** `asTable`: one line per list (UT1 imports), else a paragraph per list. */
export function formatImportReport(report: ImportReport, asTable: boolean): string[] {
  const out: string[] = [];
  if (!asTable) {
    for (const l of report.lists) {
      out.push(`imported ${l.id} (${l.usage}${l.category ? `, category ${l.category}` : ''}) from ${l.file}`);
      out.push(`  ${l.domains} domains, ${l.urls} urls, ${l.ips} ips; ${l.bad} bad lines skipped`);
    }
  } else {
    const rows = [['list', 'usage', 'domains', 'urls', 'ips', 'bad']];
    for (const l of report.lists) rows.push([l.id, l.usage, String(l.domains), String(l.urls), String(l.ips), String(l.bad)]);
    const sum = (k: 'domains' | 'urls' | 'ips') => String(report.lists.reduce((n, l) => n + l[k], 0));
    rows.push(['total', '', sum('domains'), sum('urls'), sum('ips'), String(report.totalBad)]);
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
    out.push(`imported ${report.lists.length} lists:`);
    rows.forEach((r, i) => {
      if (i === rows.length - 1) out.push(widths.map((w) => '-'.repeat(w)).join('  '));
      out.push(line(r));
    });
  }
  for (const s of report.skipped) out.push(`skipped ${s.name}: ${s.reason}`);
  for (const l of report.lists.filter((x) => x.bad > 0)) {
    out.push(`${l.id}: ${l.bad} bad line${l.bad === 1 ? '' : 's'} skipped${l.bad > l.badExamples.length ? ', first ' + l.badExamples.length : ''}:`);
    for (const e of l.badExamples) out.push(`  ${e.file}:${e.line}: ${quoteInput(e.text)}: ${e.reason}`);
  }
  return out;
}

export function formatRebuild(result: { readonly version: number; readonly domains: number; readonly bytes?: number }): string {
  return `snapshot version ${result.version}: ${result.domains} domains${result.bytes === undefined ? '' : ` (${result.bytes} bytes)`}`;
}
