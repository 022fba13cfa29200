/**
 * Real `audit-trail serve` processes (the built CLI):
 * - three processes on ONE PostgreSQL database append to the same application at once: one chain, no fork, no gap;
 * - a server killed with SIGKILL mid-batch and restarted on the same data loses nothing it accepted (both backends).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATHS, authHeaders, verifyChain, type BatchResponse, type Credentials, type ListResponse, type StoredEntry, type VerifyResult } from '@audit-trail/sdk/contract';
import { openStore } from '../src/store/open-store.js';
import { createTenant } from '../src/tenants.js';
import { BACKENDS, createTestDatabase, type Backend, type TestDatabase } from './support/postgres.js';
import { startServeProcess, type ServeProcess, type ServeStorage } from './support/serve-process.js';

jest.setTimeout(120_000);

interface Storage extends ServeStorage {
  credentials: Credentials;
  cleanup(): Promise<void>;
}

/** A data dir (and on postgres a fresh database) with one tenant created before any server starts. */
async function prepareStorage(backend: Backend): Promise<Storage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'audit-trail-processes-'));
  const database: TestDatabase | undefined = backend === 'postgres' ? await createTestDatabase() : undefined;
  const store = await openStore({ dataDir, databaseUrl: database?.url });
  try {
    const credentials = await createTenant(store, { organizationName: 'Processes' });
    return {
      dataDir,
      ...(database ? { databaseUrl: database.url } : {}),
      credentials,
      async cleanup() {
        rmSync(dataDir, { recursive: true, force: true });
        await database?.drop();
      },
    };
  } finally {
    await store.close();
  }
}

async function call<T>(baseUrl: string, credentials: Credentials, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: { ...authHeaders(credentials), ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  return { status: response.status, body: (await response.json()) as T };
}

const postBatch = (baseUrl: string, credentials: Credentials, entries: object[]) =>
  call<BatchResponse>(baseUrl, credentials, PATHS.batch, { method: 'POST', body: JSON.stringify({ entries }) });

const batchOf = (prefix: string, size: number) =>
  Array.from({ length: size }, (_, i) => ({ actorId: 'writer', action: 'PROCESS_TEST', details: { key: `${prefix}-${i}` }, idempotencyKey: `${prefix}-${i}` }));

/** The whole chain, oldest first, read through the API. */
async function readChain(baseUrl: string, credentials: Credentials): Promise<StoredEntry[]> {
  const all: StoredEntry[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?order=asc&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { status: number; body: ListResponse } = await call<ListResponse>(baseUrl, credentials, `${PATHS.entries}${query}`);
    expect(page.status).toBe(200);
    all.push(...page.body.entries);
    cursor = page.body.nextCursor;
  } while (cursor);
  return all;
}

async function expectOneChain(baseUrl: string, credentials: Credentials, expectedKeys: Set<string>): Promise<StoredEntry[]> {
  const chain = await readChain(baseUrl, credentials);
  expect(chain.map((e) => e.sequence)).toEqual(chain.map((_, i) => i + 1));
  expect(verifyChain(chain)).toMatchObject({ valid: true, checked: expectedKeys.size });
  const keys = chain.map((e) => e.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);
  expect(new Set(keys)).toEqual(expectedKeys);
  const verification = await call<VerifyResult>(baseUrl, credentials, PATHS.verifyChain);
  expect(verification.body).toMatchObject({ valid: true, checked: expectedKeys.size });
  return chain;
}

describe('three server processes on one PostgreSQL database', () => {
  let storage: Storage;
  const servers: ServeProcess[] = [];

  beforeAll(async () => {
    storage = await prepareStorage('postgres');
    // Started together: they migrate (already done) and seed the same tenant concurrently.
    servers.push(...(await Promise.all([0, 1, 2].map(() => startServeProcess(storage, storage.credentials)))));
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await storage?.cleanup();
  });

  it('append to the same application concurrently without forking its chain', async () => {
    const keys = new Set<string>();
    const writers = servers.flatMap((server, p) =>
      [0, 1].map(async (w) => {
        const stored: StoredEntry['sequence'][] = [];
        for (let b = 0; b < 5; b++) {
          const entries = batchOf(`p${p}-w${w}-b${b}`, 20);
          for (const entry of entries) keys.add(entry.idempotencyKey);
          const { status, body } = await postBatch(server.baseUrl, storage.credentials, entries);
          expect({ status, output: status === 200 ? '' : server.output() }).toEqual({ status: 200, output: '' });
          for (const result of body.results) {
            expect(result.status).toBe('stored');
            if (result.status === 'stored') stored.push(result.receipt.sequence);
          }
        }
        return stored;
      }),
    );
    const sequences = (await Promise.all(writers)).flat();
    expect(sequences).toHaveLength(3 * 2 * 5 * 20);
    expect(new Set(sequences).size).toBe(sequences.length);
    // Every process sees the same single chain.
    const chains = await Promise.all(servers.map((server) => expectOneChain(server.baseUrl, storage.credentials, keys)));
    expect(chains[1]).toEqual(chains[0]);
    expect(chains[2]).toEqual(chains[0]);
    // The batches really interleaved across processes (otherwise this proves little).
    const owner = (entry: StoredEntry) => entry.idempotencyKey?.slice(0, 2);
    const switches = chains[0]!.filter((entry, i, all) => i > 0 && owner(entry) !== owner(all[i - 1]!)).length;
    expect(switches).toBeGreaterThan(3);
  });
});

describe.each(BACKENDS)('a server killed with SIGKILL mid-batch (%s)', (backend) => {
  let storage: Storage;
  let server: ServeProcess | undefined;

  beforeAll(async () => {
    storage = await prepareStorage(backend);
  });

  afterAll(async () => {
    await server?.stop();
    await storage?.cleanup();
  });

  it('keeps every entry it accepted; retries with the same keys complete the trail exactly once', async () => {
    const BATCHES = 12;
    const batches = Array.from({ length: BATCHES }, (_, b) => batchOf(`b${b}`, 100));
    const accepted = new Map<string, StoredEntry['hash']>();
    const unacknowledged = new Set<number>();
    let inFlight = 0;
    let next = 0;
    let killed = false;
    server = await startServeProcess(storage, storage.credentials);
    const first = server;
    const writer = async () => {
      while (next < BATCHES && !killed) {
        const b = next++;
        inFlight += 1;
        try {
          const { status, body } = await postBatch(first.baseUrl, storage.credentials, batches[b]!);
          expect(status).toBe(200);
          for (const result of body.results) if (result.status === 'stored') accepted.set(batches[b]![result.index]!.idempotencyKey, result.receipt.hash);
        } catch {
          unacknowledged.add(b); // the connection died with the server
        } finally {
          inFlight -= 1;
        }
      }
    };
    const killer = (async () => {
      while (!(accepted.size >= 3 * 100 && inFlight > 0)) await new Promise((resolve) => setTimeout(resolve, 1));
      killed = true;
      first.child.kill('SIGKILL');
      await first.exited;
    })();
    await Promise.all([writer(), writer(), writer(), killer]);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(unacknowledged.size).toBeGreaterThan(0);
    const acceptedBeforeKill = accepted.size;

    server = await startServeProcess(storage, storage.credentials);
    const remaining = [...unacknowledged, ...Array.from({ length: BATCHES - next }, (_, i) => next + i)];
    let replayed = 0;
    for (const b of remaining) {
      const { status, body } = await postBatch(server.baseUrl, storage.credentials, batches[b]!);
      expect(status).toBe(200);
      for (const result of body.results) {
        if (result.status === 'duplicate') replayed += 1;
        if (result.status !== 'rejected') accepted.set(batches[b]![result.index]!.idempotencyKey, result.receipt.hash);
      }
    }
    const chain = await expectOneChain(server.baseUrl, storage.credentials, new Set(batches.flat().map((e) => e.idempotencyKey)));
    // Nothing accepted before the kill changed: same entries, same hashes.
    const byKey = new Map(chain.map((entry) => [entry.idempotencyKey, entry.hash]));
    for (const [key, hash] of accepted) expect(byKey.get(key)).toBe(hash);
    console.log(
      `SIGKILL on ${backend}: ${acceptedBeforeKill} entries acknowledged before the kill, ${unacknowledged.size} batches in flight; ` +
        `${replayed} entries of those had been committed (replayed as duplicates); chain of ${chain.length} verifies`,
    );
  });
});
