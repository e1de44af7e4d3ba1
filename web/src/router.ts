// Hash routing (#/policy, #/welcome/<token>): the server serves one index.html and needs no
// rewrites, and the first administrator's link from `npm start` opens the right page.
import { useEffect, useState } from 'react';

function segments(): string[] {
  return window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

/** The route as path segments: #/welcome/abc → ['welcome', 'abc']. */
export function useRoute(): string[] {
  const [route, setRoute] = useState(segments);
  useEffect(() => {
    const changed = () => setRoute(segments());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function navigate(path: string): void {
  window.location.hash = `#${path}`;
}

export function href(path: string): string {
  return `#${path}`;
}
