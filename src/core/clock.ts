/** The only source of "now": passed into whatever needs the time, so the core never reads a clock itself. */
export interface Clock {
  now(): Date;
}

