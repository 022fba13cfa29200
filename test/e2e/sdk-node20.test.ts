/**
 * The SDK promises Node >= 20 while the toolchain runs on Node 22. This runs the compiled SDK (dist/) under the
 * machine's own Node 20 against the real reference server, so a Node-22-only API in sdk/ fails here.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from '../../server/test/support/start-server';

const repo = join(__dirname, '..', '..');
const sdkEntry = join(repo, 'sdk', 'dist', 'index.js');

/** The oldest Node on the machine that is older than the one running jest (SYSTEM_NODE overrides). */
function findOlderNode(): { path: string; version: string } | undefined {
  const candidates = [process.env['SYSTEM_NODE'], '/usr/bin/node', '/usr/local/bin/node'].filter(
    (candidate): candidate is string => Boolean(candidate) && existsSync(candidate as string),
  );
  for (const path of candidates) {
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    if (Number(version.slice(1).split('.')[0]) < Number(process.versions.node.split('.')[0])) return { path, version };
  }
  return undefined;
}

const SCRIPT = `
const { AuditTrailClient, verifyChain } = require(process.env.SDK_ENTRY);
(async () => {
  const client = new AuditTrailClient(JSON.parse(process.env.CLIENT_OPTIONS));
  const receipt = await client.log({ actorId: 'ada@example.com', action: 'LOGIN', details: { via: 'node ' + process.version } });
  const batch = await client.logBatch([{ actorId: 'ada', action: 'A' }, { actorId: 'ada', action: 'B', details: 'text' }]);
  const listed = await client.listEntries({ order: 'asc' });
  const local = await client.verifyLocally();
  await client.close();
  process.stdout.write(JSON.stringify({ node: process.version, receipt, statuses: batch.results.map((r) => r.status),
    count: listed.entries.length, local, recomputed: verifyChain(listed.entries) }));
})().catch((error) => { process.stderr.write(String(error && error.stack)); process.exit(1); });
`;

const older = findOlderNode();
const describeWithOlderNode = older ? describe : describe.skip;
if (!older) console.warn('No Node older than the toolchain on this machine: the Node 20 SDK check is skipped.');

describeWithOlderNode(`compiled SDK on ${older?.version ?? 'an older Node'}`, () => {
  let server: TestServer;
  beforeAll(async () => {
    if (!existsSync(sdkEntry)) throw new Error(`${sdkEntry} is missing: run npm run build first`);
    server = await startServer();
  });
  afterAll(() => server?.close());

  it('logs, batches, lists and verifies against the real server', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(older!.path, ['-e', SCRIPT], {
        env: {
          PATH: '/usr/bin:/bin',
          SDK_ENTRY: sdkEntry,
          CLIENT_OPTIONS: JSON.stringify({ baseUrl: server.baseUrl, ...server.credentials }),
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr}`))));
    });
    const result = JSON.parse(output) as Record<string, unknown>;
    expect(result['node']).toBe(older!.version);
    expect(result['receipt']).toMatchObject({ sequence: 1, previousHash: '0'.repeat(64) });
    expect(result['statuses']).toEqual(['stored', 'stored']);
    expect(result['count']).toBe(3);
    expect(result['local']).toEqual({ valid: true, checked: 3, lastHash: expect.any(String) });
    expect(result['recomputed']).toEqual(result['local']);
  });
});
