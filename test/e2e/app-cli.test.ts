/**
 * The Zapier CLI on the compiled app, offline: `validate --without-style` reports nothing, and every
 * `zapier-platform invoke` example in the README (and docs/zapier.md) runs as written against a local reference server.
 *
 * The app is compiled into a temporary directory (not dist/), so this file never races with another build; the
 * directory has package.json, index.js, .zapierapprc and (linked) node_modules like a checkout.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startServer, type TestServer } from '../../server/test/support/start-server';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'node_modules/zapier-platform-cli/src/bin/run');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** The text between the invoke-examples markers of a document. */
function examplesBlock(document: string): string {
  const doc = readFileSync(join(ROOT, document), 'utf8');
  return /<!-- invoke-examples:start -->([\s\S]*?)<!-- invoke-examples:end -->/.exec(doc)?.[1] ?? '';
}

/** The `npx zapier-platform invoke …` lines of the README's invoke examples, as argv. */
function invokeExamples(): string[][] {
  return examplesBlock('README.md')
    .split('\n')
    .filter((line) => line.startsWith('npx zapier-platform invoke '))
    // Shell words: single-quoted strings (kept literally, as sh does) or runs of non-space characters.
    .map((line) => (line.match(/'[^']*'|\S+/g) ?? []).slice(2).map((word) => word.replace(/^'(.*)'$/, '$1')));
}

let appDir: string;
let server: TestServer;

/** Runs the CLI in the temporary app directory (Node 22: the one running jest under npm). */
const zapier = (args: string[]) =>
  run(process.execPath, [CLI, ...args], {
    cwd: appDir,
    env: { ...process.env, DISABLE_ZAPIER_ANALYTICS: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });

beforeAll(async () => {
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22); // the CLI refuses older Node: run via npm/npx
  appDir = mkdtempSync(join(tmpdir(), 'audit-trail-zapier-'));
  // Copies, not links: Node resolves a linked index.js to its real path, whose require('./dist') is the repo's dist/.
  for (const name of ['package.json', 'index.js', '.zapierapprc']) copyFileSync(join(ROOT, name), join(appDir, name));
  symlinkSync(join(ROOT, 'node_modules'), join(appDir, 'node_modules'));
  await run(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.json'), '--outDir', join(appDir, 'dist'), '--declaration', 'false', '--sourceMap', 'false']);
  server = await startServer();
  const env = { baseUrl: server.baseUrl, ...server.credentials };
  writeFileSync(join(appDir, '.env'), Object.entries(env).map(([key, value]) => `authData_${key}=${value}\n`).join(''));
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

describe('zapier-platform CLI (offline)', () => {
  it('validate --without-style finds no errors or warnings', async () => {
    const { stdout } = await zapier(['validate', '--without-style', '--skip-build', '--format', 'json']);
    expect(JSON.parse(stdout)).toEqual([]);
  }, 120_000);

  it('documents the same invoke examples in the README and docs/zapier.md', () => {
    expect(examplesBlock('README.md')).toContain('npx zapier-platform invoke create log_entry');
    expect(examplesBlock('docs/zapier.md')).toEqual(examplesBlock('README.md'));
  });

  it('runs every invoke example of the README against the local server', async () => {
    const examples = invokeExamples();
    const outputs = new Map<string, unknown>();
    for (const example of examples) {
      // The README tells the reader to put in the id create log_entry printed; so does the test.
      const created = outputs.get('create log_entry') as { id?: string } | undefined;
      const args = example.map((word) => word.replace('<the id that create log_entry printed>', created?.id ?? ''));
      const { stdout } = await zapier(args);
      const key = args.slice(1, 3).join(' ');
      outputs.set(key, key === 'auth label' ? stdout.trim() : JSON.parse(stdout));
    }
    // Every operation invoke can run is documented (REST-hook triggers cannot be invoked; see the doc).
    expect([...outputs.keys()].sort()).toEqual(
      [
        'auth test',
        'auth label',
        'create log_entry',
        'create log_entries',
        'create verify_audit_trail',
        'search find_log_entries',
        'search find_entry_by_id',
        'trigger new_log_entry',
        'trigger integrity_alert',
        'trigger application_list',
        'trigger recent_action_list',
        'trigger recent_entry_list',
      ].sort(),
    );
    const { applicationId, organizationId } = server.credentials;
    expect(outputs.get('auth test')).toMatchObject({ organizationId, applicationId });
    expect(outputs.get('auth label')).toBe('Test organization / Test application');
    const created = outputs.get('create log_entry') as { id: string; entryUrl: string };
    expect(created).toMatchObject({ actorId: 'ada@example.com', action: 'REFUND_ISSUED', details: { amount: 120.5, currency: 'EUR' }, sequence: 1, detailsOmitted: false });
    expect(created.entryUrl).toBe(`${server.baseUrl}/api/getEntryById?entryId=${created.id}`);
    expect(outputs.get('create log_entries')).toMatchObject({ count: 2, storedCount: 2, results: [{ line: 1, sequence: 2 }, { line: 2, sequence: 3 }] });
    expect(outputs.get('create verify_audit_trail')).toMatchObject({ applicationId, valid: true, checked: 3, treeSize: 3, checkpointVerified: true });
    expect(outputs.get('search find_log_entries')).toEqual([expect.objectContaining({ id: created.id, idempotencyKey: 'refund-inv_123-1' })]);
    expect(outputs.get('search find_entry_by_id')).toEqual([created]);
    expect(outputs.get('trigger new_log_entry')).toEqual([expect.objectContaining({ id: created.id })]);
    expect(outputs.get('trigger integrity_alert')).toEqual([]);
    expect(outputs.get('trigger application_list')).toEqual(expect.arrayContaining([expect.objectContaining({ id: applicationId })]));
    expect(outputs.get('trigger recent_action_list')).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'REFUND_ISSUED' }), expect.objectContaining({ id: 'LOGIN' })]),
    );
    expect(outputs.get('trigger recent_entry_list')).toEqual([
      expect.objectContaining({ label: '#3 LOGIN by bob@example.com' }),
      expect.objectContaining({ label: '#2 EXPORT by ada@example.com' }),
      expect.objectContaining({ id: created.id, label: '#1 REFUND_ISSUED by ada@example.com' }),
    ]);
  }, 420_000);
});
