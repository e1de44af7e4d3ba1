// Registered devices and the networks of a school's sites, validated: MACs normalised to one form,
// addresses and CIDR blocks canonical, so the unique constraints see equal things as equal.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import { parseAddress, parseCidr, formatIPv4, formatIPv6 } from '../net/ip.ts';
import { isDeviceClassId, type DeviceClassId } from './device-classes.ts';
import { canonicalUsername } from './people.ts';

export interface DeviceFields {
  readonly classId: DeviceClassId;
  readonly label: string;
  /** Lower-case colon form "aa:bb:cc:dd:ee:ff"; null when unknown. */
  readonly mac: string | null;
  /** Canonical IP address the device has on the school network; null when it has none fixed. */
  readonly address: string | null;
  /** Username of the owner (a person in the directory); null for shared devices. */
  readonly owner: string | null;
  /** A group given to the device itself (e.g. a class set of tablets); null to use the owner's or the class's. */
  readonly group: string | null;
}

export interface Device extends DeviceFields {
  readonly id: string;
  readonly schoolId: string;
}

export interface NetworkFields {
  /** Canonical "10.20.0.0/16". */
  readonly cidr: string;
  readonly site: string;
  readonly defaultGroup: string;
}

export interface Network extends NetworkFields {
  readonly id: string;
  readonly schoolId: string;
}

function invalid(message: string, input?: string): RingfenceError {
  return new RingfenceError(ErrorCodes.DIRECTORY_INVALID, message, input);
}

/**
 * Accepts "AA:BB:CC:DD:EE:FF", "aa-bb-cc-dd-ee-ff", "aabb.ccdd.eeff" and "aabbccddeeff"; returns the
 * lower-case colon form.
 */
export function normaliseMac(text: string): string {
  const t = text.trim();
  const hex = /^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}$/.test(t)
    ? t.replace(/[:-]/g, '')
    : /^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/.test(t)
      ? t.replace(/\./g, '')
      : /^[0-9A-Fa-f]{12}$/.test(t)
        ? t
        : null;
  if (hex === null) throw invalid(`MAC address ${quoteInput(text)} is not six hexadecimal bytes such as aa:bb:cc:dd:ee:ff`, text);
  return hex.toLowerCase().match(/../g)!.join(':');
}

export function canonicalAddress(text: string): string {
  const a = parseAddress(text.trim());
  return a.family === 4 ? formatIPv4(a.value) : formatIPv6(a.words);
}

const GROUP = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function validateGroupName(text: string): string {
  const g = text.trim();
  if (!GROUP.test(g)) throw invalid(`group ${quoteInput(text)} must be 1–64 lower-case letters, digits, . _ or -`, text);
  return g;
}

export interface DeviceInput {
  readonly classId: string;
  readonly label: string;
  readonly mac?: string | null;
  readonly address?: string | null;
  readonly owner?: string | null;
  readonly group?: string | null;
}

export function validateDevice(input: DeviceInput): DeviceFields {
  if (!isDeviceClassId(input.classId)) throw invalid(`device class ${quoteInput(input.classId)} is not one of the policy's classes`, input.classId);
  const label = input.label.trim();
  if (label === '' || label.length > 128) throw invalid('a device needs a label of 1–128 characters');
  let address: string | null = null;
  if (input.address) {
    try {
      address = canonicalAddress(input.address);
    } catch (e) {
      throw invalid((e as Error).message, input.address);
    }
  }
  return {
    classId: input.classId,
    label,
    mac: input.mac ? normaliseMac(input.mac) : null,
    address,
    owner: input.owner ? canonicalUsername(input.owner) : null,
    group: input.group ? validateGroupName(input.group) : null,
  };
}

export function validateNetwork(input: { cidr: string; site: string; defaultGroup: string }): NetworkFields {
  let cidr: string;
  try {
    const c = parseCidr(input.cidr.trim());
    cidr = `${c.address}/${c.prefix}`;
  } catch (e) {
    throw invalid((e as Error).message, input.cidr);
  }
  const site = input.site.trim();
  if (site === '' || site.length > 128) throw invalid('a network needs a site name of 1–128 characters');
  return { cidr, site, defaultGroup: validateGroupName(input.defaultGroup) };
}
