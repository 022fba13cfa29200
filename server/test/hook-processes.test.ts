/**
 * Webhook delivery with several server processes on one database (issue 10): a queued delivery is delivered by
 * one process only (rows are claimed under a lease, with FOR UPDATE SKIP LOCKED on PostgreSQL), and a delivery
 * held by a process that died is taken over by another once its lease expired. Two server instances on one
 * embedded PostgreSQL; the lease clock is injected, so nothing waits for a real lease to run out.
 */
import { PATHS, type HookSubscription } from '../../sdk/src/contract/schemas.js';
import type { HookDispatcherOptions } from '../src/hooks/dispatcher.js';
import { openStore } from '../src/store/open-store.js';
import type { HookDeliveryRecord, Store } from '../src/store/repositories.js';
import { createTenant } from '../src/tenants.js';
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/postgres.js';
import { useStore } from './support/use-store.js';
import { startServer, type TestServer } from './support/start-server.js';
import { api } from './support/http.js';
import { startReceiver, waitFor, type WebhookReceiver } from './support/webhook-receiver.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const delivery = (n: number, hookId: string, applicationId: string, organizationId: string): HookDeliveryRecord => ({
  id: `delivery-${n}`,
  hookId,
  applicationId,
  organizationId,
  entryId: `entry-${n}`,
  body: JSON.stringify({ n }),
  attempt: 0,
  nextAttemptAt: 0,
});

describe.each(BACKENDS)('delivery leases in the store (%s)', (backend) => {
  const openedStore = useStore(backend, 'leases');
  let store: Store;
  beforeAll(() => {
    store = openedStore();
  });

  test('claims are disjoint, a held row cannot be renewed by another owner until its lease expired, released rows are free', async () => {
    const { applicationId, organizationId } = await createTenant(store);
    const hook = { id: `hook-${backend}`, applicationId, targetUrl: 'https://example.com/', actorId: null, action: null, entityType: null, entityId: null, createdAt: new Date().toISOString(), secret: 'whsec_x' };
    await store.hooks.insert(hook);
    await store.hooks.enqueueDeliveries(Array.from({ length: 10 }, (_, n) => delivery(n, hook.id, applicationId, organizationId)));
    await store.hooks.enqueueDeliveries([delivery(10, hook.id, applicationId, organizationId)], { owner: 'c', expiresAt: 5_000 });
    const [a, b] = await Promise.all([store.hooks.claimDeliveries('a', 1_000, 2_000, 6), store.hooks.claimDeliveries('b', 1_000, 2_000, 6)]);
    expect(a.length + b.length).toBe(10);
    expect(new Set([...a, ...b].map((r) => r.id)).size).toBe(10);
    expect(await store.hooks.claimDeliveries('b', 1_500, 2_500, 100)).toEqual([]);
    const first = (a[0] ?? b[0])!.id;
    const holder = a.some((r) => r.id === first) ? 'a' : 'b';
    const other = holder === 'a' ? 'b' : 'a';
    expect(await store.hooks.renewLease(first, other, 1_999, 3_000)).toBe(false);
    expect(await store.hooks.renewLease(first, holder, 1_999, 3_000)).toBe(true);
    // After the lease: the other owner may take it, and then the first holder may not.
    expect(await store.hooks.renewLease(first, other, 3_000, 4_000)).toBe(true);
    expect(await store.hooks.renewLease(first, holder, 3_000, 4_000)).toBe(false);
    // A released row is free at once (its lease ran to 4,000); c's row, queued under its lease, only after 5,000.
    await store.hooks.releaseLeases(other);
    const freed = (await store.hooks.claimDeliveries('d', 2_500, 9_000, 100)).map((r) => r.id);
    expect(freed).toContain(first);
    expect(freed).toHaveLength(10);
    expect(freed).not.toContain('delivery-10');
    expect((await store.hooks.claimDeliveries('e', 5_000, 9_000, 100)).map((r) => r.id)).toEqual(['delivery-10']);
  });
});

describe('two server instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await receiver.close();
    await database.drop();
  });

  test('60 queued deliveries, two processes polling: each is delivered exactly once', async () => {
    const store = await openStore({ databaseUrl: database.url });
    try {
      const { applicationId, organizationId } = await createTenant(store);
      const hook = { id: 'shared-hook', applicationId, targetUrl: `${receiver.url}/shared`, actorId: null, action: null, entityType: null, entityId: null, createdAt: new Date().toISOString(), secret: 'whsec_shared' };
      await store.hooks.insert(hook);
      await store.hooks.enqueueDeliveries(Array.from({ length: 60 }, (_, n) => delivery(n, hook.id, applicationId, organizationId)));
    } finally {
      await store.close();
    }
    const webhooks = { pollIntervalMs: 50, concurrency: 4, perTenantConcurrency: 4 } as HookDispatcherOptions;
    servers.push(...(await Promise.all([0, 1].map(() => startServer({ backend: 'postgres', databaseUrl: database.url, webhooks })))));
    expect(await waitFor(() => receiver.received.length >= 60, 15_000)).toBe(true);
    await Promise.all(servers.map((server) => server.app.hooks.idle()));
    await sleep(200);
    const ids = receiver.received.map((r) => r.headers['audit-trail-delivery-id']);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    expect(await servers[0]!.app.store.hooks.pendingDeliveries(100)).toEqual([]);
    await Promise.all(servers.splice(0).map((server) => server.close()));
  }, 30_000);

  test('a delivery held by a process that died is taken over by another only once its lease expired', async () => {
    receiver.received.length = 0;
    receiver.mode = { hang: true };
    const common = { backend: 'postgres' as const, databaseUrl: database.url };
    // A dies without releasing its leases (as under SIGKILL): its stop releases nothing.
    const dying = await startServer({
      ...common,
      webhooks: { leaseMs: 60_000, deadlineMs: 20_000, timeoutMs: 20_000, pollIntervalMs: 50 } as HookDispatcherOptions,
      wrapStore: (store) => ({ ...store, hooks: Object.assign(Object.create(store.hooks) as Store['hooks'], { releaseLeases: async () => undefined }) }),
    });
    servers.push(dying);
    const hook = await api<HookSubscription>(dying, PATHS.hooks, { body: { targetUrl: `${receiver.url}/takeover` } });
    expect(hook.status).toBe(201);
    expect((await api(dying, PATHS.log('alice', 'LOGIN'), { body: { n: 1 } })).status).toBe(201);
    expect(await waitFor(() => receiver.received.length === 1, 5000)).toBe(true);
    // B polls every 50 ms with a clock we move: while A's lease runs, B leaves the row alone.
    let skewMs = 0;
    const survivor = await startServer({ ...common, webhooks: { pollIntervalMs: 50, now: () => Date.now() + skewMs } as HookDispatcherOptions });
    servers.push(survivor);
    await sleep(400);
    expect(receiver.received).toHaveLength(1);
    await dying.close();
    await sleep(300);
    expect(receiver.received).toHaveLength(1);
    // A's lease (60 s) has run out on B's clock: B takes the row over and delivers it, with the same delivery id.
    receiver.mode = { status: 200 };
    skewMs = 61_000;
    expect(await waitFor(() => receiver.received.length === 2, 5000)).toBe(true);
    await survivor.app.hooks.idle();
    const [before, after] = receiver.received;
    expect(after?.headers['audit-trail-delivery-id']).toBe(before?.headers['audit-trail-delivery-id']);
    expect(after?.raw).toBe(before?.raw);
    expect(await survivor.app.store.hooks.pendingDeliveries(10)).toEqual([]);
  }, 30_000);
});
