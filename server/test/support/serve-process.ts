/**
 * Runs the built `audit-trail serve` command (server/bin/audit-trail.js) as a real child process on 127.0.0.1 and
 * a free port, for tests that need several server processes or kill one. `npm run build` must have run (CI does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Credentials } from '../../../sdk/src/contract/wire.js';

const BIN = path.resolve(__dirname, '../../bin/audit-trail.js');
const DIST = path.resolve(__dirname, '../../dist/cli/main.js');

/** A running `audit-trail serve`. */
export interface ServeProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves when it exited. */
  exited: Promise<void>;
  /** SIGTERM, then wait for it to exit. */
  stop(): Promise<void>;
}

/** Where a server process stores: a data directory (SQLite), or a PostgreSQL URL. */
export interface ServeStorage {
  dataDir: string;
  databaseUrl?: string;
}

/** Starts `audit-trail serve` seeded with `credentials`; resolves once it listens. */
export async function startServeProcess(storage: ServeStorage, credentials: Credentials, timeoutMs = 20_000): Promise<ServeProcess> {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run npm run build first (the test runs the built CLI)`);
  const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--data', storage.dataDir], {
    env: {
      ...process.env,
      AUDIT_TRAIL_DATABASE_URL: storage.databaseUrl ?? '',
      AUDIT_TRAIL_ORGANIZATION_ID: credentials.organizationId,
      AUDIT_TRAIL_API_SECRET: credentials.apiSecret,
      AUDIT_TRAIL_APPLICATION_ID: credentials.applicationId,
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: '--disable-warning=ExperimentalWarning',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`audit-trail serve did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`audit-trail serve exited (code ${child.exitCode}, signal ${child.signalCode}):\n${output}`));
    });
  });
  return {
    baseUrl,
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
