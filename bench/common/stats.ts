// Small statistics the benchmarks share.

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * Median over the rounds of a[i] ÷ b[i] (three decimals): comparing within a round cancels the
 * machine's drift between rounds. Null unless both have the same, non-zero number of runs.
 */
export function pairedRatio(a: readonly number[] | undefined, b: readonly number[] | undefined): number | null {
  if (!a || !b || a.length === 0 || a.length !== b.length) return null;
  return Math.round(median(a.map((v, i) => v / b[i]!)) * 1000) / 1000;
}
