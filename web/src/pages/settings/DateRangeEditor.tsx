// Named date ranges (terms, holidays): name, first and last day; add and remove.
import type { PolicyDocument } from '../../api/types';

type Range = PolicyDocument['calendar']['terms'][number];

export function DateRangeEditor({ title, idPrefix, ranges, onChange }: { title: string; idPrefix: string; ranges: readonly Range[]; onChange(next: Range[]): void }) {
  const set = (i: number, change: Partial<Range>) => onChange(ranges.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <fieldset className="panel">
      <legend className="legend-heading">{title}</legend>
      {ranges.length === 0 && <p>None.</p>}
      {ranges.map((r, i) => {
        const id = `${idPrefix}-${i}`;
        return (
          <div className="form-row" key={i} role="group" aria-label={`${title}: ${r.name || `row ${i + 1}`}`}>
            <div className="field">
              <label htmlFor={`${id}-name`}>Name</label>
              <input id={`${id}-name`} value={r.name} onChange={(e) => set(i, { name: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-from`}>First day</label>
              <input id={`${id}-from`} type="date" value={r.from} onChange={(e) => set(i, { from: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-to`}>Last day</label>
              <input id={`${id}-to`} type="date" value={r.to} onChange={(e) => set(i, { to: e.target.value })} />
            </div>
            <button type="button" className="button-secondary button-small" onClick={() => onChange(ranges.filter((_, j) => j !== i))}>
              Remove<span className="visually-hidden"> {r.name}</span>
            </button>
          </div>
        );
      })}
      <button type="button" className="button-secondary" onClick={() => onChange([...ranges, { name: '', from: '', to: '' }])}>
        Add to {title.toLowerCase()}
      </button>
    </fieldset>
  );
}
