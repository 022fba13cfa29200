/**
 * Starts the real reference server for an end-to-end test: 127.0.0.1, a free port, a fresh temporary data dir
 * (unless one is given) and one seeded tenant, on SQLite or on a fresh PostgreSQL database. `close()` stops it and
 * removes the temporary dir (and database) it made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Credentials } from '../../../sdk/src/contract/wire.js';
import { buildServer, type ServerOptions } from '../../src/app.js';
import type { HookDispatcherOptions } from '../../src/hooks/dispatcher.js';
import type { LimitOptions } from '../../src/limits/options.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/repositories.js';
import { databasePath } from '../../src/store/sqlite-store.js';
import { createTenant, seedTenant } from '../../src/tenants.js';
import { createTestDatabase, type Backend, type TestDatabase } from './postgres.js';

/** A running server. */
export interface TestServer {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  baseUrl: string;
  /** Credentials of the seeded tenant. */
  credentials: Credentials;
  /** The data directory. */
  dataDir: string;
  /** The SQLite file, for tamper tests (unused on PostgreSQL). */
  dbPath: string;
  /** Which engine stores the data. */
  backend: Backend;
  /** The PostgreSQL database's URL (on the postgres backend). */
  databaseUrl?: string;
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
  /** The storage engine. @default 'sqlite' */
  backend?: Backend;
  /** On postgres: use this database (kept on close) instead of a fresh one. */
  databaseUrl?: string;
  /** The checkpoint signing key (`PRIVATE+KEY+…`) instead of the data dir's key file. */
  signingKey?: string;
  /** Enables the admin API with this token. */
  adminToken?: string;
  /** Back-pressure and failed-authentication limits. */
  limits?: LimitOptions;
  /** Other webhook options (merged over the test defaults: loopback receivers allowed, 2 s timeouts). */
  webhooks?: HookDispatcherOptions;
  /** Verification options (inline limit, full-pass interval). */
  verification?: ServerOptions['verification'];
  /** Wraps the opened store before the server uses it (fault injection). */
  wrapStore?: (store: Store) => Store;
}

/** Starts a server; call `close()` in `afterAll`. */
export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'audit-trail-test-'));
  const backend = options.backend ?? 'sqlite';
  let database: TestDatabase | undefined;
  const removeTemporary = async () => {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  };
  let app: FastifyInstance;
  try {
    if (backend === 'postgres' && options.databaseUrl === undefined) database = await createTestDatabase();
    const databaseUrl = backend === 'postgres' ? (options.databaseUrl ?? database?.url) : undefined;
    const store = options.wrapStore ? options.wrapStore(await openStore({ dataDir, databaseUrl })) : undefined;
    app = await buildServer({
      dataDir,
      databaseUrl,
      ...(store ? { store } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
      // The receivers of the tests listen on 127.0.0.1: the explicit local-development option allows them.
      webhooks: { retryDelaysMs: options.webhookRetryDelaysMs ?? [50, 100, 200], timeoutMs: 2000, deadlineMs: 4000, allowLoopback: true, ...options.webhooks },
      ...(options.signingKey === undefined ? {} : { signingKey: options.signingKey }),
      verification: options.verification,
    });
  } catch (error) {
    await removeTemporary();
    throw error;
  }
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
      backend,
      ...(backend === 'postgres' ? { databaseUrl: options.databaseUrl ?? database?.url } : {}),
      app,
      createTenant: (name?: string) =>
        createTenant(app.store, { organizationName: name ?? 'Other organization', applicationName: `${name ?? 'Other'} application` }),
      async close() {
        if (closed) return;
        closed = true;
        await app.close();
        await removeTemporary();
      },
    };
  } catch (error) {
    await app.close();
    await removeTemporary();
    throw error;
  }
}
