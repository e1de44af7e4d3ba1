// The school the console is looking at: the first the account may see, or the one chosen in the
// header when the account's scope spans several (a trust administrator).
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, messageOf, unwrap } from '../api/client';
import type { School } from '../api/types';
import { ErrorMessage, Loading } from '../components/common';

interface SchoolChoice {
  readonly schools: readonly School[];
  readonly school: School;
  choose(id: string): void;
}

const SchoolContext = createContext<SchoolChoice | null>(null);
const STORAGE_KEY = 'ringfence.school';

export function SchoolProvider({ children }: { children: ReactNode }) {
  const [schools, setSchools] = useState<School[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(() => window.localStorage.getItem(STORAGE_KEY));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    unwrap(api.GET('/api/schools')).then((r) => setSchools(r.schools), (e: unknown) => setError(messageOf(e)));
  }, []);

  if (error) return <ErrorMessage error={error} />;
  if (!schools) return <Loading what="your schools" />;
  if (schools.length === 0) return <p>This account cannot see any school yet. Ask an administrator to add one to its scope.</p>;
  const school = schools.find((s) => s.id === chosen) ?? schools[0]!;
  const choose = (id: string) => {
    window.localStorage.setItem(STORAGE_KEY, id);
    setChosen(id);
  };
  return <SchoolContext.Provider value={{ schools, school, choose }}>{children}</SchoolContext.Provider>;
}

export function useSchool(): SchoolChoice {
  const choice = useContext(SchoolContext);
  if (!choice) throw new Error('useSchool outside SchoolProvider');
  return choice;
}
