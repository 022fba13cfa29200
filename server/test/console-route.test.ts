/**
 * The console's HTTP side, without a browser: content types, the CSP and other headers, revalidation with ETags,
 * no cookies, nothing outside the built files served, and the API untouched. Also what ships: the console is
 * in the server package and in neither the SDK package nor the Zapier app.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_CSP, CONSOLE_DIR } from '../src/routes/console.js';
import { api } from './support/http.js';
import { startServer, type TestServer } from './support/start-server.js';

const REPO = join(__dirname, '..', '..');
let server: TestServer;

beforeAll(async () => {
  if (!existsSync(join(CONSOLE_DIR, 'dist', 'main.js'))) throw new Error('The console is not built: run `npm run build` first');
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.baseUrl}${path}`, { headers });

describe('console routes', () => {
  test.each([
    ['/', 'text/html; charset=utf-8'],
    ['/console/console.css', 'text/css; charset=utf-8'],
    ['/console/main.js', 'text/javascript; charset=utf-8'],
    ['/console/dom.js', 'text/javascript; charset=utf-8'],
  ])('%s is served as %s with the CSP, no cookie, and revalidated by ETag', async (path, type) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('set-cookie')).toBeNull();
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const again = await get(path, { 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  test('the CSP allows only the console\'s own files: no inline script or style, no eval, Trusted Types on', () => {
    expect(CONSOLE_CSP).not.toMatch(/unsafe-|\*|data:|http/);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("require-trusted-types-for 'script'");
    // The page itself has no inline script, style or event handler for the CSP to have to allow.
    const page = readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8');
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)|<style|\son[a-z]+=|style=/i);
  });

  test('only the built files are served; anything else under /console is the API\'s 404', async () => {
    for (const path of ['/console/missing.js', '/console/..%2Fpackage.json', '/console/%2e%2e%2fsrc%2fmain.ts', '/console/index.html', '/console/main.ts']) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  test('API routes are unchanged: no console headers, same JSON errors', async () => {
    const response = await api(server, '/api/entries', { credentials: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-security-policy')).toBeNull();
    expect(response.body).toMatchObject({ error: { code: 'unauthorized' } });
  });
});

describe('what ships', () => {
  test('the console is small and ships with the server package only', () => {
    const files = ['index.html', 'console.css', ...readdirSync(join(CONSOLE_DIR, 'dist')).map((name) => join('dist', name))];
    const bytes = files.reduce((sum, file) => sum + statSync(join(CONSOLE_DIR, file)).size, 0);
    // Uncompressed, all of it: the page, the stylesheet and every module. The README states the figure.
    expect(bytes).toBeLessThan(64 * 1024);

    const pack = (workspace: string): string[] => {
      const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '-w', workspace], { cwd: REPO, encoding: 'utf8' });
      return (JSON.parse(output) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((f) => f.path) ?? [];
    };
    const server = pack('@audit-trail/server');
    expect(server).toEqual(expect.arrayContaining(['console/index.html', 'console/console.css', 'console/dist/main.js']));
    expect(server.filter((path) => path.startsWith('console/src') || path === 'console/tsconfig.json')).toEqual([]);
    expect(pack('@audit-trail/sdk').filter((path) => /console/i.test(path))).toEqual([]);
    // The Zapier zip holds what the app's index.js requires; the console is only read from disk by the server,
    // which no app module imports.
    const appFiles = ['index.ts', 'authentication.ts', 'middleware.ts', 'creates', 'triggers', 'searches', 'zapier'].flatMap((entry) =>
      statSync(join(REPO, entry)).isDirectory() ? readdirSync(join(REPO, entry), { recursive: true, encoding: 'utf8' }).map((f) => join(entry, f)) : [entry]);
    const importsServer = appFiles.filter((f) => f.endsWith('.ts') && /from '(@audit-trail\/server|\.\.?\/.*server\/)/.test(readFileSync(join(REPO, f), 'utf8')));
    expect(importsServer).toEqual([]);
  });
});
