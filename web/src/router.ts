// Hash routing (#/policy, #/welcome/<token>): the server serves one index.html and needs no
// rewrites, and the first administrator's link from `npm start` opens the right page. A query after
// the path (#/requests/unblock?url=…) carries what the proxy's block page links with.
import { useEffect, useState } from 'react';

function hashParts(): [string, string] {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const at = hash.indexOf('?');
  return at < 0 ? [hash, ''] : [hash.slice(0, at), hash.slice(at + 1)];
}

function segments(): string[] {
  return hashParts()[0].split('/').filter(Boolean).map(decodeURIComponent);
}

function useHash<T>(read: () => T): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const changed = () => setValue(read());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, [read]);
  return value;
}

/** The route as path segments: #/welcome/abc → ['welcome', 'abc']. */
export function useRoute(): string[] {
  return useHash(segments);
}

const query = () => new URLSearchParams(hashParts()[1]);

/** The query after the route: #/report?ref=abc → ref=abc. */
export function useRouteQuery(): URLSearchParams {
  return useHash(query);
}

export function navigate(path: string): void {
  window.location.hash = `#${path}`;
}

export function href(path: string): string {
  return `#${path}`;
}
