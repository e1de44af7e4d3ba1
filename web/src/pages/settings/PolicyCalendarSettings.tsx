// Schedules, term dates and safe search live in the policy document, so they change through the
// draft: edited here, saved into the draft, then submitted with a reason from the policy page
// (change control applies to them as to rules).
import { useEffect, useState } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { PolicyDocument } from '../../api/types';
import { ErrorMessage, Loading } from '../../components/common';
import { href } from '../../router';
import { useSchool } from '../../shell/school';
import { DateRangeEditor } from './DateRangeEditor';
import { SafeSearchEditor } from './SafeSearchEditor';
import { ScheduleEditor } from './ScheduleEditor';

export function PolicyCalendarSettings({ onStatus }: { onStatus(text: string): void }) {
  const { school } = useSchool();
  const [doc, setDoc] = useState<PolicyDocument | null>(null);
  const [fromDraft, setFromDraft] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const path = { schoolId: school.id };

  useEffect(() => {
    Promise.all([unwrap(api.GET('/api/schools/{schoolId}/policy/draft', { params: { path } })), unwrap(api.GET('/api/schools/{schoolId}/policy', { params: { path } }))]).then(
      ([draft, policy]) => {
        setFromDraft(draft.draft !== null);
        setDoc(draft.draft?.document ?? policy.current?.document ?? null);
      },
      (e: unknown) => setError(messageOf(e)),
    );
  }, [school.id]);

  const edit = (next: PolicyDocument) => {
    setDoc(next);
    setSaved(false);
  };

  async function save() {
    if (!doc) return;
    setError(null);
    try {
      await unwrap(api.PUT('/api/schools/{schoolId}/policy/draft', { params: { path }, body: { document: doc } }));
      setFromDraft(true);
      setSaved(true);
      onStatus('Saved into the draft. Submit it with a reason from the policy page.');
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <section aria-labelledby="calendar-heading">
      <h2 id="calendar-heading">Schedules, term dates and safe search</h2>
      <p className="message message-warning">
        These are part of the filtering policy. Saving puts them in the draft{fromDraft ? ' (with the changes already there)' : ''}; nothing changes until the draft is submitted with a reason and
        approved on the <a href={href('/policy')}>policy page</a>.
      </p>
      <ErrorMessage error={error} />
      {!doc ? (
        !error && <Loading what="the policy" />
      ) : (
        <>
          <ScheduleEditor schedules={doc.schedules} onChange={(schedules) => edit({ ...doc, schedules })} />
          <DateRangeEditor title="Terms" idPrefix="term" ranges={doc.calendar.terms} onChange={(terms) => edit({ ...doc, calendar: { ...doc.calendar, terms } })} />
          <DateRangeEditor title="Holidays" idPrefix="holiday" ranges={doc.calendar.holidays} onChange={(holidays) => edit({ ...doc, calendar: { ...doc.calendar, holidays } })} />
          <SafeSearchEditor groups={doc.groups} safeSearch={doc.safeSearch} onChange={(safeSearch) => edit({ ...doc, safeSearch })} />
          <div className="button-row">
            <button type="button" onClick={() => void save()}>
              Save into the draft
            </button>
            {saved && <a href={href('/policy')}>Go to the policy page to submit it</a>}
          </div>
        </>
      )}
    </section>
  );
}
