// "Ask for a site to be unblocked": where the proxy's block page sends a teacher
// (#/requests/unblock?url=…&ref=…&category=…). The site comes from the link; the teacher picks the
// group, how long, and says why. A second person decides.
import { useEffect, useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { UnblockForm, UnblockRequest } from '../../api/types';
import { ErrorMessage, Loading, PageHeading, When } from '../../components/common';
import { href, useRouteQuery } from '../../router';
import { useSchool } from '../../shell/school';

type Period = 'endOfToday' | 'endOfWeek' | 'endOfTerm' | 'custom';
const PERIOD_WORDS: Record<Exclude<Period, 'custom'>, string> = { endOfToday: 'Until the end of today', endOfWeek: 'Until the end of this week', endOfTerm: 'Until the end of term' };

export function UnblockFormPage() {
  const { school } = useSchool();
  const query = useRouteQuery();
  const [form, setForm] = useState<UnblockForm | null>(null);
  const [period, setPeriod] = useState<Period>('endOfToday');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<UnblockRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = query.get('ref');
  const category = query.get('category');

  useEffect(() => {
    unwrap(api.GET('/api/schools/{schoolId}/unblock-requests/form', { params: { path: { schoolId: school.id } } })).then(setForm, (e: unknown) => setError(messageOf(e)));
  }, [school.id]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!form) return;
    const data = new FormData(event.currentTarget);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const endsAt = period === 'custom' ? (value('endsAt') ? new Date(value('endsAt')).toISOString() : '') : (form.ends[period] ?? '');
    if (!value('site')) return setError('Say which site or page you need.');
    if (!endsAt) return setError('Choose how long the site should be unblocked.');
    if (!value('reason')) return setError('Say why the class needs the site: the person who decides reads it.');
    setBusy(true);
    setError(null);
    try {
      const r = await unwrap(api.POST('/api/schools/{schoolId}/unblock-requests', { params: { path: { schoolId: school.id } }, body: { site: value('site'), group: value('group'), endsAt, reason: value('reason') } }));
      setSent(r.request);
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  }

  if (sent) {
    return (
      <>
        <PageHeading title="Request sent">Request sent</PageHeading>
        <p className="message message-ok" role="status">
          {sent.state === 'approved' ? `${sent.site.value} is unblocked for ${sent.group} until ` : `Your request for ${sent.site.value} is waiting for a second person to decide. It would last until `}
          <When iso={sent.endsAt} />.
        </p>
        <p>
          <a href={href('/unblock')}>See my requests</a>
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeading title="Ask for a site to be unblocked">Ask for a site to be unblocked</PageHeading>
      <p className="lead">For a lesson or a class that needs a blocked site. Someone else approves it, and it ends by itself.</p>
      {(ref || category) && (
        <dl className="facts panel">
          {category && (
            <>
              <dt>Blocked as</dt>
              <dd>{category}</dd>
            </>
          )}
          {ref && (
            <>
              <dt>Reference</dt>
              <dd className="wrap">{ref}</dd>
            </>
          )}
        </dl>
      )}
      <ErrorMessage error={error} />
      {!form ? (
        !error && <Loading what="the form" />
      ) : (
        <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor="unblock-site">Site or page</label>
            <input id="unblock-site" name="site" defaultValue={query.get('url') ?? ''} spellCheck={false} autoCapitalize="none" />
          </div>
          <div className="field">
            <label htmlFor="unblock-group">For</label>
            <select id="unblock-group" name="group">
              {form.groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.title}
                </option>
              ))}
            </select>
          </div>
          <fieldset>
            <legend>How long</legend>
            {(Object.keys(PERIOD_WORDS) as Exclude<Period, 'custom'>[])
              .filter((p) => form.ends[p])
              .map((p) => (
                <div className="check" key={p}>
                  <input type="radio" id={`period-${p}`} name="period" checked={period === p} onChange={() => setPeriod(p)} />
                  <label htmlFor={`period-${p}`}>
                    {PERIOD_WORDS[p]} (<When iso={form.ends[p]} />)
                  </label>
                </div>
              ))}
            <div className="check">
              <input type="radio" id="period-custom" name="period" checked={period === 'custom'} onChange={() => setPeriod('custom')} />
              <label htmlFor="period-custom">Until a time I choose</label>
            </div>
          </fieldset>
          {period === 'custom' && (
            <div className="field">
              <label htmlFor="unblock-ends">Ends</label>
              <input id="unblock-ends" name="endsAt" type="datetime-local" className="input-medium" />
            </div>
          )}
          <div className="field">
            <label htmlFor="unblock-reason">Why the class needs it</label>
            <textarea id="unblock-reason" name="reason" rows={3} maxLength={1000} />
          </div>
          <button type="submit" disabled={busy}>
            Send request
          </button>
        </form>
      )}
    </>
  );
}
