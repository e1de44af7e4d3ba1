// Counting failed sign-in steps: each failure goes to the throttle; a lock-out it starts is written
// to the audit log (failures themselves are not, one by one: a guessing run would flood the log).
import { cleanClientText } from '../../core/access/console-account.ts';
import type { ConsoleAuthDeps } from './deps.ts';

export async function countFailure(deps: ConsoleAuthDeps, username: string | null, client: string): Promise<void> {
  const lockOuts = deps.throttle.recordFailure(username, client, deps.clock.now().getTime());
  for (const lockOut of lockOuts) {
    await deps.audit.append({
      schoolId: null,
      actor: 'system',
      action: 'console.sign-in.lock-out',
      target: `${lockOut.kind}:${cleanClientText(lockOut.key, 200)}`,
      details: { retryAfterSeconds: lockOut.retryAfterSeconds },
    });
  }
}

/** The throttle's key for what someone typed as a username: canonical when it can be, else bounded text. */
export function throttleKey(username: string): string {
  return cleanClientText(username.trim().normalize('NFC').toLowerCase(), 64);
}
