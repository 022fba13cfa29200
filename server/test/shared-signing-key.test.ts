/**
 * One signing key per deployment on PostgreSQL (issue 10: "from configuration or the database, never one per
 * process"): without a configured key, two `audit-trail serve` processes with different data directories on one
 * database sign with the same key, stored once in the database, and their checkpoints verify with one public key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATHS, authHeaders, openCheckpoint, parseVerifierKey, type Credentials, type TreeHead } from '@audit-trail/sdk/contract';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/repositories.js';
import { createTenant } from '../src/tenants.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { startServeProcess, type ServeProcess } from './support/serve-process.js';

jest.setTimeout(60_000);

let database: TestDatabase;
const dataDirs: string[] = [];
const servers: ServeProcess[] = [];
let store: Store;
let credentials: Credentials;

beforeAll(async () => {
  database = await createTestDatabase();
  store = await openStore({ databaseUrl: database.url });
  credentials = await createTenant(store, { organizationName: 'Shared key' });
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await store?.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  await database?.drop();
});

test('concurrent keepFirst calls all get the first stored value', async () => {
  const values = await Promise.all(Array.from({ length: 6 }, (_, i) => store.settings!.keepFirst('race-test', `value-${i}`)));
  expect(new Set(values).size).toBe(1);
  expect(await store.settings!.keepFirst('race-test', 'later')).toBe(values[0]);
});

test('two processes with their own data directories sign with the key kept in the database', async () => {
  const env = { ...process.env };
  delete process.env['AUDIT_TRAIL_SIGNING_KEY'];
  delete process.env['AUDIT_TRAIL_SIGNING_KEY_FILE'];
  try {
    for (let i = 0; i < 2; i += 1) dataDirs.push(mkdtempSync(join(tmpdir(), `audit-trail-shared-key-${i}-`)));
    // Started together: both race to store their key; one wins and both use it.
    servers.push(...(await Promise.all(dataDirs.map((dataDir) => startServeProcess({ dataDir, databaseUrl: database.url }, credentials)))));
  } finally {
    process.env = env;
  }
  const printed = servers.map((server) => /Checkpoint verifier key: (\S+)/.exec(server.output())?.[1]);
  expect(printed[0]).toEqual(expect.any(String));
  expect(printed[1]).toBe(printed[0]);
  const key = parseVerifierKey(printed[0]!);
  for (const [i, server] of servers.entries()) {
    const logged = await fetch(`${server.baseUrl}${PATHS.log('alice', `FROM_${i}`)}`, {
      method: 'POST',
      headers: { ...authHeaders(credentials), 'content-type': 'application/json' },
      body: JSON.stringify({ i }),
    });
    expect(logged.status).toBe(201);
  }
  for (const server of servers) {
    const head = (await (await fetch(`${server.baseUrl}${PATHS.latestTreeHead}`, { headers: authHeaders(credentials) })).json()) as TreeHead;
    const opened = openCheckpoint(head.checkpoint, key);
    expect(opened).toMatchObject({ ok: true, checkpoint: { treeSize: 2 } });
  }
});
