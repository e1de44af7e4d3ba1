// A fatal TLS alert, sent in place of a ServerHello when a tunnel is refused after the proxy has
// already answered 200 to CONNECT: the browser then shows a TLS error at once instead of hanging.

/** Alert descriptions worth sending (RFC 8446 6.2). */
export const TlsAlert = {
  /** The SNI names a blocked site, or differs from the CONNECT host. */
  unrecognizedName: 112,
  /** The client or site is not allowed through. */
  accessDenied: 49,
  handshakeFailure: 40,
  protocolVersion: 70,
  internalError: 80,
} as const;

export type TlsAlertDescription = (typeof TlsAlert)[keyof typeof TlsAlert];

const ALERT = 0x15;
const FATAL = 2;

/**
 * The 7 bytes of one fatal alert record. Record version 3.3 (TLS 1.2): RFC 8446 5.1 asks for it on
 * every record but the first ClientHello, and clients accept any 3.x before a version is agreed.
 */
export function tlsAlert(description: TlsAlertDescription): Uint8Array {
  return Uint8Array.of(ALERT, 3, 3, 0, 2, FATAL, description);
}
