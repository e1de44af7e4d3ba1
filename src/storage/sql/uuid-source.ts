// New record ids: UUIDv7 from the clock and the system's random source.
import { randomBytes } from 'node:crypto';
import { formatUuidV7 } from '../../core/org/id.ts';
import type { Clock, IdSource } from '../../services/ports.ts';

export function uuidV7Source(clock: Clock = { now: () => new Date() }): IdSource {
  return { newId: () => formatUuidV7(clock.now().getTime(), randomBytes(10)) };
}
