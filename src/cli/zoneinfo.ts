// Local time from the system's zoneinfo files (Debian's tzdata: /usr/share/zoneinfo, or $TZDIR)
// instead of ICU, whose data would otherwise cost every long-running command about 5 MiB. Zones
// without a readable file fall back to the runtime's own data (src/core/time/zone-source.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useZoneSource } from '../core/time/zone-source.ts';

/** IANA names only: no "..", no absolute paths, nothing outside the zoneinfo folder. */
const ZONE_NAME = /^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/;

export function installSystemZoneinfo(warn: (line: string) => void, dir = process.env.TZDIR || '/usr/share/zoneinfo'): void {
  useZoneSource(
    (timeZone) => {
      if (!ZONE_NAME.test(timeZone)) return null;
      try {
        return readFileSync(join(dir, timeZone));
      } catch {
        return null; // not there (or a folder): the runtime's data decides
      }
    },
    (timeZone, reason) => warn(`time zone ${timeZone}: ${join(dir, timeZone)} is unusable (${reason}); using the runtime's own zone data`),
  );
}
