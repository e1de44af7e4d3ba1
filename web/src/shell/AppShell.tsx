// The signed-in frame: skip link, header (school, who is signed in, role, sign out), navigation by
// permission, and the page the route names.
import type { MouseEvent } from 'react';
import { useSession, useCan, useSignedIn } from '../session/session';
import { href, useRoute } from '../router';
import { PageHeading } from '../components/common';
import { pagesFor, type ConsolePage } from './navigation';
import { SchoolProvider, useSchool } from './school';

export function AppShell() {
  const can = useCan();
  const pages = pagesFor(can);
  const [first] = useRoute();
  const listed = pages.filter((p) => !p.hidden);
  const current = pages.find((p) => p.path === first) ?? (first ? null : (listed[0] ?? null));
  return (
    <>
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to main content
      </a>
      {can('schools:read') ? (
        <SchoolProvider>
          <Header />
          <Navigation pages={listed} current={current} />
          <main id="main" tabIndex={-1}>
            {current?.component ? <current.component key={current.path} /> : <NotFound hasPages={pages.length > 0} />}
          </main>
        </SchoolProvider>
      ) : (
        <>
          <Header />
          <main id="main" tabIndex={-1}>
            <NotFound hasPages={false} />
          </main>
        </>
      )}
    </>
  );
}

// The skip link must not change the hash: the hash is the route.
function skipToMain(event: MouseEvent) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function Header() {
  const view = useSignedIn();
  const { signOut } = useSession();
  return (
    <header className="site-header">
      <p className="brand">Ringfence</p>
      <SchoolName />
      <p className="who">
        Signed in as <strong>{view.account.displayName || view.account.username}</strong>
        <span className="role">{view.account.roleTitle}</span>
      </p>
      <button type="button" className="button-secondary" onClick={() => void signOut()}>
        Sign out
      </button>
    </header>
  );
}

function SchoolName() {
  const can = useCan();
  if (!can('schools:read')) return null;
  return <SchoolPicker />;
}

function SchoolPicker() {
  const { schools, school, choose } = useSchool();
  if (schools.length === 1) return <p className="school">{school.name}</p>;
  return (
    <p className="school">
      <label htmlFor="school-picker">School</label>{' '}
      <select id="school-picker" value={school.id} onChange={(e) => choose(e.target.value)}>
        {schools.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </p>
  );
}

function Navigation({ pages, current }: { pages: readonly ConsolePage[]; current: ConsolePage | null }) {
  if (pages.length === 0) return null;
  return (
    <nav aria-label="Console" className="site-nav">
      <ul>
        {pages.map((p) => (
          <li key={p.path}>
            <a href={href(`/${p.path}`)} aria-current={p === current ? 'page' : undefined}>
              {p.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function NotFound({ hasPages }: { hasPages: boolean }) {
  return (
    <>
      <PageHeading title="Nothing here">{hasPages ? 'Page not found' : 'No console pages for this role'}</PageHeading>
      <p>{hasPages ? 'Choose a page from the navigation.' : 'This role has no pages in the console yet. Ask your school’s administrator if you need access.'}</p>
    </>
  );
}
