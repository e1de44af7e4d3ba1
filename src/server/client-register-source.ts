// The clients the device register gives, read from its last good copy in the data folder (written by
// client-register.ts whenever the register changes), rebuilt at each load so guests lapse on time.
import { ClientMap } from '../core/directory/client-map.ts';
import { clientMapFromRegister } from '../services/directory/client-register.ts';
import { ClientRegisterFile, type SavedClientRegister } from '../storage/files/last-good-clients.ts';

export type RegisterInForce = SavedClientRegister;

export interface RegisterClients {
  readonly clients: ClientMap;
  /** The register behind `clients`, to keep if the next read finds the file damaged. */
  readonly inForce: RegisterInForce | null;
  /** For messages: "the device register (read 2026-…)". */
  readonly source: string;
  readonly problems: readonly string[];
}

export function registerClients(dataDir: string, inForce: RegisterInForce | null, now: Date): RegisterClients {
  let saved: SavedClientRegister | null;
  const problems: string[] = [];
  try {
    saved = new ClientRegisterFile(dataDir).read();
  } catch (e) {
    // A damaged copy is never read as "no devices": the register in force stays (none on a first start).
    problems.push(`a damaged client register: ${(e as Error).message}${inForce ? '; the one read before stays in force' : ''}`);
    saved = inForce;
  }
  if (!saved) return { clients: ClientMap.empty(), inForce: null, source: 'the device register (no copy saved yet)', problems };
  return { clients: clientMapFromRegister(saved.register, now), inForce: saved, source: `the device register (read ${saved.fetchedAt})`, problems };
}
