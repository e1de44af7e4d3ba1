// Safe search: whether search engines must use it, and YouTube's restriction for each group.
import type { PolicyDocument } from '../../api/types';

type SafeSearch = PolicyDocument['safeSearch'];
const LEVELS = [
  { id: 'strict', label: 'Strict' },
  { id: 'moderate', label: 'Moderate' },
  { id: 'off', label: 'Off' },
] as const;

export function SafeSearchEditor({ groups, safeSearch, onChange }: { groups: PolicyDocument['groups']; safeSearch: SafeSearch; onChange(next: SafeSearch): void }) {
  return (
    <fieldset className="panel">
      <legend className="legend-heading">Safe search</legend>
      <div className="check">
        <input type="checkbox" id="safe-search-required" checked={safeSearch.required} onChange={(e) => onChange({ ...safeSearch, required: e.target.checked })} />
        <label htmlFor="safe-search-required">Search engines must use safe search</label>
      </div>
      <h3>YouTube restriction by group</h3>
      <div className="form-grid">
        {groups.map((g) => (
          <div className="field" key={g.id}>
            <label htmlFor={`youtube-${g.id}`}>{g.title}</label>
            <select
              id={`youtube-${g.id}`}
              value={safeSearch.youtube[g.id] ?? ''}
              onChange={(e) => {
                const youtube = { ...safeSearch.youtube };
                if (e.target.value) youtube[g.id] = e.target.value as (typeof LEVELS)[number]['id'];
                else delete youtube[g.id];
                onChange({ ...safeSearch, youtube });
              }}
            >
              <option value="">Not set</option>
              {LEVELS.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.label}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
