// Every page of the console, in navigation order, with the permission that shows it. A page with
// `hidden` opens from a link (the block page's "ask for it to be unblocked") but has no place in
// the navigation.
import type { ComponentType } from 'react';
import type { Permission } from '../api/types';
import { ApprovalsPage } from '../pages/ApprovalsPage';
import { ExplainPage } from '../pages/ExplainPage';
import { HistoryPage } from '../pages/HistoryPage';
import { PolicyPage } from '../pages/policy/PolicyPage';
import { ActivityPage } from '../pages/activity/ActivityPage';
import { DashboardPage } from '../pages/dashboard/DashboardPage';
import { DevicesPage } from '../pages/devices/DevicesPage';
import { DirectoryPage } from '../pages/directory/DirectoryPage';
import { ListsPage } from '../pages/ListsPage';
import { SettingsPage } from '../pages/settings/SettingsPage';
import { UnblockFormPage } from '../pages/unblock/UnblockFormPage';
import { UnblockPage } from '../pages/unblock/UnblockPage';

export interface ConsolePage {
  /** The first route segment: #/policy. */
  readonly path: string;
  readonly title: string;
  /** Shown to roles holding any of these. */
  readonly anyOf: readonly Permission[];
  readonly component?: ComponentType;
  /** Opened by a link only; not in the navigation. */
  readonly hidden?: boolean;
}

export const PAGES: readonly ConsolePage[] = [
  // Every panel needs one of these: a teacher or governor without any has no dashboard.
  { path: 'dashboard', title: 'Dashboard', anyOf: ['activity:read', 'unblock:decide', 'changelog:read'], component: DashboardPage },
  { path: 'policy', title: 'Policy', anyOf: ['policy:read'], component: PolicyPage },
  { path: 'approvals', title: 'Approvals', anyOf: ['changelog:read'], component: ApprovalsPage },
  { path: 'history', title: 'History', anyOf: ['policy:read'], component: HistoryPage },
  { path: 'test', title: 'Test a request', anyOf: ['policy:explain'], component: ExplainPage },
  { path: 'lists', title: 'Lists', anyOf: ['policy:read'], component: ListsPage },
  { path: 'directory', title: 'Directory', anyOf: ['directory:read'], component: DirectoryPage },
  { path: 'devices', title: 'Devices', anyOf: ['devices:read'], component: DevicesPage },
  { path: 'activity', title: 'Activity', anyOf: ['activity:read'], component: ActivityPage },
  { path: 'unblock', title: 'Unblock requests', anyOf: ['unblock:request', 'unblock:decide'], component: UnblockPage },
  // #/requests/unblock?url=…&ref=…&category=…: where the proxy's block page sends a teacher.
  { path: 'requests', title: 'Ask for a site to be unblocked', anyOf: ['unblock:request'], component: UnblockFormPage, hidden: true },
  { path: 'settings', title: 'Settings', anyOf: ['schools:update', 'policy:settings', 'activity:settings'], component: SettingsPage },
];

/** The pages this role may open, built ones only (hidden ones included: the shell leaves them out of the navigation). */
export function pagesFor(can: (p: Permission) => boolean): ConsolePage[] {
  return PAGES.filter((p) => p.component && p.anyOf.some(can));
}
