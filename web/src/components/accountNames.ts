// Names for the account ids the change log holds: "you", a name when the role may list accounts,
// otherwise "another person".
import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import { useCan, useSignedIn } from '../session/session';

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
  return (id) => (id === null ? 'nobody' : id === me ? 'you' : (names.get(id) ?? 'another person'));
}
