// The policy table: the version in force, or the draft being edited; rules reordered, added,
// changed and removed here; the draft saved; what it changes; submitted with a reason.
import { useCallback, useEffect, useState } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { DraftView, Network, PolicyDocument, Rule } from '../../api/types';
import { ErrorMessage, Loading, PageHeading, StatusMessage, When } from '../../components/common';
import { useCan } from '../../session/session';
import { useSchool } from '../../shell/school';
import { DifferenceList, SubmitPanel } from './ChangePanels';
import { RuleDialog } from './RuleDialog';
import { moved, RuleTable } from './RuleTable';

interface Loaded {
  readonly version: number | null;
  readonly requireApproval: boolean;
  readonly draft: DraftView;
}

export function PolicyPage() {
  const can = useCan();
  const { school } = useSchool();
  const editable = can('policy:edit');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [doc, setDoc] = useState<PolicyDocument | null>(null);
  const [dirty, setDirty] = useState(false);
  const [networks, setNetworks] = useState<Network[]>([]);
  const [editing, setEditing] = useState<{ index: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const params = { path: { schoolId: school.id } };

  const load = useCallback(async () => {
    const schoolId = school.id;
    const [policy, draft] = await Promise.all([unwrap(api.GET('/api/schools/{schoolId}/policy', { params: { path: { schoolId } } })), unwrap(api.GET('/api/schools/{schoolId}/policy/draft', { params: { path: { schoolId } } }))]);
    setLoaded({ version: policy.current?.version ?? null, requireApproval: policy.requireApproval, draft });
    setDoc(draft.draft?.document ?? policy.current?.document ?? null);
    setDirty(false);
  }, [school.id]);

  useEffect(() => {
    load().catch((e: unknown) => setError(messageOf(e)));
    if (can('devices:read')) {
      unwrap(api.GET('/api/schools/{schoolId}/networks', { params: { path: { schoolId: school.id } } })).then((r) => setNetworks(r.networks), () => setNetworks([]));
    }
  }, [load, can, school.id]);

  function change(rules: Rule[], said: string | null) {
    if (!doc) return;
    setDoc({ ...doc, rules });
    setDirty(true);
    setStatus(said);
  }

  async function saveDraft(): Promise<boolean> {
    if (!doc) return false;
    setError(null);
    try {
      await unwrap(api.PUT('/api/schools/{schoolId}/policy/draft', { params, body: { document: doc } }));
      const draft = await unwrap(api.GET('/api/schools/{schoolId}/policy/draft', { params }));
      setLoaded((l) => (l ? { ...l, draft } : l));
      setDirty(false);
      setStatus('Draft saved. “What changes” below shows the difference from the version in force.');
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    }
  }

  async function submit(reason: string): Promise<string | null> {
    if (dirty && !(await saveDraft())) return 'The draft could not be saved, so it was not submitted.';
    try {
      const r = await unwrap(api.POST('/api/schools/{schoolId}/policy/draft/submit', { params, body: { reason } }));
      await load();
      setStatus(r.published ? `Published as version ${r.published.version}. It is enforced now.` : 'Submitted. It waits in Approvals for a second person.');
      return null;
    } catch (e) {
      return messageOf(e);
    }
  }

  if (error && !loaded) return <ErrorMessage error={error} />;
  if (!loaded) return <Loading what="the policy" />;
  const draft = loaded.draft.draft;
  return (
    <>
      <PageHeading title="Policy">Filtering policy</PageHeading>
      <p className="lead">
        {draft ? (
          <>
            Editing the draft, based on version {draft.basedOnVersion ?? 'none'} and last saved <When iso={draft.updatedAt} />.
          </>
        ) : (
          <>Version {loaded.version ?? 'none'} is in force.</>
        )}{' '}
        Rules are checked from the top; the first rule that matches decides. The locked tier (illegal content) comes before every rule.
      </p>
      <ErrorMessage error={error} />
      <StatusMessage text={status} />
      {editable && doc && (
        <div className="button-row">
          <button type="button" onClick={() => setEditing({ index: null })}>
            Add a rule
          </button>
          <button type="button" onClick={() => void saveDraft()} disabled={!dirty}>
            Save draft
          </button>
          <button type="button" className="button-secondary" disabled={!dirty} onClick={() => void load().then(() => setStatus('Unsaved changes undone.'))}>
            Undo unsaved changes
          </button>
        </div>
      )}
      {doc ? (
        <RuleTable
          policy={doc}
          editable={editable}
          onMove={(from, to) => change(moved(doc.rules, from, to), null)}
          onEdit={(index) => setEditing({ index })}
          onRemove={(index) => change(doc.rules.filter((_, i) => i !== index), `Rule “${doc.rules[index]?.name}” removed. Save the draft to keep the change.`)}
        />
      ) : (
        <p>This school has no policy yet.</p>
      )}
      <DifferenceList differences={loaded.draft.differences} dirty={dirty} hasDraft={draft !== null} />
      {editable && <SubmitPanel requireApproval={loaded.requireApproval} disabled={!draft && !dirty} onSubmit={submit} />}
      {editing && doc && (
        <RuleDialog
          rule={editing.index === null ? null : (doc.rules[editing.index] ?? null)}
          policy={doc}
          networks={networks}
          onClose={() => setEditing(null)}
          onSave={(rule) => {
            const rules = editing.index === null ? [rule, ...doc.rules] : doc.rules.map((r, i) => (i === editing.index ? rule : r));
            change(rules, editing.index === null ? `Rule “${rule.name}” added at the top. Save the draft to keep it.` : `Rule “${rule.name}” changed. Save the draft to keep it.`);
          }}
        />
      )}
    </>
  );
}
