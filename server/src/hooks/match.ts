/** Which subscriptions an entry goes to: every filter a subscription sets must equal the entry's field. */
import type { HookSubscription, StoredEntry } from '@audit-trail/sdk/contract';

/** Whether `entry` passes the filters of `hook` (a `null` filter matches anything). */
export function hookMatches(hook: Pick<HookSubscription, 'actorId' | 'action' | 'entityType' | 'entityId'>, entry: StoredEntry): boolean {
  return (
    (hook.actorId === null || hook.actorId === entry.actorId) &&
    (hook.action === null || hook.action === entry.action) &&
    (hook.entityType === null || hook.entityType === entry.entityType) &&
    (hook.entityId === null || hook.entityId === entry.entityId)
  );
}
