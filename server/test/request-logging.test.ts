/**
 * Request logging (`requestLogging`): off by default, so an append costs no log line, and on when asked (serve
 * turns it on at debug level); set through Fastify's log controller, without the deprecated top-level
 * `disableRequestLogging` (FSTDEP023, removed in Fastify 6).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PATHS, authHeaders } from '../../sdk/src/contract/index.js';
import { buildServer } from '../src/app.js';
import { createTenant } from '../src/tenants.js';

async function appendWithLogger(requestLogging: boolean | undefined): Promise<{ lines: string[]; warnings: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'audit-trail-request-logging-'));
  const lines: string[] = [];
  const warnings: string[] = [];
  // A spy, not a 'warning' listener: jest hands the tests a process object that listener would never hear on.
  const emitWarning = jest.spyOn(process, 'emitWarning');
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
  const app = await buildServer({ dataDir: dir, logger: { level: 'info', stream }, ...(requestLogging === undefined ? {} : { requestLogging }) });
  try {
    const credentials = await createTenant(app.store);
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${address}${PATHS.log('alice', 'LOGIN')}`, {
      method: 'POST',
      headers: { ...authHeaders(credentials), 'content-type': 'application/json' },
      body: '{"ok":true}',
    });
    expect(response.status).toBe(201);
  } finally {
    await app.close();
    warnings.push(...emitWarning.mock.calls.map((args) => args.map(String).join(' ')));
    emitWarning.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
  return { lines, warnings };
}

test('by default an append logs nothing, and no Fastify deprecation is raised', async () => {
  const { lines, warnings } = await appendWithLogger(undefined);
  expect(lines.filter((line) => /incoming request|request completed/.test(line))).toEqual([]);
  expect(warnings.filter((warning) => warning.includes('FSTDEP'))).toEqual([]);
});

test('requestLogging: true logs each request and its reply', async () => {
  const { lines, warnings } = await appendWithLogger(true);
  expect(lines.filter((line) => line.includes('incoming request'))).toHaveLength(1);
  expect(lines.filter((line) => line.includes('request completed'))).toHaveLength(1);
  expect(warnings.filter((warning) => warning.includes('FSTDEP'))).toEqual([]);
});
