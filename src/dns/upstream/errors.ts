// Why an upstream exchange failed. The DNS server answers SERVFAIL for any of these; the reason and
// the list of tries are for logs and metrics.

export type UpstreamFailure =
  /** No matching reply before the per-try timeout or the overall deadline. */
  | 'timeout'
  /** ICMP port/host unreachable, TCP connection refused or reset, socket errors. */
  | 'unreachable'
  /** The upstream answered SERVFAIL. */
  | 'servfail'
  /** The upstream answered REFUSED. */
  | 'refused'
  /** A TCP answer that did not match the query, or a connection closed mid-answer. */
  | 'bad-response'
  /** The name cannot be put on the wire (empty label, label > 63 bytes, name > 255 bytes). */
  | 'bad-query'
  /** The forwarder was closed while the query was pending. */
  | 'closed';

export interface UpstreamTry {
  /** "host:port" ("[v6]:port" for IPv6). */
  readonly upstream: string;
  readonly transport: 'udp' | 'tcp';
  readonly reason: UpstreamFailure;
}

export class UpstreamError extends Error {
  /** The last try's reason (what ended the exchange). */
  readonly reason: UpstreamFailure;
  /** Every failed try in order; empty for 'bad-query' and for 'closed' before any try. */
  readonly tried: readonly UpstreamTry[];
  readonly elapsedMs: number;
  /** The last SERVFAIL/REFUSED response, if any: callers may relay it (it can carry Extended DNS Errors). */
  readonly lastResponse: Uint8Array | undefined;

  constructor(reason: UpstreamFailure, tried: readonly UpstreamTry[], elapsedMs: number, lastResponse?: Uint8Array) {
    const where = tried.length > 0 ? ` (tried ${tried.map((t) => `${t.upstream}/${t.transport}: ${t.reason}`).join(', ')})` : '';
    super(`upstream query failed: ${reason} after ${Math.round(elapsedMs)} ms${where}`);
    this.name = 'UpstreamError';
    this.reason = reason;
    this.tried = tried;
    this.elapsedMs = elapsedMs;
    this.lastResponse = lastResponse;
  }
}

export function isUpstreamError(e: unknown): e is UpstreamError {
  return e instanceof UpstreamError;
}
