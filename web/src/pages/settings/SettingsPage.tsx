// Settings: the school's name, reference and time zone; the block page's words; second-person
// approval; how long activity is kept; and the policy's schedules, term dates and safe search
// (edited into the draft, submitted from the policy page). Each part shows only to roles that may
// change it.
import { useEffect, useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import { ErrorMessage, PageHeading, StatusMessage } from '../../components/common';
import { useCan } from '../../session/session';
import { useSchool } from '../../shell/school';
import { BlockPageSettings } from './BlockPageSettings';
import { PolicyCalendarSettings } from './PolicyCalendarSettings';

export function SettingsPage() {
  const can = useCan();
  const [status, setStatus] = useState<string | null>(null);
  return (
    <>
      <PageHeading title="Settings">Settings</PageHeading>
      <StatusMessage text={status} />
      {can('schools:update') && <SchoolSettings onStatus={setStatus} />}
      {can('schools:update') && <BlockPageSettings onStatus={setStatus} />}
      {can('policy:settings') && <ApprovalSetting onStatus={setStatus} />}
      {can('activity:read') && <RetentionSetting onStatus={setStatus} mayChange={can('activity:settings')} />}
      {can('policy:edit') && <PolicyCalendarSettings onStatus={setStatus} />}
    </>
  );
}

function SchoolSettings({ onStatus }: { onStatus(text: string): void }) {
  const { school } = useSchool();
  const [error, setError] = useState<string | null>(null);
  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    setError(null);
    try {
      const saved = await unwrap(api.PATCH('/api/schools/{schoolId}', { params: { path: { schoolId: school.id } }, body: { name: value('name'), reference: value('reference') || null, timeZone: value('timeZone') } }));
      onStatus(`School saved: ${saved.name}. Reload the page to see the new name in the header.`);
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <section aria-labelledby="school-heading" className="panel">
      <h2 id="school-heading">The school</h2>
      <form className="stack" onSubmit={(e) => void save(e)} noValidate>
        <ErrorMessage error={error} />
        <div className="field">
          <label htmlFor="school-name">Name</label>
          <input id="school-name" name="name" defaultValue={school.name} />
        </div>
        <div className="field">
          <label htmlFor="school-reference">Reference (optional)</label>
          <p className="hint" id="school-reference-hint">
            Such as the school’s unique reference number.
          </p>
          <input id="school-reference" name="reference" defaultValue={school.reference ?? ''} aria-describedby="school-reference-hint" className="input-medium" />
        </div>
        <div className="field">
          <label htmlFor="school-zone">Time zone</label>
          <p className="hint" id="school-zone-hint">
            For schedules and the times shown, such as Europe/London.
          </p>
          <input id="school-zone" name="timeZone" defaultValue={school.timeZone} aria-describedby="school-zone-hint" className="input-medium" spellCheck={false} />
        </div>
        <button type="submit">Save the school</button>
      </form>
    </section>
  );
}

function ApprovalSetting({ onStatus }: { onStatus(text: string): void }) {
  const { school } = useSchool();
  const [required, setRequired] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(api.GET('/api/schools/{schoolId}/policy', { params: { path: { schoolId: school.id } } })).then((r) => setRequired(r.requireApproval), (e: unknown) => setError(messageOf(e)));
  }, [school.id]);
  async function change(value: boolean) {
    setError(null);
    // Shown at once (a checkbox must follow the click); put back if the server refuses.
    setRequired(value);
    try {
      const r = await unwrap(api.PUT('/api/schools/{schoolId}/policy/settings', { params: { path: { schoolId: school.id } }, body: { requireApproval: value } }));
      setRequired(r.requireApproval);
      onStatus(r.requireApproval ? 'Second-person approval is on.' : 'Second-person approval is off: changes are published when submitted.');
    } catch (e) {
      setRequired(!value);
      setError(messageOf(e));
    }
  }
  return (
    <section aria-labelledby="approval-heading" className="panel">
      <h2 id="approval-heading">Second-person approval</h2>
      <ErrorMessage error={error} />
      <div className="check">
        <input type="checkbox" id="require-approval" checked={required ?? false} disabled={required === null} onChange={(e) => void change(e.target.checked)} aria-describedby="require-approval-hint" />
        <label htmlFor="require-approval">A second person must approve every policy change</label>
      </div>
      <p className="hint" id="require-approval-hint">
        Recommended. Turning it off is recorded in the audit log.
      </p>
    </section>
  );
}

function RetentionSetting({ onStatus, mayChange }: { onStatus(text: string): void; mayChange: boolean }) {
  const { school } = useSchool();
  const [days, setDays] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(api.GET('/api/schools/{schoolId}/activity/settings', { params: { path: { schoolId: school.id } } })).then((r) => setDays(r.retentionDays), (e: unknown) => setError(messageOf(e)));
  }, [school.id]);
  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = Number(new FormData(event.currentTarget).get('retentionDays'));
    setError(null);
    try {
      const r = await unwrap(api.PUT('/api/schools/{schoolId}/activity/settings', { params: { path: { schoolId: school.id } }, body: { retentionDays: value } }));
      setDays(r.retentionDays);
      onStatus(`Activity is now kept for ${r.retentionDays} days.`);
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <section aria-labelledby="retention-heading" className="panel">
      <h2 id="retention-heading">How long activity is kept</h2>
      <ErrorMessage error={error} />
      {days !== null &&
        (mayChange ? (
          <form className="stack" onSubmit={(e) => void save(e)} noValidate>
            <div className="field">
              <label htmlFor="retention-days">Keep activity for (days)</label>
              <p className="hint" id="retention-hint">
                Older entries are deleted each night.
              </p>
              <input id="retention-days" name="retentionDays" type="number" min={1} step={1} defaultValue={days} aria-describedby="retention-hint" className="input-short" />
            </div>
            <button type="submit">Save</button>
          </form>
        ) : (
          <p>Activity is kept for {days} days.</p>
        ))}
    </section>
  );
}
