// Writing Ringfence's own answers: pages on an HTTP response, or a whole response on a raw socket
// (CONNECT and parser errors, where there is no ServerResponse).
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface Page {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 407: 'Proxy Authentication Required',
  408: 'Request Timeout', 417: 'Expectation Failed', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** Sends a page; `extra` adds headers (Proxy-Authenticate, Retry-After…). Returns the bytes of the body. */
export function sendPage(res: ServerResponse, page: Page, extra: Readonly<Record<string, string>> = {}): number {
  const body = Buffer.from(page.body, 'utf8');
  if (res.headersSent) {
    res.destroy();
    return 0;
  }
  res.writeHead(page.status, { ...page.headers, ...extra, 'Content-Length': String(body.length), 'Cache-Control': 'no-store' });
  res.end(body);
  return body.length;
}

/** A whole HTTP/1.1 response for a raw socket, closing the connection. Header values must be safe. */
export function rawResponse(page: Page, extra: Readonly<Record<string, string>> = {}): Buffer {
  const body = Buffer.from(page.body, 'utf8');
  const headers = { ...page.headers, ...extra, 'Content-Length': String(body.length), 'Cache-Control': 'no-store', Connection: 'close' };
  let head = `HTTP/1.1 ${page.status} ${reasonPhrase(page.status)}\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${headerSafe(v)}\r\n`;
  return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body]);
}

/** A header value cannot carry CR, LF or non-Latin-1 text: replace what would break the framing. */
export function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

/** Ends a raw socket with a response unless it is already gone. */
export function endSocket(socket: Socket, response: Buffer): void {
  if (socket.destroyed) return;
  socket.end(response);
  // A client that never reads must not keep the socket open.
  socket.setTimeout(5_000, () => socket.destroy());
}
