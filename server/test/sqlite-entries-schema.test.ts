/**
 * The SQLite entries table as version 3 keeps it (sqlite-schema.ts): keyed by the application's integer `app`,
 * reached from a version-2 database by rekeyEntries without losing or changing a byte of what was stored. (The WAL
 * checkpointing by the worker thread is tested in sqlite-checkpointer.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain, type Entry } from '@audit-trail/sdk/contract';
import { appendEntries } from '../src/ledger.js';
import { sqlite } from '../src/store/sqlite-module.js';
import { databasePath, openSqliteStore } from '../src/store/sqlite-store.js';
import { createTenant } from '../src/tenants.js';

/** The entries table and indexes exactly as schema version 2 created them (text application id). */
const VERSION_2_ENTRIES = `
CREATE TABLE entries (
  id TEXT NOT NULL UNIQUE,
  application_id TEXT NOT NULL REFERENCES applications(id),
  sequence INTEGER NOT NULL,
  timestamp TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  details TEXT,
  actor_display_name TEXT,
  actor_roles TEXT,
  entity_type TEXT,
  entity_id TEXT,
  occurred_at TEXT,
  ip TEXT,
  idempotency_key TEXT,
  previous_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  standalone_hash TEXT NOT NULL,
  hash_version INTEGER NOT NULL,
  UNIQUE (application_id, sequence)
) STRICT;
CREATE UNIQUE INDEX entries_by_idempotency_key ON entries (application_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX entries_by_actor ON entries (application_id, actor_id, sequence);
CREATE INDEX entries_by_action ON entries (application_id, action, sequence);
CREATE INDEX entries_by_entity ON entries (application_id, entity_type, entity_id, sequence);
CREATE INDEX entries_by_time ON entries (application_id, timestamp);`;

const STORED_COLUMNS =
  'id, sequence, timestamp, actor_id, action, details, actor_display_name, actor_roles, entity_type, entity_id, occurred_at, ip, ' +
  'idempotency_key, previous_hash, hash, standalone_hash, hash_version';

const entry = (i: number): Entry => ({
  actorId: `user-${i % 3}`,
  action: i % 2 === 0 ? 'INVOICE_UPDATED' : 'LOGIN',
  details: { amount: i, note: 'ünïcödé ✓', nested: { list: [1, 2.5, 'x'] } },
  actorDisplayName: `User ${i}`,
  actorRoles: ['admin', `role-${i}`],
  entityType: 'invoice',
  entityId: `inv_${i}`,
  ip: '192.0.2.7',
  idempotencyKey: `key-${i}`,
});

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'audit-trail-entries-schema-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

test('a version-2 database is rekeyed on open: every stored row kept byte for byte, the chains verify, appends go on', async () => {
  let store = openSqliteStore(dataDir);
  const first = await createTenant(store);
  const second = await createTenant(store);
  await appendEntries(store, first.applicationId, Array.from({ length: 7 }, (_, i) => entry(i)));
  await appendEntries(store, second.applicationId, Array.from({ length: 4 }, (_, i) => entry(100 + i)));
  await appendEntries(store, first.applicationId, [entry(7)]);
  const before = {
    first: await store.entries.range(first.applicationId, 1, 100, 100),
    second: await store.entries.range(second.applicationId, 1, 100, 100),
  };
  await store.close();

  // Back to version 2, as an older server left it: entries keyed by the text id, applications without position.
  const db = new sqlite.DatabaseSync(databasePath(dataDir));
  db.exec('ALTER TABLE entries RENAME TO entries_v3');
  db.exec('DROP INDEX entries_by_idempotency_key; DROP INDEX entries_by_actor; DROP INDEX entries_by_action; DROP INDEX entries_by_entity; DROP INDEX entries_by_time;');
  db.exec(VERSION_2_ENTRIES);
  db.exec(
    `INSERT INTO entries (application_id, ${STORED_COLUMNS}) SELECT a.id, ${STORED_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}
     FROM entries_v3 AS e JOIN applications AS a ON a.position = e.app`,
  );
  db.exec('DROP TABLE entries_v3; DROP INDEX applications_by_position; ALTER TABLE applications DROP COLUMN position; PRAGMA user_version = 2;');
  const rawBefore = db.prepare(`SELECT application_id, ${STORED_COLUMNS} FROM entries ORDER BY id`).all();
  expect(rawBefore).toHaveLength(12);
  db.close();

  store = openSqliteStore(dataDir);
  try {
    expect(await store.entries.range(first.applicationId, 1, 100, 100)).toEqual(before.first);
    expect(await store.entries.range(second.applicationId, 1, 100, 100)).toEqual(before.second);
    expect(verifyChain(before.first)).toMatchObject({ valid: true, checked: 8 });
    const check = new sqlite.DatabaseSync(databasePath(dataDir), { readOnly: true });
    try {
      // The very bytes stored, under the integer key of the same application.
      const rawAfter = check
        .prepare(`SELECT a.id AS application_id, ${STORED_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')} FROM entries AS e JOIN applications AS a ON a.position = e.app ORDER BY e.id`)
        .all();
      expect(rawAfter).toEqual(rawBefore);
      const columns = (check.prepare('PRAGMA table_info(entries)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).toContain('app');
      expect(columns).not.toContain('application_id');
      for (const index of ['entries_by_idempotency_key', 'entries_by_actor', 'entries_by_action', 'entries_by_entity', 'entries_by_time']) {
        expect((check.prepare(`PRAGMA index_info(${index})`).all() as { name: string }[])[0]?.name).toBe('app');
      }
      expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: 3 });
    } finally {
      check.close();
    }
    // Lookups by every indexed field still find the rekeyed rows, of their own application only.
    expect((await store.entries.findByIdempotencyKey(first.applicationId, 'key-3'))?.sequence).toBe(4);
    expect(await store.entries.findByIdempotencyKey(second.applicationId, 'key-3')).toBeUndefined();
    expect((await store.entries.list(first.applicationId, { actorId: 'user-1' }, { order: 'asc', limit: 10 })).map((e) => e.sequence)).toEqual([2, 5, 8]);
    // Appends continue each chain, and a new application gets a key of its own.
    const { outcomes } = await appendEntries(store, first.applicationId, [{ actorId: 'after', action: 'UPGRADED' }]);
    expect(outcomes[0]).toMatchObject({ status: 'stored', entry: { sequence: 9, previousHash: before.first[7]?.hash } });
    const third = await createTenant(store);
    await appendEntries(store, third.applicationId, [entry(1)]);
    expect(await store.entries.range(third.applicationId, 1, 10, 10)).toHaveLength(1);
    expect(await store.entries.range(second.applicationId, 1, 100, 100)).toEqual(before.second);
    expect(verifyChain(await store.entries.range(first.applicationId, 1, 100, 100))).toMatchObject({ valid: true, checked: 9 });
  } finally {
    await store.close();
  }
  // Opening again changes nothing.
  store = openSqliteStore(dataDir);
  try {
    expect(await store.entries.range(second.applicationId, 1, 100, 100)).toEqual(before.second);
  } finally {
    await store.close();
  }
});
