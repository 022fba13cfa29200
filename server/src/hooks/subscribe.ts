/** Storing a webhook subscription under the per-application cap (`POST /api/hooks`). */
import type { HookRecord, Store } from '../store/repositories.js';

/**
 * Inserts `record` unless its application already has `cap` subscriptions; `false` when it had. Counted and
 * inserted in one transaction under the application's subscription lock, so that concurrent subscriptions (from
 * any number of server processes on one database) cannot pass the cap together.
 */
export function insertHookWithinCap(store: Store, record: HookRecord, cap: number): Promise<boolean> {
  return store.transaction(async (tx) => {
    await tx.hooks.lockApplicationHooks(record.applicationId);
    if ((await tx.hooks.countForApplication(record.applicationId)) >= cap) return false;
    await tx.hooks.insert(record);
    return true;
  });
}
