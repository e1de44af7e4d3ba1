// A pupil or staff list from the school's information system: chosen as a CSV file (or pasted),
// previewed (who is added, changed, removed; an error for each bad line), then imported.
import { useState, type ChangeEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { ImportPreview } from '../../api/types';
import { ErrorMessage } from '../../components/common';
import { useSchool } from '../../shell/school';

const FORMATS = { pupil: 'username, display name, year group', staff: 'username, display name, groups (separated by ;)' } as const;

export function ImportPanel({ onImported }: { onImported(text: string): void }) {
  const { school } = useSchool();
  const [kind, setKind] = useState<'pupil' | 'staff'>('pupil');
  const [csv, setCsv] = useState('');
  const [replace, setReplace] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const body = { kind, csv, replace };
  const params = { path: { schoolId: school.id } };

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) setCsv(await file.text());
    setPreview(null);
  }

  async function showPreview() {
    if (!csv.trim()) return setError('Choose a CSV file or paste its lines first.');
    setBusy(true);
    setError(null);
    try {
      setPreview(await unwrap(api.POST('/api/schools/{schoolId}/imports/preview', { params, body })));
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  }

  async function apply() {
    setBusy(true);
    setError(null);
    try {
      const r = await unwrap(api.POST('/api/schools/{schoolId}/imports', { params, body }));
      setPreview(null);
      setCsv('');
      onImported(`Imported: ${r.added} added, ${r.changed} changed, ${r.removed} removed.`);
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  }

  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPreview(null);
  };
  return (
    <section aria-labelledby="import-heading" className="panel">
      <h2 id="import-heading">Import a pupil or staff list</h2>
      <div className="stack">
        <div className="field">
          <label htmlFor="import-kind">List of</label>
          <select id="import-kind" value={kind} onChange={(e) => edit(setKind)(e.target.value as 'pupil' | 'staff')} className="input-medium">
            <option value="pupil">Pupils</option>
            <option value="staff">Staff</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <p className="hint" id="import-format">
            One person a line: {FORMATS[kind]}.
          </p>
          <input id="import-file" type="file" accept=".csv,text/csv" aria-describedby="import-format" onChange={(e) => void readFile(e)} />
        </div>
        <div className="field">
          <label htmlFor="import-csv">Or paste the lines</label>
          <textarea id="import-csv" rows={4} value={csv} onChange={(e) => edit(setCsv)(e.target.value)} spellCheck={false} />
        </div>
        <div className="check">
          <input type="checkbox" id="import-replace" checked={replace} onChange={(e) => edit(setReplace)(e.target.checked)} />
          <label htmlFor="import-replace">Remove {kind === 'pupil' ? 'pupils' : 'staff'} who are not in the file</label>
        </div>
        <button type="button" className="button-secondary" disabled={busy} onClick={() => void showPreview()}>
          Preview
        </button>
      </div>
      <ErrorMessage error={error} />
      <div aria-live="polite">{preview && <PreviewView preview={preview} busy={busy} onApply={() => void apply()} />}</div>
    </section>
  );
}

function PreviewView({ preview, busy, onApply }: { preview: ImportPreview; busy: boolean; onApply(): void }) {
  const nothing = preview.add.length + preview.change.length + preview.remove.length === 0;
  return (
    <section aria-labelledby="preview-heading" className="import-preview">
      <h3 id="preview-heading">What the import does</h3>
      <p>
        {preview.add.length} to add, {preview.change.length} to change, {preview.remove.length} to remove, {preview.unchanged.length} unchanged
        {preview.errors.length > 0 && `, ${preview.errors.length} ${preview.errors.length === 1 ? 'line' : 'lines'} with errors`}.
      </p>
      {preview.add.length > 0 && (
        <>
          <h4>Added</h4>
          <ul>{preview.add.map((p) => <li key={p.username}>{p.displayName} ({p.username})</li>)}</ul>
        </>
      )}
      {preview.change.length > 0 && (
        <>
          <h4>Changed</h4>
          <ul>{preview.change.map((c) => <li key={c.after.username}>{c.after.username}: {c.fields.join(', ')}</li>)}</ul>
        </>
      )}
      {preview.remove.length > 0 && (
        <>
          <h4>Removed</h4>
          <ul>{preview.remove.map((u) => <li key={u}>{u}</li>)}</ul>
        </>
      )}
      {!preview.replace && preview.notInFile.length > 0 && <p className="hint">{preview.notInFile.length} already in the directory but not in the file stay.</p>}
      {preview.errors.length > 0 && (
        <>
          <h4>Lines with errors (not imported)</h4>
          <ul className="message message-error">
            {preview.errors.map((e) => (
              <li key={e.line}>
                Line {e.line}: {e.message} <code>{e.text}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {preview.errors.length > 0 ? (
        <p>Nothing is imported while any line has an error: correct the file and preview it again.</p>
      ) : (
        <button type="button" disabled={busy || nothing} onClick={onApply}>
          Import
        </button>
      )}
    </section>
  );
}
