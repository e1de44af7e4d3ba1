/** The only source of "now": passed into whatever needs the time, so the core never reads a clock itself. */
export interface Clock {
  now(): Date;
}

export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}
