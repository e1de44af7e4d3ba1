// Names for the account ids the change log holds: "you", "Ringfence" for the system, a name when
// the role may list accounts, otherwise "another person".
import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import { useCan, useSignedIn } from '../session/session';

/** The author the server records for changes it makes itself (services/policy-change/first-version.ts). */
const SYSTEM_ACTOR = 'system';

export function useAccountName(): (id: string | null) => string {
  const can = useCan();
  const me = useSignedIn().account.id;
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const mayList = can('accounts:read');
  useEffect(() => {
    if (!mayList) return;
    unwrap(api.GET('/api/accounts')).then(
      (r) => setNames(new Map(r.accounts.map((a) => [a.id, a.displayName || a.username]))),
      () => setNames(new Map()),
    );
  }, [mayList]);
  return (id) => {
    if (id === null) return 'nobody';
    if (id === me) return 'you';
    // Changes Ringfence makes itself: the first version, unblock rules that end.
    if (id === SYSTEM_ACTOR) return 'Ringfence';
    return names.get(id) ?? 'another person';
  };
}
