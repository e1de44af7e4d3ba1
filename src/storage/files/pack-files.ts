// The default policy pack and starter lists shipped in packs/default, and the school's own policy
// file (DATA/policy.yaml) when it has one.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { canonicalHost } from '../../core/host/canonical.ts';
import { policyFromPack } from '../../core/policy/pack.ts';
import type { Policy } from '../../core/policy/schema.ts';
import { parsePolicy } from '../../core/policy/validate.ts';
import type { StoredList } from '../../services/ports.ts';

export const DEFAULT_PACK_DIR = fileURLToPath(new URL('../../../packs/default/', import.meta.url));

function readYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RingfenceError(ErrorCodes.POLICY_INVALID, `cannot read ${path}: ${(e as Error).message}`, path);
  }
  try {
    return parseYaml(text);
  } catch (e) {
    throw new RingfenceError(ErrorCodes.POLICY_INVALID, `${path} is not valid YAML: ${(e as Error).message}`, path);
  }
}

export function loadDefaultPack(packDir = DEFAULT_PACK_DIR): Policy {
  return policyFromPack(readYaml(join(packDir, 'policy-pack.yaml')));
}

export function policyPath(dataDir: string): string {
  return join(dataDir, 'policy.yaml');
}

/** The school's policy when DATA/policy.yaml exists, else the default pack's. */
export function loadPolicy(dataDir: string): { policy: Policy; source: string } {
  const path = policyPath(dataDir);
  if (existsSync(path)) return { policy: parsePolicy(readYaml(path), path), source: path };
  return { policy: loadDefaultPack(), source: 'default pack' };
}

/** The built-in starter lists, one per category: `builtin/<category>`. */
export function loadStarterLists(packDir = DEFAULT_PACK_DIR): StoredList[] {
  const dir = join(packDir, 'starter');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => {
      const category = name.slice(0, -'.txt'.length);
      const domains = readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => canonicalHost(l, 'list').host);
      return {
        meta: {
          id: `builtin/${category}`,
          category,
          usage: 'block' as const,
          illegal: false,
          source: `packs/default/starter/${name}`,
          format: 'builtin' as const,
          importedAt: '1970-01-01T00:00:00.000Z',
          counts: { domains: domains.length, urls: 0, ips: 0 },
        },
        domains,
        urls: [],
        ips: [],
      };
    });
}
