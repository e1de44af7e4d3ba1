// Where local-time rules come from. By default the JavaScript runtime's Intl (ICU) answers; a
// process that can read the system's zoneinfo files installs a source at start-up
// (`installSystemZoneinfo` in src/cli), and every LocalClock made afterwards uses the file's rules.
// A zone the source does not have, or whose file does not parse, falls back to Intl.
import { parseTzif, type ZoneRules } from './tzif.ts';

/** The TZif bytes for an IANA zone name, or null when there are none. */
export type ZoneSource = (timeZone: string) => Uint8Array | null;

let source: ZoneSource | null = null;
const parsed = new Map<string, ZoneRules | null>();
/** Why a zone's file was not used, for whoever installed the source (logged once per zone). */
let onUnusable: (timeZone: string, reason: string) => void = () => {};

export function useZoneSource(next: ZoneSource | null, report: (timeZone: string, reason: string) => void = () => {}): void {
  source = next;
  onUnusable = report;
  parsed.clear();
}

/** The zone's rules from the installed source, or null (then Intl decides). */
export function zoneRulesFor(timeZone: string): ZoneRules | null {
  if (source === null) return null;
  const known = parsed.get(timeZone);
  if (known !== undefined) return known;
  let rules: ZoneRules | null = null;
  try {
    const bytes = source(timeZone);
    if (bytes !== null) rules = parseTzif(bytes);
  } catch (e) {
    onUnusable(timeZone, (e as Error).message);
  }
  parsed.set(timeZone, rules);
  return rules;
}
