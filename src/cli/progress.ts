// Progress for long work on standard error: a redrawn line on a terminal, a line every few seconds otherwise.
import type { ProgressReporter } from '../services/ports.ts';

const LOG_EVERY_MS = 2000;

function formatAmount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export function stderrProgress(write: (line: string) => void, isTTY: boolean): ProgressReporter {
  let label = '';
  let total: number | null = null;
  let done = 0;
  let lastShown = 0;
  const show = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastShown < (isTTY ? 100 : LOG_EVERY_MS)) return;
    lastShown = now;
    const pct = total ? ` ${Math.min(100, Math.floor((done / total) * 100))}%` : '';
    const line = `${label}:${pct} ${formatAmount(done)}${total ? ` of ${formatAmount(total)}` : ''}`;
    if (isTTY) process.stderr.write(`\r\x1b[K${line}`);
    else write(line);
  };
  return {
    start(l, t) {
      label = l;
      total = t;
      done = 0;
      lastShown = Date.now();
    },
    advance(amount) {
      done += amount;
      show(false);
    },
    done(summary) {
      if (isTTY) process.stderr.write('\r\x1b[K');
      if (summary) write(`${label}: ${summary}`);
    },
  };
}
