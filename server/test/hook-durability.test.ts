/**
 * Webhook deliveries are queued in the append's own transaction (issue 10: a delivery enqueued after the commit
 * was lost when the process died in between). A failure injected where the delivery is queued must leave no
 * acknowledged-but-undelivered entry: either the entry and its delivery are both stored, or neither is, and the
 * client's retry with the same idempotency key then stores and delivers it once.
 */
import { PATHS, type HookSubscription, type ListResponse, type StoredEntry } from '../../sdk/src/contract/schemas.js';
import type { HookRepository, Repositories, Store } from '../src/store/repositories.js';
import { BACKENDS } from './support/postgres.js';
import { useServer } from './support/use-server.js';
import { api } from './support/http.js';
import { startReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

/** The store, with `enqueueDeliveries` failing once when armed (in and outside transactions): a crash at that point. */
function failingEnqueue(store: Store, armed: { crash: boolean }): Store {
  const wrap = (hooks: HookRepository): HookRepository =>
    new Proxy(hooks, {
      get(target, property) {
        if (property === 'enqueueDeliveries' && armed.crash) {
          return async () => {
            armed.crash = false;
            throw new Error('injected failure: the process died before the delivery was queued');
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  return {
    ...store,
    hooks: wrap(store.hooks),
    transaction: <T>(work: (tx: Repositories) => Promise<T>) => store.transaction((tx) => work({ ...tx, hooks: wrap(tx.hooks) })),
  };
}

describe.each(BACKENDS)('a delivery is queued with its entry (%s)', (backend) => {
  const armed = { crash: false };
  const server = useServer({ backend, wrapStore: (store) => failingEnqueue(store, armed) });
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  test('a failure where the delivery is queued stores neither; the retry stores the entry and delivers it once', async () => {
    const hook = await api<HookSubscription>(server, PATHS.hooks, { body: { targetUrl: `${receiver.url}/durable` } });
    expect(hook.status).toBe(201);
    const request = { body: { invoice: 42 }, headers: { 'idempotency-key': 'durable-1' } };
    armed.crash = true;
    const first = await api(server, PATHS.log('alice', 'PAID'), request);
    expect(first.status).toBe(500);
    expect(armed.crash).toBe(false);
    // The client was not acknowledged; it retries with the same key, as the SDK does.
    const retry = await api(server, PATHS.log('alice', 'PAID'), request);
    expect(retry.status).toBe(201);
    await server.app.hooks.idle();
    const listed = await api<ListResponse>(server, `${PATHS.entries}?idempotencyKey=durable-1`);
    expect(listed.body.entries).toHaveLength(1);
    const delivered = receiver.received.map((delivery) => JSON.parse(delivery.raw) as StoredEntry);
    expect(delivered.map((entry) => entry.idempotencyKey)).toEqual(['durable-1']);
    expect(delivered[0]?.id).toBe(listed.body.entries[0]?.id);
    expect(await server.app.store.hooks.pendingDeliveries(10)).toEqual([]);
  });

  test('a batch whose deliveries cannot be queued is not stored at all (all or nothing)', async () => {
    receiver.received.length = 0;
    const entries = Array.from({ length: 5 }, (_, i) => ({ actorId: 'bob', action: 'BATCHED', idempotencyKey: `batch-${i}` }));
    armed.crash = true;
    expect((await api(server, PATHS.batch, { body: { entries } })).status).toBe(500);
    const none = await api<ListResponse>(server, `${PATHS.entries}?action=BATCHED`);
    expect(none.body.entries).toEqual([]);
    expect((await api(server, PATHS.batch, { body: { entries } })).status).toBe(200);
    await server.app.hooks.idle();
    expect(receiver.received.map((delivery) => (JSON.parse(delivery.raw) as StoredEntry).idempotencyKey).sort()).toEqual(entries.map((e) => e.idempotencyKey).sort());
  });
});
