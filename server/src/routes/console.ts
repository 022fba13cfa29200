/**
 * The web console: `GET /` (the page) and `GET /console/{file}` (its stylesheet and ES modules), served from
 * `server/console/` (index.html, console.css) and `server/console/dist/` (the modules tsc compiles from
 * `server/console/src/`). Only files present at start-up are served (a fixed table, so no path from a request
 * ever reaches the file system). The console calls the /api routes from the browser with the caller's
 * credentials; these routes need none and set no cookie.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where the console's files live; the same relative path from `src/routes` (tests) and `dist/routes` (built). */
export const CONSOLE_DIR = join(__dirname, '..', '..', 'console');

/**
 * Entry data is written by anyone who can log, so the page must never run anything but its own modules: no
 * inline script or style, no eval, no plugins, no framing, no form posts, and Trusted Types so that assigning a
 * string to `innerHTML` (or any other HTML/script sink) throws instead of parsing it.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

function asset(path: string): Asset {
  const body = readFileSync(path);
  const type = CONTENT_TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** The page and the files under /console/, read once; empty when the console has not been built. */
export function loadConsoleAssets(dir: string = CONSOLE_DIR): { page: Asset | undefined; files: Map<string, Asset> } {
  const files = new Map<string, Asset>();
  const page = existsSync(join(dir, 'index.html')) ? asset(join(dir, 'index.html')) : undefined;
  if (existsSync(join(dir, 'console.css'))) files.set('console.css', asset(join(dir, 'console.css')));
  const modules = join(dir, 'dist');
  if (existsSync(modules)) {
    for (const name of readdirSync(modules)) if (/^[a-z][a-z0-9-]*\.js$/.test(name)) files.set(name, asset(join(modules, name)));
  }
  return { page, files };
}

function send(request: FastifyRequest, reply: FastifyReply, file: Asset): FastifyReply {
  // File names are not content-hashed, so browsers revalidate every time; the ETag makes that a 304.
  reply.headers(SECURITY_HEADERS).header('cache-control', 'no-cache').header('etag', file.etag);
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  return reply.type(file.type).send(file.body);
}

export function registerConsoleRoutes(app: FastifyInstance): void {
  const { page, files } = loadConsoleAssets();
  app.get('/', async (request, reply) => {
    if (page && files.has('main.js')) return send(request, reply, page);
    return reply
      .code(503)
      .headers(SECURITY_HEADERS)
      .type('text/plain; charset=utf-8')
      .send('The web console has not been built: run `npm run build`, then restart the server.\n');
  });
  app.get<{ Params: { file: string } }>('/console/:file', async (request, reply) => {
    const file = files.get(request.params.file);
    if (!file) return reply.callNotFound();
    return send(request, reply, file);
  });
}
