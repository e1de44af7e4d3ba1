// Compiles every stored list, plus the built-in starter lists, into a new versioned category
// snapshot and makes it current. A list that cannot be read stops the compile (the previous
// snapshot stays in force): it is never silently left out.
import { buildSnapshotContents, type BuilderList } from '../../core/lists/snapshot-builder.ts';
import type { ListStore, ProgressReporter, SnapshotSink, StoredList } from '../ports.ts';

export interface CompileResult {
  readonly version: number;
  readonly path: string;
  readonly lists: number;
  readonly domains: number;
  readonly urls: number;
  readonly ips: number;
  readonly bytes: number;
  readonly millis: number;
}

export interface CompileDeps {
  readonly store: ListStore;
  readonly snapshots: SnapshotSink;
  readonly starterLists: readonly StoredList[];
  readonly progress: ProgressReporter;
  readonly now: () => Date;
}

export async function compileLists(deps: CompileDeps): Promise<CompileResult> {
  const started = performance.now();
  const metas = (await deps.store.listMetas()).sort((a, b) => a.id.localeCompare(b.id));
  const lists: BuilderList[] = [...deps.starterLists];
  deps.progress.start('compiling lists', metas.length);
  let expected = 0;
  for (const meta of metas) {
    const list = await deps.store.readList(meta.id);
    lists.push(list);
    expected += list.domains.length;
    deps.progress.advance(1);
  }
  const version = deps.snapshots.nextVersion();
  const contents = buildSnapshotContents(lists, { version, createdAt: deps.now().toISOString(), expectedDomains: expected });
  const written = deps.snapshots.write(contents);
  const result: CompileResult = {
    version,
    path: written.path,
    lists: lists.length,
    domains: contents.domains.size,
    urls: contents.urls.length,
    ips: contents.ips.length,
    bytes: written.bytes,
    millis: Math.round(performance.now() - started),
  };
  deps.progress.done(`snapshot v${version}: ${result.domains} domains, ${result.urls} URLs, ${result.ips} addresses from ${result.lists} lists`);
  return result;
}
