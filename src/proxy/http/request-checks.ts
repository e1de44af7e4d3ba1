// Checks on a parsed request head that Node's strict parser (llhttp) does not make, so that no
// request reaches a site framed differently from how the proxy read it (request smuggling), and
// every request names its destination plainly. llhttp already refuses Content-Length with
// Transfer-Encoding, two Content-Lengths, obs-fold, bare CR/LF, NUL, bad names and a missing
// Host; it accepts `Transfer-Encoding: gzip, chunked`, `identity`, `chunked;x=1`, chunked in
// HTTP/1.0 or CONNECT, and two Host headers — refused here. After a problem, close the connection:
// the rest of its bytes cannot be trusted.
import { isRingfenceError } from '../../core/errors.ts';
import { canonicalHost, parseUrl } from '../../core/host/canonical.ts';
import { splitHostPort } from '../../core/host/hostport.ts';

/** What the proxy reads of a request: an IncomingMessage fits as it is. */
export interface RequestHead {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly rawHeaders: readonly string[];
  readonly httpVersion?: string;
}

export interface RequestProblem {
  readonly status: 400 | 417 | 501;
  /** The error page to answer with (see pages/error-page.ts). */
  readonly page: 'bad-request' | 'expectation-failed' | 'not-implemented';
  /** Plain words, for the page and the log. */
  readonly reason: string;
}

export interface RequestCheckOptions {
  /**
   * Accept origin-form targets ("/proxy.pac"): requests to the proxy itself, not through it.
   * The caller then serves its own pages (PAC, WPAD) or a 404.
   */
  readonly allowOriginForm?: boolean;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: VCHAR, obs-text, SP and HTAB (RFC 9110 5.5). Other controls, DEL and CR/LF are not.
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const DIGITS = /^[0-9]{1,15}$/;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

const bad = (reason: string): RequestProblem => ({ status: 400, page: 'bad-request', reason });

/** null when the request may go on; otherwise why not. Never throws. */
export function checkRequest(req: RequestHead, options: RequestCheckOptions = {}): RequestProblem | null {
  const method = req.method ?? '';
  const connect = method === 'CONNECT';
  const raw = req.rawHeaders;
  if (raw.length % 2 !== 0) return bad('the request headers are incomplete');

  let contentLength: string | null = null;
  let transferEncoding: string | null = null;
  let host: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    if (!TOKEN.test(name)) return bad(`a header name (${JSON.stringify(name.slice(0, 40))}) has characters a header name cannot have`);
    if (BAD_VALUE.test(value)) return bad(`the ${name} header has control characters in it`);
    const lower = name.toLowerCase();
    if (lower === 'content-length') {
      if (contentLength !== null) return bad('the request has more than one Content-Length header');
      if (!DIGITS.test(value.trim())) return bad('the Content-Length header is not a plain number');
      contentLength = value.trim();
    } else if (lower === 'transfer-encoding') {
      if (transferEncoding !== null) return bad('the request has more than one Transfer-Encoding header');
      transferEncoding = value;
    } else if (lower === 'host') {
      if (host !== null) return bad('the request has more than one Host header');
      host = value;
    } else if (lower === 'expect' && value.trim().toLowerCase() !== '100-continue') {
      return { status: 417, page: 'expectation-failed', reason: 'the Expect header asks for something other than 100-continue' };
    }
  }

  if (transferEncoding !== null) {
    if (contentLength !== null) return bad('the request has both Content-Length and Transfer-Encoding');
    if (req.httpVersion === '1.0') return bad('Transfer-Encoding is not allowed in HTTP/1.0');
    if (connect) return bad('a CONNECT request cannot have a body');
    const codings = transferEncoding.split(',').map((c) => c.trim().toLowerCase());
    if (codings.some((c) => !TOKEN.test(c))) return bad('the Transfer-Encoding header is malformed');
    if (codings.length !== 1 || codings[0] !== 'chunked') {
      return { status: 501, page: 'not-implemented', reason: 'only "Transfer-Encoding: chunked" is accepted' };
    }
  }
  if (connect && contentLength !== null && Number(contentLength) !== 0) return bad('a CONNECT request cannot have a body');

  return connect ? checkAuthorityForm(req.url ?? '') : checkAbsoluteForm(req.url ?? '', host, options);
}

/** CONNECT host:port (RFC 9110 9.3.6): a port is required, nothing else may follow. */
function checkAuthorityForm(target: string): RequestProblem | null {
  if (!VISIBLE_ASCII.test(target)) return bad('the CONNECT target is empty or has spaces or non-ASCII characters');
  if (target.includes('@') || target.includes('/')) return bad('the CONNECT target must be host:port, with nothing else');
  try {
    const { port } = splitHostPort(target, target, false);
    if (port === null || port === 0) return bad('the CONNECT target has no port (expected host:port)');
  } catch (e) {
    if (isRingfenceError(e)) return bad(`the CONNECT target is not valid: ${e.message}`);
    throw e;
  }
  return null;
}

function hasScheme(target: string, scheme: string): boolean {
  return target.length >= scheme.length + 3 && target.slice(0, scheme.length + 3).toLowerCase() === `${scheme}://`;
}

/** A proxied request: http://host[:port]/path (RFC 9112 3.2.2), or origin-form for the proxy's own pages. */
function checkAbsoluteForm(target: string, host: string | null, options: RequestCheckOptions): RequestProblem | null {
  if (!VISIBLE_ASCII.test(target)) return bad('the address is empty or has spaces or non-ASCII characters');
  if (target.charCodeAt(0) === 0x2f /* / */ && !target.startsWith('//')) {
    return options.allowOriginForm ? null : bad('the request is for a path on the proxy, not for a site (set the browser to use the proxy)');
  }
  if (hasScheme(target, 'https')) return bad('https addresses go through the proxy with CONNECT, not as a plain request');
  if (!hasScheme(target, 'http')) return bad('the address must start with http://');
  const authorityEnd = target.slice(7).search(/[/?#]/);
  const authority = authorityEnd < 0 ? target.slice(7) : target.slice(7, 7 + authorityEnd);
  if (authority === '') return bad('the address has no host');
  if (authority.includes('@')) return bad('the address has a user name or password in it');
  if (authority.includes('\\')) return bad('the address has a backslash in its host');
  let site: string;
  try {
    const url = parseUrl(target);
    if (url.port === 0) return bad('the address has port 0');
    site = url.host.host;
  } catch (e) {
    if (isRingfenceError(e)) return bad(`the address is not valid: ${e.message}`);
    throw e;
  }
  // The proxy decides on the address; a site behind a shared front end would go by Host.
  if (host !== null) {
    try {
      if (canonicalHost(host, 'host-header').host !== site) return bad('the Host header names a different site from the address');
    } catch (e) {
      if (isRingfenceError(e)) return bad(`the Host header is not valid: ${e.message}`);
      throw e;
    }
  }
  return null;
}

/** checkRequest for callers holding the parts: method, request-target, raw headers (HTTP version optional). */
export function requestProblem(method: string, url: string, rawHeaders: readonly string[], httpVersion?: string): RequestProblem | null {
  return checkRequest({ method, url, rawHeaders, ...(httpVersion === undefined ? {} : { httpVersion }) });
}

// forwardHeaders lives with the other hop-by-hop rules; callers of the checks often want both.
export { forwardHeaders } from './hop-by-hop.ts';
