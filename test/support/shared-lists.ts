// Imports the real category lists from ../shared/data into a data folder through the product's own
// import pipeline, with the list ids the default pack names. Used by tests that need real data.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importLists, type ImportRequest } from '../../src/services/lists/import.ts';
import { silentProgress } from '../../src/services/ports.ts';
import { FileListStore } from '../../src/storage/files/list-store.ts';
import { rebuildSnapshot } from '../../src/server/wiring.ts';

export const SHARED_DATA = resolve('../shared/data');
export const SHARED_DOMAINS = join(SHARED_DATA, 'domains');

/** Every non-UT1 file the default pack maps, with the id the pack knows it by. */
export const SHARED_NAMED_LISTS: readonly (Omit<ImportRequest, 'path'> & { file: string })[] = [
  { file: 'adult_alternatives/sinfonietta_pornography-hosts', format: 'hosts', name: 'sinfonietta/porn' },
  { file: 'adult_alternatives/chadmayfield_pi_blocklist_porn_top1m.list', format: 'domains', name: 'chadmayfield/porn' },
  { file: 'adult_alternatives/tiuxo_porn_hosts', format: 'hosts', name: 'tiuxo/porn' },
  { file: 'adult_alternatives/sinfonietta_snuff-hosts', format: 'hosts', name: 'sinfonietta/snuff' },
  { file: 'adult_alternatives/sinfonietta_gambling-hosts', format: 'hosts', name: 'sinfonietta/gambling' },
  { file: 'adult_alternatives/sinfonietta_social-hosts', format: 'hosts', name: 'sinfonietta/social' },
  { file: 'blocklistproject/crypto.txt', format: 'hosts', name: 'blp/crypto' },
  { file: 'blocklistproject/drugs.txt', format: 'hosts', name: 'blp/drugs' },
  { file: 'blocklistproject/facebook.txt', format: 'hosts', name: 'blp/facebook' },
  { file: 'blocklistproject/fortnite.txt', format: 'hosts', name: 'blp/fortnite' },
  { file: 'blocklistproject/piracy.txt', format: 'hosts', name: 'blp/piracy' },
  { file: 'blocklistproject/ransomware.txt', format: 'hosts', name: 'blp/ransomware' },
  { file: 'blocklistproject/scam.txt', format: 'hosts', name: 'blp/scam' },
  { file: 'blocklistproject/tiktok.txt', format: 'hosts', name: 'blp/tiktok' },
  { file: 'blocklistproject/torrent.txt', format: 'hosts', name: 'blp/torrent' },
  { file: 'blocklistproject/twitter.txt', format: 'hosts', name: 'blp/twitter' },
  { file: 'blocklistproject/vaping.txt', format: 'hosts', name: 'blp/vaping' },
  { file: 'blocklistproject/whatsapp.txt', format: 'hosts', name: 'blp/whatsapp' },
  { file: 'blocklistproject/youtube.txt', format: 'hosts', name: 'blp/youtube' },
  { file: 'hagezi_2022/doh-vpn-proxy-bypass.txt', format: 'domains', name: 'hagezi/doh-vpn-proxy-bypass' },
  { file: 'hagezi_2022/nosafesearch.txt', format: 'domains', name: 'hagezi/nosafesearch' },
];

export function sharedDataAvailable(): boolean {
  return existsSync(join(SHARED_DOMAINS, 'ut1'));
}

/** Imports UT1 and the named lists into `dataDir` and compiles a snapshot. */
export async function importSharedLists(dataDir: string): Promise<void> {
  const deps = { store: new FileListStore(dataDir), progress: silentProgress, now: () => new Date('2026-11-23T08:00:00Z') };
  await importLists({ format: 'ut1', path: join(SHARED_DOMAINS, 'ut1') }, deps);
  for (const { file, ...request } of SHARED_NAMED_LISTS) await importLists({ ...request, path: join(SHARED_DOMAINS, file) }, deps);
  await rebuildSnapshot(dataDir, deps.store, silentProgress);
}
