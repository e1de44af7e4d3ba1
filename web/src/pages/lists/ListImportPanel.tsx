// Importing a category list from the console: a file or pasted lines, a name, one of the policy's
// categories (never a locked one) and its use. The server works in the background; this polls the
// job and shows its progress in a <progress> bar, then the counts and the first bad lines.
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { ListImportInput, ListImportJob, PolicyDocument } from '../../api/types';
import { ErrorMessage } from '../../components/common';
import { useSchool } from '../../shell/school';

const POLL_MS = 400;

const STAGES: Record<ListImportJob['stage'], string> = {
  waiting: 'Waiting for another import to finish',
  reading: 'Reading the lines',
  compiling: 'Compiling the lists',
  reloading: 'Putting the new lists in force',
  finished: 'Finished',
};

const FORMATS: Record<ListImportInput['format'], string> = {
  domains: 'One site a line (example.com, an address, or host/path)',
  hosts: 'A hosts file (0.0.0.0 example.com)',
  adblock: 'Adblock rules (||example.com^)',
};

/** "Gaming Sites (2025).txt" → "school/gaming-sites-2025": a suggestion the person can change. */
function nameFromFile(fileName: string): string {
  const base = fileName.toLowerCase().replace(/\.(txt|list|lst|hosts|domains|conf)$/, '').replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 90);
  return base ? `school/${base}` : '';
}

export function ListImportPanel({ onImported }: { onImported(): void }) {
  const { school } = useSchool();
  const [policy, setPolicy] = useState<PolicyDocument | null>(null);
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [category, setCategory] = useState('');
  const [usage, setUsage] = useState<ListImportInput['usage']>('block');
  const [format, setFormat] = useState<ListImportInput['format']>('domains');
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<ListImportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A ref, so a new callback from the page does not restart the polling.
  const imported = useRef(onImported);
  imported.current = onImported;

  useEffect(() => {
    unwrap(api.GET('/api/schools/{schoolId}/policy', { params: { path: { schoolId: school.id } } })).then(
      (r) => setPolicy(r.current?.document ?? null),
      (e: unknown) => setError(messageOf(e)),
    );
  }, [school.id]);

  // Polls the job until it is no longer running; stops when the page goes away.
  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await unwrap(api.GET('/api/schools/{schoolId}/lists/imports/{jobId}', { params: { path: { schoolId: school.id, jobId } } }));
        if (stopped) return;
        setJob(next);
        if (next.state === 'running') timer = setTimeout(() => void poll(), POLL_MS);
        else if (next.state === 'done') imported.current();
      } catch (e) {
        if (!stopped) setError(messageOf(e));
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId, school.id]);

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    // The name is suggested at once; reading a large file may take a moment.
    if (!name) setName(nameFromFile(file.name));
    setText(await file.text());
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    if (!text.trim()) return setError('Choose a list file or paste its lines first.');
    if (!name.trim()) return setError('Give the list a name, such as school/extra-gaming.');
    if (!category) return setError('Choose the category the list belongs to.');
    setJob(null);
    try {
      const started = await unwrap(api.POST('/api/schools/{schoolId}/lists/imports', { params: { path: { schoolId: school.id } }, body: { name: name.trim(), category, usage, format, text } }));
      setJobId(started.jobId);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const locked = new Set(policy?.locked.categories ?? []);
  const categories = Object.entries(policy?.categories ?? {}).filter(([id]) => !locked.has(id));
  const running = job?.state === 'running' || (jobId !== null && job === null);
  return (
    <section aria-labelledby="list-import-heading" className="panel">
      <h2 id="list-import-heading">Import a list</h2>
      <p className="hint">Lists of illegal content (IWF, CTIRU) come from their licensed feeds and are imported on the server, not here.</p>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="list-import-format">Format</label>
          <select id="list-import-format" value={format} onChange={(e) => setFormat(e.target.value as ListImportInput['format'])} className="input-medium">
            {Object.entries(FORMATS).map(([id, title]) => (
              <option key={id} value={id}>{title}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="list-import-file">List file</label>
          <input id="list-import-file" type="file" accept=".txt,.list,.lst,.hosts,.domains,.conf,text/plain" onChange={(e) => void readFile(e)} />
        </div>
        <div className="field">
          <label htmlFor="list-import-text">Or paste the lines</label>
          <textarea id="list-import-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="list-import-name">Name</label>
          <p className="hint" id="list-import-name-hint">
            Lower-case letters, digits, dots, dashes, with one “/”, such as school/extra-gaming. Importing a name again replaces that list.
          </p>
          <input id="list-import-name" value={name} onChange={(e) => setName(e.target.value)} aria-describedby="list-import-name-hint" spellCheck={false} autoCapitalize="none" className="input-medium" />
        </div>
        <div className="field">
          <label htmlFor="list-import-category">Category</label>
          <select id="list-import-category" value={category} onChange={(e) => setCategory(e.target.value)} className="input-medium">
            <option value="">Choose a category</option>
            {categories.map(([id, c]) => (
              <option key={id} value={id}>{c.title}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="list-import-usage">Used to</label>
          <select id="list-import-usage" value={usage} onChange={(e) => setUsage(e.target.value as ListImportInput['usage'])} className="input-medium">
            <option value="block">Block the sites</option>
            <option value="allow">Allow the sites (never over-block them)</option>
          </select>
        </div>
        <button type="submit" disabled={running}>Import</button>
      </form>
      <ErrorMessage error={error} />
      {jobId && <ImportProgress job={job} />}
    </section>
  );
}

function ImportProgress({ job }: { job: ListImportJob | null }) {
  const finished = job?.state === 'done';
  const stage = job ? STAGES[job.stage] : 'Starting';
  const total = finished ? 1 : job?.total ?? null;
  const done = finished ? 1 : job?.done ?? 0;
  return (
    <div className="import-progress">
      <label htmlFor="list-import-progress">Import progress</label>
      {total ? <progress id="list-import-progress" max={total} value={Math.min(done, total)} /> : <progress id="list-import-progress" />}
      {job?.state === 'running' && job.total ? (
        <p className="hint">
          {job.done.toLocaleString('en-GB')} of {job.total.toLocaleString('en-GB')}
        </p>
      ) : null}
      {/* The stage only: announcing every step of the bar would drown the screen reader. */}
      <p role="status" aria-live="polite">
        {job?.state === 'failed' ? 'The import failed.' : finished ? 'Import finished.' : `${stage}…`}
      </p>
      {job?.state === 'failed' && job.error && <ErrorMessage error={job.error.message} />}
      {job?.result && <ImportResult result={job.result} />}
    </div>
  );
}

function ImportResult({ result }: { result: NonNullable<ListImportJob['result']> }) {
  const n = (v: number) => v.toLocaleString('en-GB');
  return (
    <section aria-labelledby="list-import-result-heading">
      <h3 id="list-import-result-heading">Imported {result.id}</h3>
      <p>
        {n(result.domains)} domains, {n(result.urls)} URLs and {n(result.ips)} addresses from {n(result.lines)} lines, in snapshot {result.snapshotVersion}
        {result.bad > 0 ? `; ${n(result.bad)} ${result.bad === 1 ? 'line was' : 'lines were'} not understood and left out.` : '; every line was understood.'}
      </p>
      {!result.inForce && <p className="message message-warning">The filter has not loaded the new lists yet; it will on its next check.</p>}
      {result.badLines.length > 0 && (
        <>
          <h4>{result.bad > result.badLines.length ? `The first ${result.badLines.length} lines left out` : 'Lines left out'}</h4>
          <ul className="message message-warning">
            {result.badLines.map((b) => (
              <li key={b.line}>
                Line {b.line}: {b.reason} <code>{b.text}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
