// Requests and blocks over a chosen period (hourly buckets up to two days, daily beyond), with the
// categories, sites, users and devices blocked most.
import { useEffect, useState } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { ActivitySummary } from '../../api/types';
import { BarChart } from '../../components/BarChart';
import { ErrorMessage, Loading } from '../../components/common';
import { useSchool } from '../../shell/school';

const RANGES = [
  { id: 'day', label: 'Last 24 hours', days: 1 },
  { id: 'week', label: 'Last 7 days', days: 7 },
  { id: 'month', label: 'Last 30 days', days: 30 },
] as const;
type RangeId = (typeof RANGES)[number]['id'];

export function ActivityPanel() {
  const { school } = useSchool();
  const [range, setRange] = useState<RangeId>('week');
  const [summary, setSummary] = useState<ActivitySummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const days = RANGES.find((r) => r.id === range)!.days;
    const to = new Date();
    const from = new Date(to.getTime() - days * 24 * 60 * 60 * 1000);
    setError(null);
    unwrap(api.GET('/api/schools/{schoolId}/activity/summary', { params: { path: { schoolId: school.id }, query: { from: from.toISOString(), to: to.toISOString() } } })).then(setSummary, (e: unknown) =>
      setError(messageOf(e)),
    );
  }, [school.id, range]);

  const label = (iso: string) => bucketLabel(iso, summary?.bucket ?? 'day', school.timeZone);
  return (
    <section aria-labelledby="dash-activity">
      <h2 id="dash-activity">Activity</h2>
      <fieldset className="inline-choices">
        <legend>Period</legend>
        {RANGES.map((r) => (
          <div className="check" key={r.id}>
            <input type="radio" id={`range-${r.id}`} name="range" checked={range === r.id} onChange={() => setRange(r.id)} />
            <label htmlFor={`range-${r.id}`}>{r.label}</label>
          </div>
        ))}
      </fieldset>
      <ErrorMessage error={error} />
      {!summary ? (
        !error && <Loading what="activity" />
      ) : (
        <div aria-live="polite">
          <p className="totals">
            <span>
              <strong data-testid="total-requests">{summary.requests}</strong> requests
            </span>
            <span>
              <strong data-testid="total-blocks">{summary.blocks}</strong> blocked
            </span>
          </p>
          <div className="chart-grid">
            <BarChart title={`Requests ${summary.bucket === 'hour' ? 'per hour' : 'per day'}`} unit="requests" bars={summary.buckets.map((b) => ({ label: label(b.start), value: b.requests }))} />
            <BarChart title={`Blocks ${summary.bucket === 'hour' ? 'per hour' : 'per day'}`} unit="blocks" tone="danger" bars={summary.buckets.map((b) => ({ label: label(b.start), value: b.blocks }))} />
          </div>
          <div className="panel-grid">
            <Ranking title="Blocked categories" what="Category" rows={summary.topCategories} />
            <Ranking title="Blocked sites" what="Site" rows={summary.topSites} />
            <Ranking title="Users with most blocks" what="User" rows={summary.topUsers} />
            <Ranking title="Devices with most blocks" what="Device" rows={summary.topDevices} />
          </div>
        </div>
      )}
    </section>
  );
}

function Ranking({ title, what, rows }: { title: string; what: string; rows: ActivitySummary['topSites'] }) {
  return (
    <section className="ranking" aria-label={title}>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p>None in this period.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{what}</th>
              <th scope="col" className="number">
                Blocks
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <td className="wrap">{r.key}</td>
                <td className="number">{r.blocks}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function bucketLabel(iso: string, bucket: 'hour' | 'day', timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = bucket === 'hour' ? { weekday: 'short', hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short' };
  try {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat('en-GB', options).format(new Date(iso));
  }
}
