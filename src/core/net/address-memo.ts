// Client addresses as parsed once per address text: a client sends many requests, and the policy
// engine needs the parsed form for every decision. Bounded: cleared when it grows too large.
import { parseAddress, type ParsedAddress } from './ip.ts';

export class AddressMemo {
  private readonly parsed = new Map<string, ParsedAddress | null>();

  constructor(private readonly max = 65_536) {}

  /** The parsed address, or null when the text is not an IP address. */
  of(text: string): ParsedAddress | null {
    let parsed = this.parsed.get(text);
    if (parsed === undefined) {
      try {
        parsed = parseAddress(text);
      } catch {
        parsed = null;
      }
      if (this.parsed.size >= this.max) this.parsed.clear();
      this.parsed.set(text, parsed);
    }
    return parsed;
  }
}
