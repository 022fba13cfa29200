/**
 * Starts the real reference server for an end-to-end test: 127.0.0.1, a free port, a fresh temporary data dir
 * (unless one is given) and one seeded tenant. `close()` stops it and removes the temporary dir it made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Credentials } from '../../../sdk/src/contract/wire.js';
import { buildServer } from '../../src/app.js';
import type { HookDispatcherOptions } from '../../src/hooks/dispatcher.js';
import type { LimitOptions } from '../../src/limits/options.js';
import { databasePath } from '../../src/store/sqlite-store.js';
import { createTenant, seedTenant } from '../../src/tenants.js';

/** A running server. */
export interface TestServer {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  baseUrl: string;
  /** Credentials of the seeded tenant. */
  credentials: Credentials;
  /** The data directory. */
  dataDir: string;
  /** The SQLite file, for tamper tests. */
  dbPath: string;
  /** The Fastify instance (e.g. `app.hooks.idle()` to wait for webhook deliveries). */
  app: FastifyInstance;
  /** Creates another organization with one application. */
  createTenant(name?: string): Promise<Credentials>;
  /** Stops the server, closes the database and removes a temporary data dir. */
  close(): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Use this data dir (kept on close) instead of a fresh temporary one. */
  dataDir?: string;
  /** Seed exactly these credentials (idempotently) instead of generated ones. */
  seed?: Credentials;
  /** Webhook retry delays; tests pass small ones. @default [50, 100, 200] */
  webhookRetryDelaysMs?: number[];
  /** The checkpoint signing key (`PRIVATE+KEY+…`) instead of the data dir's key file. */
  signingKey?: string;
  /** Enables the admin API with this token. */
  adminToken?: string;
  /** Back-pressure and failed-authentication limits. */
  limits?: LimitOptions;
  /** Other webhook options (merged over the test defaults: loopback receivers allowed, 2 s timeouts). */
  webhooks?: HookDispatcherOptions;
}

/** Starts a server; call `close()` in `afterAll`. */
export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'audit-trail-test-'));
  const app = await buildServer({
    dataDir,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
    // The receivers of the tests listen on 127.0.0.1: the explicit local-development option allows them.
    webhooks: { retryDelaysMs: options.webhookRetryDelaysMs ?? [50, 100, 200], timeoutMs: 2000, deadlineMs: 4000, allowLoopback: true, ...options.webhooks },
    ...(options.signingKey === undefined ? {} : { signingKey: options.signingKey }),
  });
  try {
    let credentials: Credentials;
    if (options.seed) {
      await seedTenant(app.store, options.seed);
      credentials = { ...options.seed };
    } else {
      credentials = await createTenant(app.store, { organizationName: 'Test organization', applicationName: 'Test application' });
    }
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    let closed = false;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      credentials,
      dataDir,
      dbPath: databasePath(dataDir),
      app,
      createTenant: (name?: string) =>
        createTenant(app.store, { organizationName: name ?? 'Other organization', applicationName: `${name ?? 'Other'} application` }),
      async close() {
        if (closed) return;
        closed = true;
        await app.close();
        if (temporary) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app.close();
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
