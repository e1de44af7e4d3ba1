// The school's own words on the block page pupils see: a heading, an explanation and who to talk
// to, with a live preview. The preview is React text (escaped), as the proxy escapes the real page;
// the server checks the same limits and refuses control characters.
import { useEffect, useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import { ErrorMessage } from '../../components/common';
import { useSchool } from '../../shell/school';

interface Text {
  heading: string;
  explanation: string;
  whoToAsk: string;
}
interface Limits {
  heading: number;
  explanation: number;
  whoToAsk: number;
}

const count = (s: string) => Array.from(s.trim()).length;

export function BlockPageSettings({ onStatus }: { onStatus(text: string): void }) {
  const { school } = useSchool();
  const [text, setText] = useState<Text | null>(null);
  const [defaults, setDefaults] = useState<Text | null>(null);
  const [limits, setLimits] = useState<Limits | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(api.GET('/api/schools/{schoolId}/block-page', { params: { path: { schoolId: school.id } } })).then(
      (r) => {
        setText(r.text);
        setDefaults(r.defaults);
        setLimits(r.limits);
      },
      (e: unknown) => setError(messageOf(e)),
    );
  }, [school.id]);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!text) return;
    setError(null);
    try {
      const r = await unwrap(api.PUT('/api/schools/{schoolId}/block-page', { params: { path: { schoolId: school.id } }, body: text }));
      setText(r.text);
      onStatus(r.isDefault ? 'The block page shows the built-in words.' : 'Block page saved: pupils see the new words from now on.');
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const field = (name: keyof Text) => ({
    value: text?.[name] ?? '',
    onChange: (e: { target: { value: string } }) => setText((t) => (t ? { ...t, [name]: e.target.value } : t)),
    'aria-describedby': `block-${name}-hint block-${name}-count`,
  });
  const counter = (name: keyof Text) =>
    limits && text ? (
      <p className={count(text[name]) > limits[name] ? 'hint over-limit' : 'hint'} id={`block-${name}-count`}>
        {count(text[name])} of {limits[name]} characters
      </p>
    ) : null;

  return (
    <section aria-labelledby="block-page-heading" className="panel">
      <h2 id="block-page-heading">Block page</h2>
      <p>What pupils see when a site is blocked. The category, the site, the time and the links stay as they are.</p>
      <ErrorMessage error={error} />
      {text && (
        <div className="block-page-editor">
          <form className="stack" onSubmit={(e) => void save(e)} noValidate>
            <div className="field">
              <label htmlFor="block-heading">Heading</label>
              <p className="hint" id="block-heading-hint">
                Plain text. Shown large at the top of the page.
              </p>
              <input id="block-heading" name="heading" {...field('heading')} />
              {counter('heading')}
            </div>
            <div className="field">
              <label htmlFor="block-explanation">Explanation (optional)</label>
              <p className="hint" id="block-explanation-hint">
                Plain text, shown under the category. Each line is a paragraph.
              </p>
              <textarea id="block-explanation" name="explanation" rows={4} {...field('explanation')} />
              {counter('explanation')}
            </div>
            <div className="field">
              <label htmlFor="block-whoToAsk">Who to talk to</label>
              <p className="hint" id="block-whoToAsk-hint">
                Plain text, shown under “What can I do?”.
              </p>
              <input id="block-whoToAsk" name="whoToAsk" {...field('whoToAsk')} />
              {counter('whoToAsk')}
            </div>
            <div className="button-row">
              <button type="submit">Save the block page</button>
              {defaults && (
                <button type="button" className="button-secondary" onClick={() => setText(defaults)}>
                  Use the built-in words
                </button>
              )}
            </div>
          </form>
          <BlockPagePreview text={text} />
        </div>
      )}
    </section>
  );
}

/** The block page as a pupil would see it, for a sample category. Text only: React escapes it. */
function BlockPagePreview({ text }: { text: Text }) {
  const paragraphs = text.explanation.split(/\r?\n/).map((p) => p.trim()).filter((p) => p !== '');
  return (
    <figure className="block-preview" aria-labelledby="block-preview-caption">
      <figcaption id="block-preview-caption">Preview, for a site in the Gambling category</figcaption>
      <div className="block-preview-page" data-testid="block-preview">
        <p className="block-preview-band">The school’s online safety filter</p>
        <div className="block-preview-main">
          <p className="block-preview-title">{text.heading.trim()}</p>
          <p>
            This site is blocked at school because it is in the category: <strong>Gambling</strong>.
          </p>
          <p>This category covers betting and gambling.</p>
          {paragraphs.map((p, i) => (
            <p key={i}>{p}</p>
          ))}
          <p className="block-preview-subtitle">What can I do?</p>
          <p>{text.whoToAsk.trim()}</p>
        </div>
      </div>
    </figure>
  );
}
