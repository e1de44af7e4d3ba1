// Pickers for a rule's parts: a group of checkboxes filled from the policy (groups, categories,
// lists, networks), and a text area for free entry (domains, pages, addresses, users).
import { useId } from 'react';

export interface Option {
  readonly value: string;
  readonly label: string;
}

export function CheckboxPicker({ legend, name, options, selected, hint }: { legend: string; name: string; options: readonly Option[]; selected: readonly string[]; hint?: string }) {
  const id = useId();
  if (options.length === 0) return null;
  return (
    <fieldset className="picker" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend>{legend}</legend>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div className="picker-options">
        {options.map((o, i) => (
          <div className="check" key={o.value}>
            <input type="checkbox" id={`${id}-${i}`} name={name} value={o.value} defaultChecked={selected.includes(o.value)} />
            <label htmlFor={`${id}-${i}`}>{o.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

export function FreeEntry({ label, name, hint, values }: { label: string; name: string; hint: string; values: readonly string[] }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <textarea id={id} name={name} rows={3} defaultValue={values.join('\n')} aria-describedby={`${id}-hint`} spellCheck={false} />
    </div>
  );
}

/** Two radio buttons choosing between "all" (anyone, anything…) and "chosen" (shows the pickers). */
export function ModeChoice({ legend, name, all, chosen, value, onChange }: { legend: string; name: string; all: string; chosen: string; value: 'all' | 'chosen'; onChange(v: 'all' | 'chosen'): void }) {
  const id = useId();
  return (
    <fieldset className="mode">
      <legend>{legend}</legend>
      <div className="check">
        <input type="radio" id={`${id}-all`} name={name} checked={value === 'all'} onChange={() => onChange('all')} />
        <label htmlFor={`${id}-all`}>{all}</label>
      </div>
      <div className="check">
        <input type="radio" id={`${id}-chosen`} name={name} checked={value === 'chosen'} onChange={() => onChange('chosen')} />
        <label htmlFor={`${id}-chosen`}>{chosen}</label>
      </div>
    </fieldset>
  );
}
