/**
 * The client process is killed with SIGKILL while batches are in flight (one stored by the server, its reply
 * still held by the proxy), then restarted on the same spool: every entry is stored exactly once.
 * The child runs the compiled SDK: `npm run build` must have run first (CI does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Credentials } from '../../sdk/src/contract/wire.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { startServer, type TestServer } from '../../server/test/support/start-server.js';
import { BACKENDS } from '../../server/test/support/postgres.js';
import { checkTrail, formatTable } from './trail-check.js';

const ENTRIES = 2000;
const CHILD = path.resolve(__dirname, '../../sdk/test/support/spool-child.js');
const DIST = path.resolve(__dirname, '../../sdk/dist/client.js');

// Runs on both storage backends, on a shared 2-core machine: room for a slow minute.
jest.setTimeout(120_000);

describe.each(BACKENDS)('client SIGKILL with the server on %s', (backend) => {
  let server: TestServer;
  let proxy: FaultProxy;
  let spoolDir: string;

  beforeAll(async () => {
    server = await startServer({ backend });
    proxy = await startFaultProxy(server.baseUrl);
    spoolDir = mkdtempSync(path.join(tmpdir(), 'audit-sigkill-spool-'));
  });

  afterAll(async () => {
    await proxy?.close();
    await server?.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  function child(mode: string, credentials: Credentials, args: string[] = []): { process: ChildProcess; output: () => string; exit: Promise<number | null> } {
    const proc = spawn(process.execPath, [CHILD, mode, ...args], {
      env: {
        ...process.env,
        AUDIT_BASE_URL: proxy.url,
        AUDIT_ORG: credentials.organizationId,
        AUDIT_SECRET: credentials.apiSecret,
        AUDIT_APP: credentials.applicationId,
        AUDIT_SPOOL: spoolDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    return { process: proc, output: () => output, exit };
  }

  async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('survives SIGKILL mid-flight with the spool: after a restart every entry is stored exactly once', async () => {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run npm run build first (the child process runs the compiled SDK)`);
    const credentials = await server.createTenant('sigkill');
    // Slow replies (under the client's timeout) keep batches in flight long enough to kill the child among them.
    proxy.inject({ kind: 'delay', ms: 300 }, 8);

    const producer = child('produce', credentials, [String(ENTRIES)]);
    await until(() => producer.output().includes('enqueued') || producer.process.exitCode !== null, 'the child to enqueue');
    expect(producer.output()).toContain('enqueued');
    // Kill with one batch settled in the spool (its ack written) and another stored but not yet answered. Both are
    // read off the file system and the proxy, not guessed from timing, so a slow machine cannot reorder them.
    const acked = (): boolean => readdirSync(spoolDir).some((name) => name.endsWith('.acks') && statSync(path.join(spoolDir, name)).size > 0);
    await until(() => acked() && proxy.counts.held > 0, 'an acknowledged batch and a batch stored but not yet answered');
    producer.process.kill('SIGKILL');
    await producer.exit;
    expect(producer.process.signalCode).toBe('SIGKILL');
    expect(producer.output()).not.toContain('flushed');
    const storedBeforeKill = proxy.counts.forwarded;

    const restorer = child('restore', credentials);
    const code = await restorer.exit;
    expect({ code, output: restorer.output() }).toMatchObject({ code: 0 });
    const report = JSON.parse(restorer.output().trim().split('\n').pop() ?? '{}') as {
      restored: number;
      drained: boolean;
      stats: { delivered: number; duplicates: number; retries: number; failed: number };
    };
    expect(report.drained).toBe(true);
    expect(report.restored).toBeGreaterThan(0);
    expect(report.restored).toBeLessThan(ENTRIES);
    expect(report.stats).toMatchObject({ delivered: report.restored, failed: 0 });
    // The batch the server stored while its reply was held came back as duplicates, not as new entries.
    expect(report.stats.duplicates).toBeGreaterThan(0);
    expect(readdirSync(spoolDir).filter((name) => name.startsWith('seg-'))).toEqual([]);

    const row = await checkTrail(server.baseUrl, credentials, 'SIGKILL + restart (spool)', ENTRIES, {
      retries: report.stats.retries,
      duplicates: report.stats.duplicates,
    });
    console.log(
      `SIGKILL scenario (${backend}): ${storedBeforeKill} batch requests reached the server before the kill; ` +
        `${report.restored} entries restored from the spool\n${formatTable([row])}`,
    );
    expect(row).toMatchObject({ stored: ENTRIES, uniqueKeys: ENTRIES, missing: 0, duplicated: 0, chainValid: true });
  });
});
