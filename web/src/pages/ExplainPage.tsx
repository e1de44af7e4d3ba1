// "Test a request": a user or group, an address, a URL and a time, through the policy in force;
// shows the decision and the rule, tier, category and list that made it.
import { useEffect, useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../api/client';
import type { Decision, PolicyDocument } from '../api/types';
import { ErrorMessage, PageHeading } from '../components/common';
import { useCan } from '../session/session';
import { useSchool } from '../shell/school';

export function ExplainPage() {
  const can = useCan();
  const { school } = useSchool();
  const [policy, setPolicy] = useState<PolicyDocument | null>(null);
  const [usernames, setUsernames] = useState<string[]>([]);
  const [who, setWho] = useState<'group' | 'user'>('group');
  const [decision, setDecision] = useState<Decision | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Pickers come from what the role may read; a teacher types the group or user instead.
  useEffect(() => {
    const path = { schoolId: school.id };
    if (can('policy:read')) unwrap(api.GET('/api/schools/{schoolId}/policy', { params: { path } })).then((r) => setPolicy(r.current?.document ?? null), () => setPolicy(null));
    if (can('directory:read')) unwrap(api.GET('/api/schools/{schoolId}/people', { params: { path } })).then((r) => setUsernames(r.people.map((p) => p.username)), () => setUsernames([]));
  }, [can, school.id]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || null;
    setBusy(true);
    setError(null);
    try {
      const r = await unwrap(
        api.POST('/api/explain', {
          body: { schoolId: school.id, user: who === 'user' ? text('user') : null, group: who === 'group' ? text('group') : null, ip: text('ip'), url: String(form.get('url')).trim(), at: text('at') },
        }),
      );
      setDecision(r.decision);
    } catch (e) {
      setDecision(null);
      setError(messageOf(e));
    }
    setBusy(false);
  }

  return (
    <>
      <PageHeading title="Test a request">Test a request</PageHeading>
      <p className="lead">See what the policy in force decides for a request, and why.</p>
      <form onSubmit={(e) => void submit(e)} className="stack explain-form">
        <fieldset className="mode">
          <legend>Whose request</legend>
          <div className="check">
            <input type="radio" id="who-group" name="who" checked={who === 'group'} onChange={() => setWho('group')} />
            <label htmlFor="who-group">Someone in a group</label>
          </div>
          <div className="check">
            <input type="radio" id="who-user" name="who" checked={who === 'user'} onChange={() => setWho('user')} />
            <label htmlFor="who-user">A user</label>
          </div>
        </fieldset>
        {who === 'group' ? (
          <div className="field">
            <label htmlFor="explain-group">Group</label>
            {policy ? (
              <select id="explain-group" name="group">
                {policy.groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.title}
                  </option>
                ))}
              </select>
            ) : (
              <input id="explain-group" name="group" required />
            )}
          </div>
        ) : (
          <div className="field">
            <label htmlFor="explain-user">Username</label>
            <input id="explain-user" name="user" list="explain-usernames" required autoCapitalize="none" spellCheck={false} />
            <datalist id="explain-usernames">
              {usernames.map((u) => (
                <option key={u} value={u} />
              ))}
            </datalist>
          </div>
        )}
        <div className="field">
          <label htmlFor="explain-url">Address of the site or page (URL)</label>
          <input id="explain-url" name="url" required placeholder="https://www.example.com/page" spellCheck={false} autoCapitalize="none" />
        </div>
        <div className="field">
          <label htmlFor="explain-ip">Device address (optional)</label>
          <p className="hint" id="explain-ip-hint">
            The device’s IP address, for rules that apply in some places only.
          </p>
          <input id="explain-ip" name="ip" aria-describedby="explain-ip-hint" className="input-medium" spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="explain-at">Date and time (optional)</label>
          <p className="hint" id="explain-at-hint">
            In the school’s time zone ({school.timeZone}); now when left empty.
          </p>
          <input id="explain-at" name="at" type="datetime-local" aria-describedby="explain-at-hint" className="input-medium" />
        </div>
        <button type="submit" disabled={busy}>
          Test
        </button>
      </form>
      <ErrorMessage error={error} />
      <div aria-live="polite">{decision && <DecisionView decision={decision} policy={policy} />}</div>
    </>
  );
}

function DecisionView({ decision, policy }: { decision: Decision; policy: PolicyDocument | null }) {
  const rule = decision.rule ? policy?.rules.find((r) => r.id === decision.rule) : undefined;
  const category = decision.category ? policy?.categories[decision.category]?.title : undefined;
  return (
    <section aria-labelledby="decision-heading" className={`panel decision decision-${decision.action}`}>
      <h2 id="decision-heading">{decision.action === 'block' ? 'Blocked' : 'Allowed'}</h2>
      <p>{decision.reason}</p>
      <dl className="facts">
        <dt>Decided by</dt>
        <dd>{decision.tier}</dd>
        <dt>Rule</dt>
        <dd data-testid="decision-rule">{decision.rule ? (rule ? `${rule.name} (${decision.rule})` : decision.rule) : 'none'}</dd>
        <dt>Category</dt>
        <dd>{decision.category ? (category ? `${category} (${decision.category})` : decision.category) : 'none'}</dd>
        <dt>List</dt>
        <dd>{decision.list ?? 'none'}</dd>
        <dt>Verdict</dt>
        <dd>{decision.verdict ?? 'none'}</dd>
        <dt>Alert</dt>
        <dd>{decision.alert ? 'Yes: the safeguarding lead is told' : 'No'}</dd>
      </dl>
    </section>
  );
}
