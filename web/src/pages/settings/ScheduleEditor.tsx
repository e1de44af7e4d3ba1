// The policy's schedules: each has a title, windows (days and times) and whether it runs in term
// time only. Rules refer to schedules by id, so ids are kept and schedules are not removed here.
import type { PolicyDocument } from '../../api/types';

type Schedules = PolicyDocument['schedules'];
type Schedule = Schedules[string];
type Window = Schedule['windows'][number];
type Day = Window['days'][number];
const DAYS: readonly { id: Day; label: string }[] = [
  { id: 'mon', label: 'Mon' },
  { id: 'tue', label: 'Tue' },
  { id: 'wed', label: 'Wed' },
  { id: 'thu', label: 'Thu' },
  { id: 'fri', label: 'Fri' },
  { id: 'sat', label: 'Sat' },
  { id: 'sun', label: 'Sun' },
];

export function ScheduleEditor({ schedules, onChange }: { schedules: Schedules; onChange(next: Schedules): void }) {
  const set = (id: string, schedule: Schedule) => onChange({ ...schedules, [id]: schedule });
  return (
    <fieldset className="panel">
      <legend className="legend-heading">Schedules</legend>
      {Object.entries(schedules).map(([id, s]) => (
        <fieldset key={id} className="schedule">
          <legend>
            {s.title} <span className="rule-id">{id}</span>
          </legend>
          <div className="check">
            <input type="checkbox" id={`schedule-${id}-term`} checked={s.termTimeOnly} onChange={(e) => set(id, { ...s, termTimeOnly: e.target.checked })} />
            <label htmlFor={`schedule-${id}-term`}>Term time only</label>
          </div>
          {s.windows.map((w, i) => (
            <WindowRow
              key={i}
              prefix={`schedule-${id}-${i}`}
              name={`${s.title}, time ${i + 1}`}
              window={w}
              onChange={(next) => set(id, { ...s, windows: s.windows.map((x, j) => (j === i ? next : x)) })}
              onRemove={s.windows.length > 1 ? () => set(id, { ...s, windows: s.windows.filter((_, j) => j !== i) }) : null}
            />
          ))}
          <button type="button" className="button-secondary button-small" onClick={() => set(id, { ...s, windows: [...s.windows, { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '15:00' }] })}>
            Add a time<span className="visually-hidden"> to {s.title}</span>
          </button>
        </fieldset>
      ))}
    </fieldset>
  );
}

function WindowRow({ prefix, name, window: w, onChange, onRemove }: { prefix: string; name: string; window: Window; onChange(w: Window): void; onRemove: (() => void) | null }) {
  const toggle = (day: Day, on: boolean) => onChange({ ...w, days: on ? DAYS.map((d) => d.id).filter((d) => d === day || w.days.includes(d)) : w.days.filter((d) => d !== day) });
  return (
    <div className="form-row" role="group" aria-label={name}>
      <fieldset className="days">
        <legend>Days</legend>
        {DAYS.map((d) => (
          <span className="check" key={d.id}>
            <input type="checkbox" id={`${prefix}-${d.id}`} checked={w.days.includes(d.id)} onChange={(e) => toggle(d.id, e.target.checked)} />
            <label htmlFor={`${prefix}-${d.id}`}>{d.label}</label>
          </span>
        ))}
      </fieldset>
      <div className="field input-short">
        <label htmlFor={`${prefix}-from`}>From</label>
        <input id={`${prefix}-from`} type="time" value={w.from} onChange={(e) => onChange({ ...w, from: e.target.value })} />
      </div>
      <div className="field input-short">
        <label htmlFor={`${prefix}-to`}>To</label>
        <input id={`${prefix}-to`} type="time" value={w.to} onChange={(e) => onChange({ ...w, to: e.target.value })} />
      </div>
      {onRemove && (
        <button type="button" className="button-secondary button-small" onClick={onRemove}>
          Remove<span className="visually-hidden"> {name}</span>
        </button>
      )}
    </div>
  );
}
