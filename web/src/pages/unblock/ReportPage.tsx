// "Report a problem" from the proxy's block or error page (#/report?url=…&ref=…). There is no
// reporting API yet, so this page shows the reference and asks the person to show it to a teacher;
// it works without signing in, as pupils have no console account.
import { useEffect, useRef } from 'react';
import { useRouteQuery } from '../../router';

export function ReportPage() {
  const query = useRouteQuery();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = 'Report a problem – Ringfence';
    heading.current?.focus();
  }, []);
  const ref = query.get('ref');
  const url = query.get('url');
  return (
    <main id="main" className="narrow">
      <h1 ref={heading} tabIndex={-1}>
        Report a problem
      </h1>
      <p className="lead">If a site you need was blocked, or a page did not work, tell a teacher. Show them this page or write down the reference.</p>
      <dl className="facts panel">
        <dt>Reference</dt>
        <dd className="reference" data-testid="report-ref">
          {ref || 'none given'}
        </dd>
        {url && (
          <>
            <dt>Site</dt>
            <dd className="wrap">{url}</dd>
          </>
        )}
      </dl>
      <p>The teacher or the school’s network manager can find what happened in the activity log from the reference.</p>
    </main>
  );
}
