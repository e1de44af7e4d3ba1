// A bar chart drawn as SVG in the page (no chart library, nothing fetched): each bar has a <title>
// for pointer users, the picture as a whole a text summary, and the same numbers sit in a table
// behind a "Show the numbers" disclosure for screen readers, keyboards and anyone who prefers them.
import { useId } from 'react';

export interface Bar {
  /** Shown under the bar (some are skipped when crowded) and in the table. */
  readonly label: string;
  readonly value: number;
}

const WIDTH = 720;
const HEIGHT = 220;
const LEFT = 48;
const BOTTOM = 28;
const TOP = 12;

export function BarChart({ title, bars, unit, tone = 'primary' }: { title: string; bars: readonly Bar[]; unit: string; tone?: 'primary' | 'danger' }) {
  const id = useId();
  const max = Math.max(1, ...bars.map((b) => b.value));
  const total = bars.reduce((sum, b) => sum + b.value, 0);
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const step = bars.length ? plotWidth / bars.length : plotWidth;
  const labelEvery = Math.max(1, Math.ceil(bars.length / 8));
  const peak = bars.reduce<Bar | null>((best, b) => (!best || b.value > best.value ? b : best), null);
  const summary = bars.length === 0 ? `${title}: no data.` : `${title}: ${total} ${unit} in ${bars.length} periods; the most, ${peak!.value}, in ${peak!.label}.`;
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className={`chart-svg chart-${tone}`} focusable="false">
        <line x1={LEFT} y1={TOP} x2={LEFT} y2={TOP + plotHeight} className="chart-axis" />
        <line x1={LEFT} y1={TOP + plotHeight} x2={WIDTH - 8} y2={TOP + plotHeight} className="chart-axis" />
        <text x={LEFT - 6} y={TOP + 10} textAnchor="end" className="chart-label">{max}</text>
        <text x={LEFT - 6} y={TOP + plotHeight} textAnchor="end" className="chart-label">0</text>
        {bars.map((b, i) => {
          const h = (b.value / max) * plotHeight;
          const x = LEFT + i * step + step * 0.15;
          return (
            <g key={i}>
              <rect x={x} y={TOP + plotHeight - h} width={Math.max(1, step * 0.7)} height={h} className="chart-bar">
                <title>{`${b.label}: ${b.value} ${unit}`}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text x={x + step * 0.35} y={HEIGHT - 8} textAnchor="middle" className="chart-label">
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <details className="chart-table">
        <summary>Show the numbers for “{title}”</summary>
        <table>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">{unit[0]!.toUpperCase() + unit.slice(1)}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b, i) => (
              <tr key={i}>
                <th scope="row">{b.label}</th>
                <td>{b.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
