// Small pieces every page uses: the page heading (which also names the browser tab and takes focus
// after navigation, so screen readers announce the new page), error and status messages.
import { useEffect, useRef, type ReactNode } from 'react';

export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – Ringfence`;
    ref.current?.focus();
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** An error for people to read; announced when it appears. */
export function ErrorMessage({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="message message-error" role="alert">
      {error}
    </p>
  );
}

/** A polite message (saved, submitted) in a live region that always exists, so it is announced. */
export function StatusMessage({ text }: { text: string | null }) {
  return (
    <p className={text ? 'message message-ok' : 'visually-hidden'} role="status">
      {text ?? ''}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return <p role="status">Loading {what}…</p>;
}

/** A date and time as people read it, in the browser's locale. */
export function When({ iso }: { iso: string | null }) {
  if (!iso) return <>–</>;
  const date = new Date(iso);
  return <time dateTime={iso}>{date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}</time>;
}
