// The activity filters, sent when the form is submitted (not on every key, as each search is audited).
import type { FormEvent } from 'react';

export interface Filters {
  user?: string;
  device?: string;
  host?: string;
  category?: string;
  decision?: 'allow' | 'block';
  source?: 'dns' | 'proxy';
  from?: string;
  to?: string;
}

const TEXT_FILTERS = [
  { name: 'user', label: 'User' },
  { name: 'device', label: 'Device' },
  { name: 'host', label: 'Site (host name)' },
  { name: 'category', label: 'Category' },
] as const;

export function ActivityFilters({ onSearch }: { onSearch(filters: Filters): void }) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    const filters: Filters = {};
    for (const { name } of TEXT_FILTERS) if (value(name)) filters[name] = value(name);
    const decision = value('decision');
    if (decision === 'allow' || decision === 'block') filters.decision = decision;
    const source = value('source');
    if (source === 'dns' || source === 'proxy') filters.source = source;
    // datetime-local is the browser's local time; the API wants an instant with an offset.
    if (value('from')) filters.from = new Date(value('from')).toISOString();
    if (value('to')) filters.to = new Date(value('to')).toISOString();
    onSearch(filters);
  }

  return (
    <form className="panel filters" onSubmit={submit} aria-labelledby="filters-heading">
      <h2 id="filters-heading">Filters</h2>
      <div className="form-grid">
        {TEXT_FILTERS.map((f) => (
          <div className="field" key={f.name}>
            <label htmlFor={`filter-${f.name}`}>{f.label}</label>
            <input id={`filter-${f.name}`} name={f.name} spellCheck={false} autoCapitalize="none" />
          </div>
        ))}
        <div className="field">
          <label htmlFor="filter-decision">Decision</label>
          <select id="filter-decision" name="decision" defaultValue="">
            <option value="">Any</option>
            <option value="block">Blocked</option>
            <option value="allow">Allowed</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-source">Source</label>
          <select id="filter-source" name="source" defaultValue="">
            <option value="">Any</option>
            <option value="dns">DNS server</option>
            <option value="proxy">Web proxy</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-from">From</label>
          <input id="filter-from" name="from" type="datetime-local" />
        </div>
        <div className="field">
          <label htmlFor="filter-to">Until</label>
          <input id="filter-to" name="to" type="datetime-local" />
        </div>
      </div>
      <button type="submit">Search</button>
    </form>
  );
}
