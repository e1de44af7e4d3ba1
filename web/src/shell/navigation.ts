// Every page of the console, in navigation order, with the permission that shows it. Pages not
// built yet have no component: they stay out of the navigation until someone adds one (issue
// "The web console", items 3 and 6–10).
import type { ComponentType } from 'react';
import type { Permission } from '../api/types';
import { ApprovalsPage } from '../pages/ApprovalsPage';
import { ExplainPage } from '../pages/ExplainPage';
import { HistoryPage } from '../pages/HistoryPage';
import { PolicyPage } from '../pages/policy/PolicyPage';

export interface ConsolePage {
  /** The first route segment: #/policy. */
  readonly path: string;
  readonly title: string;
  /** Shown to roles holding any of these. */
  readonly anyOf: readonly Permission[];
  readonly component?: ComponentType;
}

export const PAGES: readonly ConsolePage[] = [
  { path: 'dashboard', title: 'Dashboard', anyOf: ['schools:read'] },
  { path: 'policy', title: 'Policy', anyOf: ['policy:read'], component: PolicyPage },
  { path: 'approvals', title: 'Approvals', anyOf: ['changelog:read'], component: ApprovalsPage },
  { path: 'history', title: 'History', anyOf: ['policy:read'], component: HistoryPage },
  { path: 'test', title: 'Test a request', anyOf: ['policy:explain'], component: ExplainPage },
  { path: 'lists', title: 'Lists', anyOf: ['policy:read'] },
  { path: 'directory', title: 'Directory', anyOf: ['directory:read'] },
  { path: 'devices', title: 'Devices', anyOf: ['devices:read'] },
  { path: 'activity', title: 'Activity', anyOf: ['activity:read'] },
  { path: 'unblock', title: 'Unblock requests', anyOf: ['unblock:request', 'unblock:decide'] },
  { path: 'settings', title: 'Settings', anyOf: ['schools:update', 'policy:settings', 'accounts:read'] },
];

/** The pages this role may open, built ones only. */
export function pagesFor(can: (p: Permission) => boolean): ConsolePage[] {
  return PAGES.filter((p) => p.component && p.anyOf.some(can));
}
