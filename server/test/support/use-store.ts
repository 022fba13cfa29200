/**
 * A store of its own for a describe block, on either backend: a temporary data directory and, on PostgreSQL, a
 * fresh database in the run's server (support/postgres.ts); both removed after the block.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/repositories.js';
import { createTestDatabase, type Backend, type TestDatabase } from './postgres.js';

/** Registers beforeAll/afterAll hooks; call the returned function inside tests to get the open store. */
export function useStore(backend: Backend, prefix: string): () => Store {
  let store: Store | undefined;
  let dataDir: string | undefined;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `audit-trail-${prefix}-`));
    database = backend === 'postgres' ? await createTestDatabase() : undefined;
    store = await openStore({ dataDir, databaseUrl: database?.url });
  });
  afterAll(async () => {
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  });
  return () => {
    if (!store) throw new Error('useStore: the store is opened in beforeAll; call this inside a test');
    return store;
  };
}
