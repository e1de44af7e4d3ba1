// Adding or changing one rule, in a modal dialog (native <dialog>: focus stays inside, Escape
// closes). Groups, categories, lists, schedules and networks are picked from the policy and the
// school's register; sites, pages, addresses and users are typed.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Network, PolicyDocument, Rule } from '../../api/types';
import { ErrorMessage } from '../../components/common';
import { linesOf, listIdsOf, ruleIdFrom } from './describe';
import { CheckboxPicker, FreeEntry, ModeChoice } from './pickers';

interface Props {
  /** The rule to change, or null for a new one. */
  readonly rule: Rule | null;
  readonly policy: PolicyDocument;
  readonly networks: readonly Network[];
  onSave(rule: Rule): void;
  onClose(): void;
}

type Mode = 'all' | 'chosen';

export function RuleDialog({ rule, policy, networks, onSave, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [who, setWho] = useState<Mode>(rule && rule.who !== 'anyone' ? 'chosen' : rule ? 'all' : 'chosen');
  const [what, setWhat] = useState<Mode>(rule && rule.what === 'anything' ? 'all' : 'chosen');
  const [where, setWhere] = useState<Mode>(rule && rule.where !== 'anywhere' ? 'chosen' : 'all');

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const chosenWho = rule && rule.who !== 'anyone' ? rule.who : { users: [], groups: [] };
  const chosenWhat = rule && rule.what !== 'anything' ? rule.what : { categories: [], lists: [], domains: [], urls: [] };
  const addresses = rule && rule.where !== 'anywhere' ? rule.where.addresses : [];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const strings = (name: string) => form.getAll(name).map(String);
    const name = String(form.get('name')).trim();
    const taken = new Set(policy.rules.filter((r) => r !== rule).map((r) => r.id));
    const next: Rule = {
      id: rule?.id ?? ruleIdFrom(name, taken),
      name,
      who: who === 'all' ? 'anyone' : { groups: strings('group'), users: linesOf(String(form.get('users') ?? '')) },
      what: what === 'all' ? 'anything' : { categories: strings('category'), lists: strings('list'), domains: linesOf(String(form.get('domains') ?? '')), urls: linesOf(String(form.get('urls') ?? '')) },
      where: where === 'all' ? 'anywhere' : { addresses: [...new Set([...strings('network'), ...linesOf(String(form.get('addresses') ?? ''))])] },
      when: form.get('when') ? { schedule: String(form.get('when')) } : 'always',
      action: form.get('action') === 'allow' ? 'allow' : 'block',
      verdict: rule?.verdict ?? null,
      alert: form.get('alert') === 'on',
      expires: rule?.expires ?? null,
    };
    const problem = problemWith(next);
    if (problem) {
      setError(problem);
      return;
    }
    ref.current?.close();
    onSave(next);
  }

  const title = rule ? `Change rule “${rule.name}”` : 'Add a rule';
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="rule-dialog-title" onClose={onClose}>
      <form onSubmit={submit} className="stack" noValidate>
        <h2 id="rule-dialog-title">{title}</h2>
        <ErrorMessage error={error} />
        <div className="field">
          <label htmlFor="rule-name">Name</label>
          <input id="rule-name" name="name" defaultValue={rule?.name ?? ''} required />
        </div>
        <ModeChoice legend="Who" name="who-mode" all="Anyone" chosen="Chosen groups and users" value={who} onChange={setWho} />
        {who === 'chosen' && (
          <div className="pickers">
            <CheckboxPicker legend="Groups" name="group" options={policy.groups.map((g) => ({ value: g.id, label: g.title }))} selected={chosenWho.groups} />
            <FreeEntry label="Users" name="users" hint="Usernames from the directory, one a line." values={chosenWho.users} />
          </div>
        )}
        <ModeChoice legend="What" name="what-mode" all="Anything" chosen="Chosen categories, lists, sites or pages" value={what} onChange={setWhat} />
        {what === 'chosen' && (
          <div className="pickers">
            <FreeEntry label="Sites" name="domains" hint="Domains such as games.example; a domain includes its subdomains. One a line." values={chosenWhat.domains} />
            <FreeEntry label="Pages" name="urls" hint="A host and path such as video.example/channel; includes the pages below it. One a line." values={chosenWhat.urls} />
            <CheckboxPicker legend="Categories" name="category" options={Object.entries(policy.categories).map(([id, c]) => ({ value: id, label: c.title }))} selected={chosenWhat.categories} />
            <CheckboxPicker legend="Lists" name="list" options={listIdsOf(policy).map((id) => ({ value: id, label: id }))} selected={chosenWhat.lists} />
          </div>
        )}
        <ModeChoice legend="Where" name="where-mode" all="Anywhere" chosen="Chosen networks or addresses" value={where} onChange={setWhere} />
        {where === 'chosen' && (
          <div className="pickers">
            <CheckboxPicker legend="Networks" name="network" options={networks.map((n) => ({ value: n.cidr, label: `${n.site} (${n.cidr})` }))} selected={addresses} />
            <FreeEntry label="Addresses" name="addresses" hint="An address, a block such as 10.0.0.0/24, or a range such as 10.0.0.10-10.0.0.50. One a line." values={addresses.filter((a) => !networks.some((n) => n.cidr === a))} />
          </div>
        )}
        <div className="field">
          <label htmlFor="rule-when">When</label>
          <select id="rule-when" name="when" defaultValue={rule && rule.when !== 'always' ? rule.when.schedule : ''}>
            <option value="">Always</option>
            {Object.entries(policy.schedules).map(([id, s]) => (
              <option key={id} value={id}>
                {s.title}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="mode">
          <legend>Action</legend>
          <div className="check">
            <input type="radio" id="action-block" name="action" value="block" defaultChecked={rule?.action !== 'allow'} />
            <label htmlFor="action-block">Block</label>
          </div>
          <div className="check">
            <input type="radio" id="action-allow" name="action" value="allow" defaultChecked={rule?.action === 'allow'} />
            <label htmlFor="action-allow">Allow</label>
          </div>
          <div className="check">
            <input type="checkbox" id="rule-alert" name="alert" defaultChecked={rule?.alert ?? false} />
            <label htmlFor="rule-alert">Alert the safeguarding lead when this rule matches</label>
          </div>
        </fieldset>
        <div className="button-row">
          <button type="submit">{rule ? 'Save rule' : 'Add rule'}</button>
          <button type="button" className="button-secondary" onClick={() => ref.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** What is missing, in words, or null. The server checks the whole policy again on save. */
function problemWith(rule: Rule): string | null {
  if (!rule.name) return 'Give the rule a name.';
  if (rule.who !== 'anyone' && rule.who.groups.length === 0 && rule.who.users.length === 0) return 'Choose at least one group or user, or choose Anyone.';
  if (rule.what !== 'anything' && Object.values(rule.what).every((v) => v.length === 0)) return 'Choose at least one category or list, or type a site or page, or choose Anything.';
  if (rule.where !== 'anywhere' && rule.where.addresses.length === 0) return 'Choose a network or type an address, or choose Anywhere.';
  return null;
}
