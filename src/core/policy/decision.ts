// What a decision says, and the plain-words reason that goes with it.
import type { Verdict } from './schema.ts';

export type Tier = 'locked' | 'school' | 'default';

export interface Decision {
  readonly action: 'allow' | 'block';
  /** Locked-tier hits (verdict I) and rules marked alert raise an alert for the DSL. */
  readonly alert: boolean;
  readonly verdict: Verdict | null;
  readonly tier: Tier;
  /** The school rule's id, `locked:<category>` for the locked tier, null for the default. */
  readonly rule: string | null;
  readonly category: string | null;
  readonly list: string | null;
  readonly reason: string;
}

const VERDICT_WORDS: Record<Verdict, string> = {
  A: 'acceptable',
  T: 'acceptable at certain times',
  N: 'acceptable for nominated users',
  U: 'unacceptable',
  I: 'unacceptable and illegal',
};

export interface ReasonParts {
  readonly tier: Tier;
  readonly action: 'allow' | 'block';
  readonly ruleName: string | null;
  readonly verdict: Verdict | null;
  readonly categoryTitle: string | null;
  readonly list: string | null;
  /** How the rule matched when not through a list: its own domains or URLs, or "anything". */
  readonly matchedBy: 'list' | 'rule-pattern' | 'anything' | 'none';
}

function where(p: ReasonParts): string {
  if (p.categoryTitle && p.list) return `the site is in "${p.categoryTitle}" (list ${p.list})`;
  if (p.list) return `the site is on list ${p.list}`;
  if (p.matchedBy === 'rule-pattern') return 'the rule names this site';
  return 'the rule applies to every site';
}

export function reasonFor(p: ReasonParts): string {
  switch (p.tier) {
    case 'locked':
      return `Blocked: ${where(p)}, which is illegal content in the locked tier; no school rule can allow it. An alert is raised.`;
    case 'school': {
      const verb = p.action === 'allow' ? 'Allowed' : 'Blocked';
      const verdict = p.verdict ? ` (${VERDICT_WORDS[p.verdict]})` : '';
      return `${verb} by school rule "${p.ruleName}"${verdict}: ${where(p)}.`;
    }
    case 'default': {
      const verb = p.action === 'allow' ? 'Allowed' : 'Blocked';
      if (p.list) return `${verb} by the default: no school rule covers ${p.categoryTitle ? `"${p.categoryTitle}"` : 'this site'} (list ${p.list}).`;
      return `${verb} by the default: the site is in no list and no rule matched.`;
    }
  }
}
