/**
 * The storage contract, run on every backend (SQLite file, real PostgreSQL): each repository method, transactions
 * (all or nothing), and the ledger on top (chain, idempotency, concurrent appends that must not fork the chain).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, verifyChain, type StoredEntry } from '@audit-trail/sdk/contract';
import { appendEntries } from '../src/ledger.js';
import pg from 'pg';
import { openStore } from '../src/store/open-store.js';
import { sqlite } from '../src/store/sqlite-module.js';
import { databasePath } from '../src/store/sqlite-store.js';
import type { Store } from '../src/store/repositories.js';
import { createTenant } from '../src/tenants.js';
import { BACKENDS, createTestDatabase, type Backend, type TestDatabase } from './support/postgres.js';

interface OpenedStore {
  store: Store;
  /** Opens a second store on the same data (another server process's view). */
  reopen(): Promise<Store>;
  /**
   * Turns the data back into what version 1 of the schema had (no action summary, no time index; on PostgreSQL
   * also entries keyed by the text application id, so that migration 9 runs again).
   */
  downgradeToVersion1(): Promise<void>;
  cleanup(): Promise<void>;
}

async function openBackend(backend: Backend): Promise<OpenedStore> {
  if (backend === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'audit-trail-store-'));
    return {
      store: await openStore({ dataDir }),
      reopen: () => openStore({ dataDir }),
      async downgradeToVersion1() {
        const db = new sqlite.DatabaseSync(databasePath(dataDir));
        db.exec('DROP TABLE action_summaries; DROP INDEX entries_by_time; PRAGMA user_version = 1;');
        db.close();
      },
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const database: TestDatabase = await createTestDatabase();
  return {
    store: await openStore({ databaseUrl: database.url }),
    reopen: () => openStore({ databaseUrl: database.url }),
    async downgradeToVersion1() {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      // Everything migrations 2 and later create goes, so that the reopen runs them all again as on a real upgrade.
      await client.query(
        'DROP TABLE integrity_breaks; DROP TABLE verification_state; DROP TABLE action_summaries; DROP TABLE tree_nodes; ' +
          'DROP TABLE hook_deliveries; DROP TABLE application_keys; ALTER TABLE hooks DROP COLUMN secret; ' +
          'ALTER TABLE organizations DROP COLUMN previous_secret_salt, DROP COLUMN previous_secret_hash, DROP COLUMN previous_secret_valid_until; ' +
          'ALTER TABLE hooks DROP COLUMN entity_id; DELETE FROM schema_migrations WHERE version > 1;',
      );
      // Entries back to migration 1's shape, keyed by the text application id (migration 9 made it `app`).
      await client.query(
        'ALTER TABLE entries ADD COLUMN application_id TEXT COLLATE "C"; ' +
          'UPDATE entries AS e SET application_id = a.id FROM applications AS a WHERE a.position = e.app; ' +
          'ALTER TABLE entries ALTER COLUMN application_id SET NOT NULL; ALTER TABLE entries DROP COLUMN app; ' +
          'ALTER TABLE entries ADD PRIMARY KEY (application_id, sequence); ' +
          'ALTER TABLE entries ADD FOREIGN KEY (application_id) REFERENCES applications (id); ' +
          'CREATE UNIQUE INDEX entries_by_idempotency_key ON entries (application_id, idempotency_key) WHERE idempotency_key IS NOT NULL; ' +
          'CREATE INDEX entries_by_actor ON entries (application_id, actor_id, sequence); ' +
          'CREATE INDEX entries_by_action ON entries (application_id, action, sequence); ' +
          'CREATE INDEX entries_by_entity ON entries (application_id, entity_type, entity_id, sequence); ' +
          'DROP INDEX applications_by_position;',
      );
      await client.end();
    },
    cleanup: () => database.drop(),
  };
}

const at = (ms: number) => () => new Date(Date.UTC(2026, 0, 1) + ms);

describe.each(BACKENDS)('store on %s', (backend) => {
  let opened: OpenedStore;
  let store: Store;

  beforeAll(async () => {
    opened = await openBackend(backend);
    store = opened.store;
  });

  afterAll(async () => {
    await store?.close();
    await opened?.cleanup();
  });

  test('opening twice on the same data is idempotent (schema created once, data kept)', async () => {
    const tenant = await createTenant(store, { organizationName: 'Reopen' });
    const again = await opened.reopen();
    try {
      expect(await again.tenants.findOrganization(tenant.organizationId)).toMatchObject({ name: 'Reopen' });
    } finally {
      await again.close();
    }
  });

  test('tenants: organizations and applications', async () => {
    const before = await store.tenants.countOrganizations();
    const salt = Buffer.from('0011223344556677', 'hex');
    const hash = Buffer.alloc(32, 7);
    await store.tenants.insertOrganization({ id: 'org-t', name: 'Tenants', secretSalt: salt, secretHash: hash, createdAt: '2026-01-01T00:00:00.000Z' });
    expect(await store.tenants.countOrganizations()).toBe(before + 1);
    const organization = await store.tenants.findOrganization('org-t');
    expect(organization).toEqual({
      id: 'org-t',
      name: 'Tenants',
      secretSalt: salt,
      secretHash: hash,
      createdAt: '2026-01-01T00:00:00.000Z',
      previousSecret: null,
    });
    expect(Buffer.isBuffer(organization?.secretSalt)).toBe(true);
    expect(await store.tenants.findOrganization('org-missing')).toBeUndefined();

    // Same createdAt: insertion order breaks the tie.
    for (const id of ['app-b', 'app-a', 'app-c']) {
      await store.tenants.insertApplication({ id, organizationId: 'org-t', name: `App ${id}`, createdAt: '2026-01-02T00:00:00.000Z' });
    }
    await store.tenants.insertApplication({ id: 'app-0', organizationId: 'org-t', name: 'Oldest', createdAt: '2026-01-01T00:00:00.000Z' });
    expect((await store.tenants.listApplications('org-t')).map((a) => a.id)).toEqual(['app-0', 'app-b', 'app-a', 'app-c']);
    expect(await store.tenants.findApplication('org-t', 'app-a')).toEqual({
      id: 'app-a',
      organizationId: 'org-t',
      name: 'App app-a',
      createdAt: '2026-01-02T00:00:00.000Z',
    });
    expect(await store.tenants.findApplication('org-other', 'app-a')).toBeUndefined();
    await expect(
      store.tenants.insertApplication({ id: 'app-a', organizationId: 'org-t', name: 'dup', createdAt: '2026-01-03T00:00:00.000Z' }),
    ).rejects.toThrow();
    expect(await store.entries.head('app-a')).toEqual({ sequence: 0, hash: GENESIS_HASH });
  });

  test('hooks: insert, list in insertion order, delete', async () => {
    const { applicationId } = await createTenant(store);
    const hook = (id: string, extra: Partial<{ actorId: string; action: string; entityType: string; entityId: string }> = {}) => ({
      id,
      applicationId,
      targetUrl: `https://example.com/${id}`,
      actorId: extra.actorId ?? null,
      action: extra.action ?? null,
      entityType: extra.entityType ?? null,
      entityId: extra.entityId ?? null,
      createdAt: '2026-01-01T00:00:00.000Z',
      secret: `whsec_${id}`,
    });
    await store.hooks.insert(hook('h2', { action: 'LOGIN' }));
    await store.hooks.insert(hook('h1', { actorId: 'alice', entityType: 'invoice', entityId: 'inv_1' }));
    expect(await store.hooks.listForApplication(applicationId)).toEqual([hook('h2', { action: 'LOGIN' }), hook('h1', { actorId: 'alice', entityType: 'invoice', entityId: 'inv_1' })]);
    expect(await store.hooks.listForApplication('app-none')).toEqual([]);
    expect(await store.hooks.delete('app-none', 'h1')).toBe(false);
    expect(await store.hooks.delete(applicationId, 'h1')).toBe(true);
    expect(await store.hooks.delete(applicationId, 'h1')).toBe(false);
    expect((await store.hooks.listForApplication(applicationId)).map((h) => h.id)).toEqual(['h2']);
  });

  test('tenants: organizations listed oldest first, secret rotation keeps the previous secret', async () => {
    const organization = (id: string, createdAt: string, fill: number) => ({
      id,
      name: `Org ${id}`,
      secretSalt: Buffer.alloc(16, fill),
      secretHash: Buffer.alloc(32, fill),
      createdAt,
    });
    await store.tenants.insertOrganization(organization('org-r2', '2020-01-02T00:00:00.000Z', 2));
    await store.tenants.insertOrganization(organization('org-r1', '2020-01-01T00:00:00.000Z', 1));
    const listed = await store.tenants.listOrganizations();
    expect(listed.map((o) => o.id).filter((id) => id.startsWith('org-r'))).toEqual(['org-r1', 'org-r2']);
    expect(listed.map((o) => o.createdAt)).toEqual([...listed.map((o) => o.createdAt)].sort());
    expect(listed.find((o) => o.id === 'org-r1')).toEqual({ ...organization('org-r1', '2020-01-01T00:00:00.000Z', 1), previousSecret: null });

    const next = { salt: Buffer.alloc(16, 9), hash: Buffer.alloc(32, 9) };
    expect(await store.tenants.rotateOrganizationSecret('org-r1', next, '2020-02-01T00:00:00.000Z')).toBe(true);
    expect(await store.tenants.findOrganization('org-r1')).toEqual({
      ...organization('org-r1', '2020-01-01T00:00:00.000Z', 1),
      secretSalt: next.salt,
      secretHash: next.hash,
      previousSecret: { salt: Buffer.alloc(16, 1), hash: Buffer.alloc(32, 1), validUntil: '2020-02-01T00:00:00.000Z' },
    });
    // A second rotation replaces the earlier previous secret with the one just retired.
    const third = { salt: Buffer.alloc(16, 10), hash: Buffer.alloc(32, 10) };
    expect(await store.tenants.rotateOrganizationSecret('org-r1', third, '2020-03-01T00:00:00.000Z')).toBe(true);
    expect((await store.tenants.findOrganization('org-r1'))?.previousSecret).toEqual({
      salt: next.salt,
      hash: next.hash,
      validUntil: '2020-03-01T00:00:00.000Z',
    });
    expect(await store.tenants.rotateOrganizationSecret('org-missing', next, '2020-02-01T00:00:00.000Z')).toBe(false);
    // The other organization is untouched.
    expect((await store.tenants.findOrganization('org-r2'))?.secretHash).toEqual(Buffer.alloc(32, 2));
  });

  test('tenants: application keys inserted, found, listed oldest first, deleted only by their application', async () => {
    const tenant = await createTenant(store);
    const other = await createTenant(store);
    const key = (id: string, createdAt: string, applicationId = tenant.applicationId, organizationId = tenant.organizationId) => ({
      id,
      applicationId,
      organizationId,
      secretSalt: Buffer.from(`salt-${id}`),
      secretHash: Buffer.from(`hash-${id}`),
      createdAt,
    });
    await store.tenants.insertApplicationKey(key('k2', '2026-01-02T00:00:00.000Z'));
    await store.tenants.insertApplicationKey(key('k3', '2026-01-02T00:00:00.000Z'));
    await store.tenants.insertApplicationKey(key('k1', '2026-01-01T00:00:00.000Z'));
    await store.tenants.insertApplicationKey(key('k-other', '2026-01-01T00:00:00.000Z', other.applicationId, other.organizationId));
    await expect(store.tenants.insertApplicationKey(key('k1', '2026-01-05T00:00:00.000Z'))).rejects.toThrow();

    const found = await store.tenants.findApplicationKey('k1');
    expect(found).toEqual(key('k1', '2026-01-01T00:00:00.000Z'));
    expect(Buffer.isBuffer(found?.secretHash)).toBe(true);
    expect(await store.tenants.findApplicationKey('k-missing')).toBeUndefined();
    // Same createdAt: insertion order breaks the tie.
    expect((await store.tenants.listApplicationKeys(tenant.applicationId)).map((k) => k.id)).toEqual(['k1', 'k2', 'k3']);
    expect(await store.tenants.listApplicationKeys('app-none')).toEqual([]);

    expect(await store.tenants.deleteApplicationKey(tenant.applicationId, 'k-other')).toBe(false);
    expect(await store.tenants.deleteApplicationKey(tenant.applicationId, 'k2')).toBe(true);
    expect(await store.tenants.deleteApplicationKey(tenant.applicationId, 'k2')).toBe(false);
    expect((await store.tenants.listApplicationKeys(tenant.applicationId)).map((k) => k.id)).toEqual(['k1', 'k3']);
    expect(await store.tenants.findApplicationKey('k-other')).toMatchObject({ applicationId: other.applicationId });
  });

  test('hooks: count, find by id, and the durable delivery queue (enqueue, pending in order, reschedule, complete)', async () => {
    const tenant = await createTenant(store);
    const other = await createTenant(store);
    const hook = (id: string, applicationId = tenant.applicationId) => ({
      id,
      applicationId,
      targetUrl: `https://example.com/${id}`,
      actorId: null,
      action: null,
      entityType: null,
      entityId: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      secret: `whsec_${id}`,
    });
    await store.hooks.insert(hook('q1'));
    await store.hooks.insert(hook('q2'));
    await store.hooks.insert(hook('q-other', other.applicationId));
    expect(await store.hooks.countForApplication(tenant.applicationId)).toBe(2);
    expect(await store.hooks.countForApplication('app-none')).toBe(0);
    expect(await store.hooks.findById('q2')).toEqual(hook('q2'));
    expect(await store.hooks.findById('q-missing')).toBeUndefined();

    // Earlier tests may have left nothing pending; start from what is there.
    const already = (await store.hooks.pendingDeliveries(1000)).map((d) => d.id);
    const delivery = (id: string, hookId: string, organizationId = tenant.organizationId, applicationId = tenant.applicationId) => ({
      id,
      hookId,
      applicationId,
      organizationId,
      entryId: `entry-${id}`,
      body: JSON.stringify({ id, ü: 'ñ' }),
      attempt: 0,
      // Beyond 2^31: epoch milliseconds must round-trip.
      nextAttemptAt: 1_767_225_600_000,
    });
    await store.transaction(async (tx) => {
      await tx.hooks.enqueueDeliveries([delivery('d3', 'q1'), delivery('d1', 'q2'), delivery('d2', 'q1')]);
      await tx.hooks.enqueueDeliveries([delivery('d-other', 'q-other', other.organizationId, other.applicationId)]);
      await tx.hooks.enqueueDeliveries([]);
    });
    const pending = (limit: number) => store.hooks.pendingDeliveries(limit).then((all) => all.filter((d) => !already.includes(d.id)));
    expect(await pending(1000)).toEqual([delivery('d3', 'q1'), delivery('d1', 'q2'), delivery('d2', 'q1'), delivery('d-other', 'q-other', other.organizationId, other.applicationId)]);
    expect(await store.hooks.pendingDeliveries(already.length + 2)).toHaveLength(already.length + 2);
    expect(await store.hooks.countPendingDeliveries(tenant.organizationId)).toBe(3);
    expect(await store.hooks.countPendingDeliveries(other.organizationId)).toBe(1);
    expect(await store.hooks.countPendingDeliveries('org-none')).toBe(0);

    // A duplicate delivery id is refused, and a failed transaction leaves the queue as it was.
    await expect(store.transaction((tx) => tx.hooks.enqueueDeliveries([delivery('d9', 'q1'), delivery('d1', 'q1')]))).rejects.toThrow();
    expect(await store.hooks.countPendingDeliveries(tenant.organizationId)).toBe(3);

    await store.hooks.rescheduleDelivery('d1', 2, 1_767_225_700_000, 'owner-1', 1_767_225_760_000);
    expect((await pending(1000)).find((d) => d.id === 'd1')).toEqual({ ...delivery('d1', 'q2'), attempt: 2, nextAttemptAt: 1_767_225_700_000 });
    await store.hooks.completeDelivery('d3');
    await store.hooks.completeDelivery('d3');
    expect((await pending(1000)).map((d) => d.id)).toEqual(['d1', 'd2', 'd-other']);

    // Deleting a hook drops its pending deliveries, and only its own.
    expect(await store.hooks.delete(tenant.applicationId, 'q1')).toBe(true);
    expect((await pending(1000)).map((d) => d.id)).toEqual(['d1', 'd-other']);
    // A refused delete (another application's hook) drops nothing.
    expect(await store.hooks.delete(tenant.applicationId, 'q-other')).toBe(false);
    expect(await store.hooks.countPendingDeliveries(other.organizationId)).toBe(1);
    expect(await store.hooks.countForApplication(tenant.applicationId)).toBe(1);
  });

  test('ledger: entries chain from genesis, every field round-trips, idempotency keys replay', async () => {
    const { applicationId } = await createTenant(store);
    const full = {
      actorId: 'alice',
      action: 'INVOICE_UPDATED',
      details: { amount: 12.5, nested: { z: 1, a: [true, null, 'x'] } },
      actorDisplayName: 'Alice Ä',
      actorRoles: ['admin', 'billing'],
      entityType: 'invoice',
      entityId: 'inv_1',
      occurredAt: '2025-12-31T23:59:59.000Z',
      ip: '203.0.113.9',
      idempotencyKey: 'key-1',
    };
    const { outcomes } = await appendEntries(
      store,
      applicationId,
      [
        full,
        { actorId: 'bob', action: 'LOGIN', details: 'plain text details' },
        { ...full },
        { actorId: 'carol', action: 'LOGIN', idempotencyKey: 'key-1' },
        { code: 'invalid_field', field: 'actorId', message: 'bad' },
      ],
      at(0),
    );
    // The same entry under a used key is a replay; a different one is a conflict.
    expect(outcomes.map((o) => o.status)).toEqual(['stored', 'stored', 'duplicate', 'rejected', 'rejected']);
    expect(outcomes[3]).toMatchObject({ issue: { code: 'idempotency_conflict' } });
    const [first, second, replay] = outcomes as { entry: StoredEntry }[];
    expect(replay?.entry.id).toBe(first?.entry.id);
    expect(first?.entry).toMatchObject({ sequence: 1, previousHash: GENESIS_HASH });
    expect(second?.entry).toMatchObject({ sequence: 2, previousHash: first?.entry.hash, details: 'plain text details', actorRoles: null });
    expect(await store.entries.head(applicationId)).toEqual({ sequence: 2, hash: second?.entry.hash, timestamp: second?.entry.timestamp });

    // Read back exactly what was stored, by id, sequence and key.
    expect(await store.entries.findById(applicationId, first!.entry.id)).toEqual(first?.entry);
    expect(await store.entries.findBySequence(applicationId, 2)).toEqual(second?.entry);
    expect(await store.entries.findByIdempotencyKey(applicationId, 'key-1')).toEqual(first?.entry);
    expect(await store.entries.findById('app-other', first!.entry.id)).toBeUndefined();
    expect(await store.entries.findBySequence(applicationId, 3)).toBeUndefined();
    expect(await store.entries.findByIdempotencyKey(applicationId, 'key-none')).toBeUndefined();

    // A later append replays the key from the database, not only within one call.
    const {
      outcomes: [again],
    } = await appendEntries(store, applicationId, [{ ...full }], at(1));
    expect(again).toMatchObject({ status: 'duplicate', entry: { id: first?.entry.id } });
    expect(verifyChain(await store.entries.range(applicationId, 1, 10, 10))).toMatchObject({ valid: true, checked: 2 });
  });

  test('findByIdempotencyKeys: every stored key of the application in one call, whatever its characters; no other application\'s', async () => {
    const [{ applicationId: mine }, { applicationId: other }] = [await createTenant(store), await createTenant(store)];
    // JSON-significant characters, a non-BMP character (the engine may look such keys up one by one), and enough
    // keys for a full batch.
    const keys = ['plain', 'with "quotes" \\ and \\u0041', 'emoji \u{1F600}', 'ünï', ...Array.from({ length: 500 }, (_, i) => `k-${i}`)];
    const items = keys.map((idempotencyKey, i) => ({ actorId: 'a', action: 'X', details: { i }, idempotencyKey }));
    await appendEntries(store, mine, items.slice(0, 300), at(0));
    await appendEntries(store, mine, items.slice(300), at(1));
    await appendEntries(store, other, [{ actorId: 'b', action: 'Y', idempotencyKey: 'only-other' }], at(0));
    const stored = await store.entries.range(mine, 1, 1000, 1000);
    for (const asked of [keys, [...keys.slice(0, 3), 'missing', 'only-other', 'plain'], keys.filter((key) => !/[\uD800-\uDFFF]/.test(key))]) {
      const found = await store.entries.findByIdempotencyKeys(mine, asked);
      const expected = stored.filter((entry) => asked.includes(entry.idempotencyKey as string));
      expect([...found.keys()].sort()).toEqual(expected.map((entry) => entry.idempotencyKey).sort());
      for (const entry of expected) expect(found.get(entry.idempotencyKey as string)).toEqual(entry);
    }
  });

  describe('reading a chain', () => {
    let applicationId: string;
    let all: StoredEntry[];

    beforeAll(async () => {
      ({ applicationId } = await createTenant(store));
      const items = Array.from({ length: 30 }, (_, i) => ({
        actorId: i % 3 === 0 ? 'alice' : 'bob',
        action: i % 2 === 0 ? 'LOGIN' : i % 5 === 0 ? 'EXPORT' : 'INVOICE_UPDATED',
        entityType: i % 4 === 0 ? 'invoice' : 'user',
        entityId: `id-${i % 4}`,
        details: { i },
        ...(i % 7 === 0 ? { idempotencyKey: `k-${i}` } : {}),
      }));
      // Three appends a minute apart: timestamps 00:00, 00:01, 00:02 (10 entries each).
      for (let call = 0; call < 3; call++) {
        await appendEntries(store, applicationId, items.slice(call * 10, call * 10 + 10), at(call * 60_000));
      }
      all = await store.entries.range(applicationId, 1, 1000, 1000);
    });

    test('range and nextAfter', async () => {
      expect(all.map((e) => e.sequence)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(verifyChain(all)).toMatchObject({ valid: true, checked: 30 });
      expect((await store.entries.range(applicationId, 5, 9, 3)).map((e) => e.sequence)).toEqual([5, 6, 7]);
      expect(await store.entries.range(applicationId, 31, 40, 10)).toEqual([]);
      expect((await store.entries.nextAfter(applicationId, 10))?.sequence).toBe(11);
      expect(await store.entries.nextAfter(applicationId, 30)).toBeUndefined();
    });

    test('list: order, limit, cursor', async () => {
      const desc = await store.entries.list(applicationId, {}, { order: 'desc', limit: 4 });
      expect(desc.map((e) => e.sequence)).toEqual([30, 29, 28, 27]);
      const after = await store.entries.list(applicationId, {}, { order: 'desc', limit: 3, afterSequence: 27 });
      expect(after.map((e) => e.sequence)).toEqual([26, 25, 24]);
      const asc = await store.entries.list(applicationId, {}, { order: 'asc', limit: 2, afterSequence: 28 });
      expect(asc.map((e) => e.sequence)).toEqual([29, 30]);
      expect(asc[0]).toEqual(all[28]);
    });

    test('list: every filter, alone and combined, matches a plain filter over all entries', async () => {
      const cases: [Parameters<Store['entries']['list']>[1], (e: StoredEntry) => boolean][] = [
        [{ actorId: 'alice' }, (e) => e.actorId === 'alice'],
        [{ action: 'EXPORT' }, (e) => e.action === 'EXPORT'],
        [{ entityType: 'invoice' }, (e) => e.entityType === 'invoice'],
        [{ entityType: 'user', entityId: 'id-1' }, (e) => e.entityType === 'user' && e.entityId === 'id-1'],
        [{ idempotencyKey: 'k-14' }, (e) => e.idempotencyKey === 'k-14'],
        [{ from: '2026-01-01T00:01:00.000Z' }, (e) => e.timestamp >= '2026-01-01T00:01:00.000Z'],
        [{ to: '2026-01-01T00:01:00.000Z' }, (e) => e.timestamp < '2026-01-01T00:01:00.000Z'],
        [{ from: '2026-01-01T00:01:00.000Z', to: '2026-01-01T00:02:00.000Z', actorId: 'bob' }, (e) => e.timestamp.startsWith('2026-01-01T00:01') && e.actorId === 'bob'],
        [{ to: '2025-01-01T00:00:00.000Z' }, () => false],
        [{ actorId: 'nobody' }, () => false],
      ];
      for (const [filter, predicate] of cases) {
        const expected = all.filter(predicate).map((e) => e.sequence);
        expect({ filter, got: (await store.entries.list(applicationId, filter, { order: 'asc', limit: 100 })).map((e) => e.sequence) }).toEqual({
          filter,
          got: expected,
        });
        expect((await store.entries.list(applicationId, filter, { order: 'desc', limit: 100 })).map((e) => e.sequence)).toEqual([...expected].reverse());
      }
    });

    test('actions: distinct, counted, most recently used first', async () => {
      const counts = new Map<string, { count: number; last: StoredEntry }>();
      for (const entry of all) counts.set(entry.action, { count: (counts.get(entry.action)?.count ?? 0) + 1, last: entry });
      const expected = [...counts.entries()]
        .sort((a, b) => b[1].last.sequence - a[1].last.sequence)
        .map(([action, { count, last }]) => ({ action, count, lastRecordedAt: last.timestamp }));
      expect(await store.entries.actions(applicationId, 10)).toEqual(expected);
      expect(await store.entries.actions(applicationId, 1)).toEqual(expected.slice(0, 1));
      expect(await store.entries.actions('app-none', 10)).toEqual([]);
    });

    test('upgrading a version-1 database builds the action summary from its entries', async () => {
      const before = await store.entries.actions(applicationId, 10);
      const entriesBefore = await store.entries.range(applicationId, 1, 1000, 1000);
      await store.close();
      await opened.downgradeToVersion1();
      store = await opened.reopen();
      opened.store = store;
      expect(await store.entries.actions(applicationId, 10)).toEqual(before);
      // Every entry as it was (on PostgreSQL through migration 9's rekeying too), found by its indexed fields.
      expect(await store.entries.range(applicationId, 1, 1000, 1000)).toEqual(entriesBefore);
      const keyed = entriesBefore.find((entry) => entry.idempotencyKey !== null);
      expect(keyed).toBeDefined();
      expect(await store.entries.findByIdempotencyKey(applicationId, keyed?.idempotencyKey as string)).toEqual(keyed);
      // And appends go on maintaining it.
      await appendEntries(store, applicationId, [{ actorId: 'x', action: 'EXPORT' }], at(10 * 60_000));
      const [newest] = await store.entries.actions(applicationId, 10);
      expect(newest).toEqual({ action: 'EXPORT', count: (before.find((a) => a.action === 'EXPORT')?.count ?? 0) + 1, lastRecordedAt: at(10 * 60_000)().toISOString() });
    });
  });

  describe('time filters (timestamps never decrease along a chain, so from/to are sequence bounds)', () => {
    let applicationId: string;
    let all: StoredEntry[];
    /** Every listing of `filter`, both orders, paged `pageSize` at a time through the cursor. */
    const pages = async (filter: Parameters<Store['entries']['list']>[1], order: 'asc' | 'desc', pageSize: number): Promise<number[]> => {
      const seen: number[] = [];
      let afterSequence: number | undefined;
      for (;;) {
        const page = await store.entries.list(applicationId, filter, { order, limit: pageSize, ...(afterSequence === undefined ? {} : { afterSequence }) });
        seen.push(...page.map((e) => e.sequence));
        if (page.length < pageSize) return seen;
        afterSequence = page[page.length - 1]!.sequence;
      }
    };

    beforeAll(async () => {
      ({ applicationId } = await createTenant(store));
      const item = (i: number) => ({ actorId: i % 2 === 0 ? 'even' : 'odd', action: 'TICK', details: { i } });
      // Clock readings per append (ms after 2026-01-01): forwards, a step back of 50 s, equal readings, forwards.
      const clock = [0, 10_000, 60_000, 10_000, 10_000, 60_000, 60_001, 120_000, 30_000, 180_000];
      let i = 0;
      for (const ms of clock) {
        // Three entries per append, all stamped in the same millisecond (equal timestamps).
        await appendEntries(store, applicationId, [item(i++), item(i++), item(i++)], at(ms));
      }
      all = await store.entries.range(applicationId, 1, 1000, 1000);
    });

    test('a clock that steps back stamps the head entry\'s timestamp, never an earlier one', () => {
      const ms = all.map((e) => Date.parse(e.timestamp) - Date.UTC(2026, 0, 1));
      expect(ms).toEqual([0, 0, 0, 1e4, 1e4, 1e4, 6e4, 6e4, 6e4, 6e4, 6e4, 6e4, 6e4, 6e4, 6e4, 6e4, 6e4, 6e4, 60_001, 60_001, 60_001, 12e4, 12e4, 12e4, 12e4, 12e4, 12e4, 18e4, 18e4, 18e4]);
      expect(verifyChain(all)).toMatchObject({ valid: true, checked: 30 });
    });

    test('every window (empty, between entries, beyond both ends, on equal timestamps) matches a plain filter, in both orders and through cursors', async () => {
      const instants = [...new Set(all.map((e) => Date.parse(e.timestamp)))];
      // Each stamped instant, a millisecond either side, and far beyond both ends.
      const edges = [...new Set(instants.flatMap((t) => [t - 1, t, t + 1]))].concat([Date.UTC(2020, 0, 1), Date.UTC(2030, 0, 1)]).map((t) => new Date(t).toISOString());
      const windows: { from?: string; to?: string }[] = [{}];
      for (const from of edges) windows.push({ from });
      for (const to of edges) windows.push({ to });
      for (const from of edges) for (const to of edges) if (from <= to) windows.push({ from, to });
      for (const window of windows) {
        for (const actorId of [undefined, 'odd']) {
          const filter = { ...window, ...(actorId ? { actorId } : {}) };
          const expected = all
            .filter((e) => (window.from === undefined || e.timestamp >= window.from) && (window.to === undefined || e.timestamp < window.to) && (!actorId || e.actorId === actorId))
            .map((e) => e.sequence);
          const got = await store.entries.list(applicationId, filter, { order: 'asc', limit: 100 });
          expect({ filter, got: got.map((e) => e.sequence) }).toEqual({ filter, got: expected });
          expect({ filter, got: (await store.entries.list(applicationId, filter, { order: 'desc', limit: 100 })).map((e) => e.sequence) }).toEqual({
            filter,
            got: [...expected].reverse(),
          });
        }
      }
      // Cursors inside a window: pages of 2 walk exactly the window, both ways.
      const window = { from: all[4]!.timestamp, to: all[24]!.timestamp, actorId: 'even' };
      const inWindow = all.filter((e) => e.timestamp >= window.from && e.timestamp < window.to && e.actorId === 'even').map((e) => e.sequence);
      expect(inWindow.length).toBeGreaterThan(4);
      expect(await pages(window, 'asc', 2)).toEqual(inWindow);
      expect(await pages(window, 'desc', 2)).toEqual([...inWindow].reverse());
      // A cursor beyond the window's end, and one before its start.
      expect(await store.entries.list(applicationId, window, { order: 'asc', limit: 10, afterSequence: 29 })).toEqual([]);
      expect(await store.entries.list(applicationId, window, { order: 'desc', limit: 10, afterSequence: 2 })).toEqual([]);
    });

    test('an application without entries: every window is empty', async () => {
      const { applicationId: empty } = await createTenant(store);
      for (const filter of [{ from: '2020-01-01T00:00:00.000Z' }, { to: '2030-01-01T00:00:00.000Z' }, { from: '2020-01-01T00:00:00.000Z', to: '2030-01-01T00:00:00.000Z' }]) {
        expect(await store.entries.list(empty, filter, { order: 'desc', limit: 10 })).toEqual([]);
      }
    });
  });

  if (backend === 'postgres') {
    test('an append that waited for the chain lock still never stamps earlier than the entry it waited for (another process, clock behind)', async () => {
      const { applicationId } = await createTenant(store);
      await appendEntries(store, applicationId, [{ actorId: 'a', action: 'FIRST' }], at(0));
      const other = await opened.reopen();
      const client = new pg.Client({ connectionString: (store.readerSource as { connectionString: string }).connectionString });
      await client.connect();
      try {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let arrived!: () => void;
        const atGate = new Promise<void>((resolve) => (arrived = resolve));
        // This append holds the chain lock until the gate opens (just before it moves the head and commits).
        const holding: Store = {
          ...store,
          transaction: (work) =>
            store.transaction((tx) => {
              const moveHead = tx.entries.moveHead.bind(tx.entries);
              tx.entries.moveHead = async (...args) => {
                arrived();
                await gate;
                return moveHead(...args);
              };
              return work(tx);
            }),
        };
        const ahead = appendEntries(holding, applicationId, [{ actorId: 'a', action: 'AHEAD' }], at(120_000));
        await atGate;
        // The other process's clock is a minute behind; its append waits for the lock...
        const behind = appendEntries(other, applicationId, [{ actorId: 'b', action: 'BEHIND' }], at(60_000));
        for (let waited = 0; ; waited += 20) {
          const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
          if (rows[0].n > 0) break;
          if (waited > 10_000) throw new Error('the second append never waited for the chain lock');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // ...and reads the head only once the first committed.
        release();
        await Promise.all([ahead, behind]);
        const chain = await store.entries.range(applicationId, 1, 10, 10);
        expect(chain.map((e) => [e.action, e.timestamp])).toEqual([
          ['FIRST', at(0)().toISOString()],
          ['AHEAD', at(120_000)().toISOString()],
          ['BEHIND', at(120_000)().toISOString()],
        ]);
        expect(verifyChain(chain)).toMatchObject({ valid: true, checked: 3 });
      } finally {
        await client.end();
        await other.close();
      }
    });
  }

  test('tree: nodes stored, read back in the order asked, overwritten; the ledger keeps the tree as big as the chain', async () => {
    const { applicationId } = await createTenant(store);
    const hash = (byte: number) => Buffer.alloc(32, byte);
    await store.tree.putNodes(applicationId, [
      { level: 0, index: 0, hash: hash(1) },
      { level: 0, index: 1, hash: hash(2) },
      { level: 1, index: 0, hash: hash(3) },
    ]);
    await store.tree.putNodes(applicationId, [{ level: 0, index: 1, hash: hash(9) }]);
    expect(await store.tree.nodes(applicationId, [{ level: 1, index: 0 }, { level: 0, index: 5 }, { level: 0, index: 1 }])).toEqual([hash(3), undefined, hash(9)]);
    expect(await store.tree.nodes('app-none', [{ level: 0, index: 0 }])).toEqual([undefined]);
    // Many nodes in one call (an engine may write them in multi-row chunks), some overwriting stored ones.
    const many = Array.from({ length: 150 }, (_, i) => ({ level: 2, index: i, hash: hash(i % 250) }));
    await store.tree.putNodes(applicationId, many);
    await store.tree.putNodes(applicationId, [...many.slice(0, 70).map((node) => ({ ...node, hash: hash(251) })), { level: 0, index: 0, hash: hash(252) }]);
    expect(await store.tree.nodes(applicationId, [...many, { level: 0, index: 0, hash: hash(0) }])).toEqual([
      ...many.map((node, i) => (i < 70 ? hash(251) : node.hash)),
      hash(252),
    ]);

    const other = await createTenant(store);
    const first = await appendEntries(store, other.applicationId, [{ actorId: 'a', action: 'A' }, { actorId: 'b', action: 'B' }, { actorId: 'c', action: 'C' }], at(0));
    expect(first.treeHead.size).toBe(3);
    const second = await appendEntries(store, other.applicationId, [{ actorId: 'd', action: 'D' }], at(1));
    expect(second.treeHead.size).toBe(4);
    expect(await store.tree.nodes(other.applicationId, [{ level: 2, index: 0 }])).toEqual([second.treeHead.root]);
  });

  test('a transaction keeps all of its writes or none', async () => {
    const { applicationId } = await createTenant(store);
    await expect(
      store.transaction(async (tx) => {
        await tx.hooks.insert({ id: 'h-rolled-back', applicationId, targetUrl: 'https://example.com', actorId: null, action: null, entityType: null, entityId: null, createdAt: 'x', secret: 'whsec_x' });
        await tx.entries.moveHead(applicationId, { sequence: 9, hash: 'f'.repeat(64) });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await store.hooks.listForApplication(applicationId)).toEqual([]);
    expect(await store.entries.head(applicationId)).toEqual({ sequence: 0, hash: GENESIS_HASH });
    // A failing statement (duplicate sequence) rolls back the entries already inserted in the same append.
    await appendEntries(store, applicationId, [{ actorId: 'a', action: 'A' }], at(0));
    const stored = (await store.entries.findBySequence(applicationId, 1))!;
    await expect(
      store.transaction(async (tx) => {
        await tx.entries.insert({ ...stored, id: `${stored.id}-2`, sequence: 2 });
        await tx.entries.insert({ ...stored, id: `${stored.id}-3`, sequence: 1 });
      }),
    ).rejects.toThrow();
    expect(await store.entries.findBySequence(applicationId, 2)).toBeUndefined();
  });

  test('concurrent appends form one chain (no fork, no gap); on PostgreSQL through two pools, as two processes would', async () => {
    const { applicationId } = await createTenant(store);
    // Two SQLite connections in ONE process would make the second wait synchronously (busy_timeout) on the lock
    // the first holds across an await: SQLite shares a file between processes, not within one event loop.
    const other = backend === 'postgres' ? await opened.reopen() : store;
    try {
      const writers = [store, other].flatMap((writer, w) =>
        Array.from({ length: 10 }, (_, call) =>
          appendEntries(
            writer,
            applicationId,
            Array.from({ length: 5 }, (_, i) => ({ actorId: `w${w}`, action: 'RACE', details: { call, i }, idempotencyKey: `w${w}-${call}-${i}` })),
          ),
        ),
      );
      const results = await Promise.all(writers);
      expect(results.flatMap((result) => result.outcomes).every((outcome) => outcome.status === 'stored')).toBe(true);
      const chain = await store.entries.range(applicationId, 1, 1000, 1000);
      expect(chain).toHaveLength(100);
      expect(verifyChain(chain)).toMatchObject({ valid: true, checked: 100 });
      expect(await other.entries.head(applicationId)).toEqual({ sequence: 100, hash: chain[99]?.hash, timestamp: chain[99]?.timestamp });
    } finally {
      if (other !== store) await other.close();
    }
  });
});

describe('PostgreSQL migration 6 (webhook signatures, secret rotation, application keys, delivery queue)', () => {
  test('hooks stored before signatures get distinct random secrets; re-running the migration changes nothing', async () => {
    const database = await createTestDatabase();
    try {
      let store = await openStore({ databaseUrl: database.url });
      const { applicationId } = await createTenant(store);
      await store.close();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        // Back to version 5: hooks without a secret column, as an older server left them.
        await client.query(`DROP TABLE hook_deliveries; DROP TABLE application_keys; ALTER TABLE hooks DROP COLUMN secret;
          ALTER TABLE organizations DROP COLUMN previous_secret_salt, DROP COLUMN previous_secret_hash, DROP COLUMN previous_secret_valid_until;
          DELETE FROM schema_migrations WHERE version >= 6;`);
        for (const id of ['old-1', 'old-2']) {
          await client.query("INSERT INTO hooks (id, application_id, target_url, created_at) VALUES ($1, $2, 'https://example.com/', '2026-01-01T00:00:00.000Z')", [id, applicationId]);
        }
      } finally {
        await client.end();
      }
      store = await openStore({ databaseUrl: database.url });
      try {
        const secrets = (await store.hooks.listForApplication(applicationId)).map((h) => h.secret);
        expect(secrets).toHaveLength(2);
        for (const secret of secrets) expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
        expect(new Set(secrets).size).toBe(2);
        const again = await openStore({ databaseUrl: database.url });
        expect((await again.hooks.listForApplication(applicationId)).map((h) => h.secret)).toEqual(secrets);
        await again.close();
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
});
