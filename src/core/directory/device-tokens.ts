// DNS-over-HTTPS device tokens: `token,group[,user[,device]]` per line. The token in the path
// (/dns-query/<token>) says which device is asking wherever it is, so school laptops stay filtered
// off site. Until the device register exists, tokens come from this file.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import type { ClientIdentity } from './client-map.ts';
import { parseCsv } from './csv.ts';

export interface DeviceIdentity extends ClientIdentity {
  readonly device: string | null;
}

const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export function parseDeviceTokens(text: string, knownGroups: ReadonlySet<string>, fileName = 'tokens file'): Map<string, DeviceIdentity> {
  const { rows, error } = parseCsv(text);
  const problems: string[] = error ? [`${fileName}:${error.line}: ${error.message}`] : [];
  const tokens = new Map<string, DeviceIdentity>();
  for (const row of rows) {
    const [token = '', group = '', user = '', device = ''] = row.fields.map((f) => f.trim());
    if (token.startsWith('#') || (row.line === 1 && token.toLowerCase() === 'token')) continue;
    const bad = (why: string) => problems.push(`${fileName}:${row.line}: ${why}`);
    if (row.fields.length < 2 || row.fields.length > 4) bad(`expected token,group[,user[,device]], found ${row.fields.length} field(s)`);
    else if (!TOKEN.test(token)) bad('a token must be 16–128 letters, digits, "-" or "_" (it is a secret: make it long and random)');
    else if (!knownGroups.has(group)) bad(`unknown group ${quoteInput(group)} (known: ${[...knownGroups].join(', ')})`);
    else if (tokens.has(token)) bad('the same token is on an earlier line');
    else tokens.set(token, Object.freeze({ user: user || null, groups: Object.freeze([group]), device: device || null, source: `token:${row.line}` }));
  }
  if (problems.length > 0) {
    throw new RingfenceError(ErrorCodes.CSV_ROW_INVALID, `${problems.length} bad line(s) in ${fileName}:\n  ${problems.slice(0, 10).join('\n  ')}`, fileName);
  }
  return tokens;
}
