/**
 * scripts/check-zapier-zip.cjs, which CI runs on the zip `npm run zapier:build` makes: it must pass the app with its
 * runtime dependencies and fail on anything else (a server file, a dev package, axios code, a missing entry point,
 * too many bytes). Zips made here, so that each rule is seen to fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const AdmZip = require('adm-zip') as new () => { addFile(name: string, data: Buffer): void; writeZip(path: string): void };

const ROOT = join(__dirname, '..', '..');
const CHECK = join(ROOT, 'scripts', 'check-zapier-zip.cjs');

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const APP_FILES: Record<string, Buffer> = {
  'zapierwrapper.js': Buffer.from('module.exports = {};'),
  'index.js': Buffer.from("module.exports = require('./dist/index.js').default;"),
  'definition.json': json({}),
  'package.json': json({ name: 'app', dependencies: { 'zapier-platform-core': '19.1.0', '@audit-trail/sdk': '1.0.0' } }),
  'dist/index.js': Buffer.from(''),
  'node_modules/zapier-platform-core/package.json': json({ name: 'zapier-platform-core', dependencies: { lodash: '4' } }),
  'node_modules/zapier-platform-core/index.js': Buffer.from(''),
  'node_modules/lodash/package.json': json({ name: 'lodash' }),
  'node_modules/@audit-trail/sdk/package.json': json({ name: '@audit-trail/sdk', dependencies: { axios: '1' } }),
  'node_modules/@audit-trail/sdk/dist/contract/index.js': Buffer.from(''),
  'node_modules/axios/package.json': json({ name: 'axios' }),
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-trail-zip-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(files: Record<string, Buffer>): { status: number | null; stderr: string } {
  const zip = new AdmZip();
  for (const [name, data] of Object.entries(files)) zip.addFile(name, data);
  const path = join(dir, `${Object.keys(files).length}-${randomBytes(4).toString('hex')}.zip`);
  zip.writeZip(path);
  const result = spawnSync(process.execPath, [CHECK, path], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

describe('check-zapier-zip', () => {
  it('passes the app, the contract and their runtime dependencies', () => {
    const result = check(APP_FILES);
    expect(result.stderr).toContain('only the app');
    expect(result.status).toBe(0);
  });

  it.each([
    ['a server file', { 'server/dist/index.js': Buffer.from('') }, 'repository file that is not the app'],
    ['a dev package', { 'node_modules/jest/package.json': json({ name: 'jest' }), 'node_modules/jest/index.js': Buffer.from('') }, 'no runtime dependency'],
    ['axios code', { 'node_modules/axios/index.js': Buffer.from('') }, 'axios code'],
    ['the SDK client', { 'node_modules/@audit-trail/sdk/dist/client.js': Buffer.from('') }, 'SDK client code'],
    ['too many bytes', { 'dist/big.bin': randomBytes(1_300_000) }, 'more than'],
  ])('fails on %s', (_what, extra: Record<string, Buffer>, message) => {
    const result = check({ ...APP_FILES, ...extra });
    expect(result.stderr).toContain(message);
    expect(result.status).toBe(1);
  });

  it('fails when an entry point is missing', () => {
    const { 'zapierwrapper.js': _wrapper, ...rest } = APP_FILES;
    const result = check(rest);
    expect(result.stderr).toContain('missing zapierwrapper.js');
    expect(result.status).toBe(1);
  });
});
