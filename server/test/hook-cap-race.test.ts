/**
 * The per-application cap on webhook subscriptions holds under concurrency on both backends (issue 10: on
 * PostgreSQL two concurrent subscriptions could both pass the count at 19 and make 21). Two subscriptions are made
 * to interleave on purpose: each transaction's count waits until the other one has counted too (or 500 ms passed),
 * so without the application lock both count cap - 1 and both insert.
 */
import { insertHookWithinCap } from '../src/hooks/subscribe.js';
import type { HookRecord, HookRepository, Repositories, Store } from '../src/store/repositories.js';
import { createTenant } from '../src/tenants.js';
import { BACKENDS } from './support/postgres.js';
import { useStore } from './support/use-store.js';

/** The store, with every in-transaction count held until two counts were made or `maxWaitMs` passed. */
function interleavingCounts(store: Store, maxWaitMs: number): Store {
  let counted = 0;
  const waiters: (() => void)[] = [];
  const wrap = (hooks: HookRepository): HookRepository =>
    new Proxy(hooks, {
      get(target, property) {
        if (property === 'countForApplication') {
          return async (applicationId: string) => {
            const count = await target.countForApplication(applicationId);
            counted += 1;
            if (counted >= 2) for (const wake of waiters.splice(0)) wake();
            else await new Promise<void>((resolve) => (waiters.push(resolve), setTimeout(resolve, maxWaitMs)));
            return count;
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  return { ...store, transaction: <T>(work: (tx: Repositories) => Promise<T>) => store.transaction((tx) => work({ ...tx, hooks: wrap(tx.hooks) })) };
}

describe.each(BACKENDS)('hook cap under concurrency (%s)', (backend) => {
  const openedStore = useStore(backend, 'cap-race');
  let store: Store;
  beforeAll(() => {
    store = openedStore();
  });

  test('two subscriptions racing at cap - 1: exactly one is stored', async () => {
    const { applicationId } = await createTenant(store);
    const hook = (n: number): HookRecord => ({
      id: `hook-${backend}-${n}`,
      applicationId,
      targetUrl: `https://example.com/${n}`,
      actorId: null,
      action: null,
      entityType: null,
      entityId: null,
      createdAt: new Date().toISOString(),
      secret: `whsec_${n}`,
    });
    const CAP = 3;
    for (let n = 0; n < CAP - 1; n += 1) expect(await insertHookWithinCap(store, hook(n), CAP)).toBe(true);
    const racing = interleavingCounts(store, 500);
    const results = await Promise.all([insertHookWithinCap(racing, hook(10), CAP), insertHookWithinCap(racing, hook(11), CAP)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.hooks.countForApplication(applicationId)).toBe(CAP);
  });
});
