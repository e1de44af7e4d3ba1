// Checks that dependencies point inward (see docs/ARCHITECTURE.md): src/core imports nothing from
// Node or the adapters; use cases only the core; adapters not each other. Usage:
//   node --import tsx scripts/lint-architecture.ts [ROOT]     (ROOT defaults to the repo root)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Which src/ folders each folder may import from (itself always). */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  services: ['core'],
  storage: ['core', 'services'],
  dns: ['core', 'services'],
  proxy: ['core', 'services'],
  api: ['core', 'services'],
  notify: ['core', 'services'],
  server: ['core', 'services', 'storage', 'dns', 'proxy', 'api', 'notify'],
  cli: ['core', 'services', 'storage', 'dns', 'proxy', 'api', 'notify', 'server'],
};

/** Pure npm packages the core may use (no I/O, no clock). */
const CORE_PACKAGES = new Set(['zod', 'tr46']);
const NODE_BUILTINS = new Set(builtinModules);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts)$/.test(name)) out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

export function checkArchitecture(root: string): string[] {
  const src = join(root, 'src');
  const problems: string[] = [];
  for (const file of sourceFiles(src)) {
    const folder = relative(src, file).split(sep)[0]!;
    const allowed = ALLOWED[folder];
    const where = relative(root, file);
    if (!allowed) {
      problems.push(`${where}: folder src/${folder} is not in the dependency rules (scripts/lint-architecture.ts)`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith('.')) {
        const target = relative(src, resolve(dirname(file), spec));
        const to = target.split(sep)[0]!;
        if (target.startsWith('..')) problems.push(`${where}: imports ${spec}, outside src/`);
        else if (to !== folder && !allowed.includes(to)) problems.push(`${where}: src/${folder} must not import src/${to} (${spec})`);
        continue;
      }
      const isNode = spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]!);
      if (folder === 'core') {
        if (isNode) problems.push(`${where}: src/core must not import Node built-ins (${spec}); pass what it needs in`);
        else if (!CORE_PACKAGES.has(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!)) {
          problems.push(`${where}: src/core may only use pure packages (${[...CORE_PACKAGES].join(', ')}), not ${spec}`);
        }
      }
    }
  }
  problems.push(...checkConsole(root));
  return problems;
}

/** The web console talks to the server through its generated client only: nothing outside web/. */
function checkConsole(root: string): string[] {
  const web = join(root, 'web', 'src');
  let files: string[];
  try {
    files = sourceFiles(web);
  } catch {
    return [];
  }
  const problems: string[] = [];
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith('.') && relative(web, resolve(dirname(file), spec)).startsWith('..')) {
        problems.push(`${relative(root, file)}: imports ${spec}, outside web/src (the console reaches the server through web/src/api only)`);
      }
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('lint-architecture.ts')) {
  const root = resolve(process.argv[2] ?? '.');
  const problems = checkArchitecture(root);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`architecture lint: ${problems.length} problem${problems.length > 1 ? 's' : ''}`);
    process.exit(1);
  }
  console.log('architecture lint: dependencies point inward');
}
