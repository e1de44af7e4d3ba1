// Serves the web console (web/dist, built by `npm run build:web`) at /: index.html never cached,
// so a new build is picked up at once; the content-hashed files under assets/ cached for a year.
// A strict Content-Security-Policy allows scripts, styles and images from this server only. When
// the console has not been built, / says so instead of failing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const CONSOLE_DIST = join(import.meta.dirname, '..', '..', 'web', 'dist');

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const YEAR_SECONDS = 365 * 24 * 60 * 60;
/** Top-level files of the build (from web/public) besides index.html. */
const TOP_LEVEL_FILES = ['favicon.svg'];

/**
 * Links from the proxy's block and error pages (CONSOLE_PATHS in src/proxy/pages/block-page.ts) and
 * the hash route each opens, with the parameters the console reads from them.
 */
const LINKED_PAGES = [
  { path: '/requests/unblock', route: '/requests/unblock', params: ['url', 'ref', 'category'] },
  { path: '/report', route: '/report', params: ['url', 'ref', 'problem'] },
] as const;
const MAX_LINKED_PARAM = 4096;

/** `/#<route>?…`: only the known parameters, bounded, encoded again (no raw text reaches Location). */
export function consoleRedirect(route: string, names: readonly string[], query: Readonly<Record<string, unknown>>): string {
  const carried = new URLSearchParams();
  for (const name of names) {
    const value = query[name];
    if (typeof value === 'string' && value !== '') carried.set(name, value.slice(0, MAX_LINKED_PARAM));
  }
  const search = carried.toString();
  return `/#${route}${search ? `?${search}` : ''}`;
}

/** Whether the console has been built into the folder. */
export function consoleBuilt(dist: string = CONSOLE_DIST): boolean {
  return existsSync(join(dist, 'index.html'));
}

const NOT_BUILT = `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Ringfence: console not built</title></head>
<body><h1>The Ringfence console has not been built</h1>
<p>The API is running. Build the console with <code>npm run build:web</code> (or start with <code>npm start</code>, which builds it first), then reload this page.</p></body></html>
`;

/** The `extra` hook of buildApi: registers the console's routes (config.console skips the access rule). */
export function consoleFiles(dist: string = CONSOLE_DIST): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    // serve: false: the routes below are ours, so each carries the console flag and its headers.
    await app.register(fastifyStatic, { root: dist, serve: false, cacheControl: false, etag: true, lastModified: true, dotfiles: 'deny' });
    const config = { console: true };
    app.get('/', { config }, async (_request, reply) => {
      reply.header('content-security-policy', CONSOLE_CSP).header('cache-control', 'no-cache');
      if (!consoleBuilt(dist)) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      return reply.sendFile('index.html');
    });
    app.get('/assets/*', { config }, async (request, reply) => {
      const file = join('assets', (request.params as { '*': string })['*']);
      // Only files that exist get the year-long cache; a missing one is a plain 404.
      if (!existsSync(join(dist, file))) return reply.callNotFound();
      return immutable(reply).sendFile(file);
    });
    // The console routes by hash, which a server never sees: these send the proxy's links there.
    for (const page of LINKED_PAGES) {
      app.get(page.path, { config }, async (request, reply) =>
        reply.header('cache-control', 'no-store').redirect(consoleRedirect(page.route, page.params, request.query as Record<string, unknown>), 302),
      );
    }
    for (const name of TOP_LEVEL_FILES) {
      app.get(`/${name}`, { config }, async (_request, reply) => reply.header('cache-control', 'public, max-age=86400').sendFile(name));
    }
  };
}

function immutable(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', `public, max-age=${YEAR_SECONDS}, immutable`).header('content-security-policy', CONSOLE_CSP);
}
