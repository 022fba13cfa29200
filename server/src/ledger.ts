/**
 * Appending to an application's chain. Every entry of one call is chained and stored in ONE transaction, the
 * head read once. An idempotency key already stored (or repeated earlier in the same call) yields the stored
 * entry when the caller's entry is the same (contract `sameCallerEntry`), and an `idempotency_conflict` when it
 * is not. The hash recipe is sdk/chain.ts, the very code SDK users verify with.
 */
import { entryFields, type Entry, type Receipt, type StoredEntry } from '@audit-trail/sdk/contract';
import { HASH_VERSION, chainHash, sameCallerEntry, standaloneHash } from '@audit-trail/sdk/contract';
import { uuidv7 } from '@audit-trail/sdk/contract';
import type { ValidationIssue } from '@audit-trail/sdk/contract';
import type { Store } from './store/repositories.js';

/** What happened to one entry of an append. */
export type AppendOutcome =
  | { status: 'stored' | 'duplicate'; entry: StoredEntry }
  | { status: 'rejected'; issue: ValidationIssue };

/** The receipt of a stored entry. */
export function receiptOf(entry: StoredEntry): Receipt {
  return {
    logEntryId: entry.id,
    sequence: entry.sequence,
    hash: entry.hash,
    previousHash: entry.previousHash,
    standaloneHash: entry.standaloneHash,
    timestamp: entry.timestamp,
  };
}

/** The receipt of an idempotent replay: the stored receipt and the stored entry (never the caller's copy). */
export function replayReceiptOf(entry: StoredEntry): Receipt {
  return { ...receiptOf(entry), entry };
}

const isIssue = (item: Entry | ValidationIssue): item is ValidationIssue => 'code' in item && 'field' in item && !('actorId' in item);

const conflict = (key: string): ValidationIssue => ({
  code: 'idempotency_conflict',
  field: 'idempotencyKey',
  message: `idempotencyKey ${JSON.stringify(key)} is already used by a different entry; use a new key for a new entry`,
});

/**
 * Appends validated entries (issues pass through as `rejected`) to the chain of `applicationId`, in order.
 * `now` is injectable for tests.
 */
export function appendEntries(
  store: Store,
  applicationId: string,
  items: readonly (Entry | ValidationIssue)[],
  now: () => Date = () => new Date(),
): Promise<AppendOutcome[]> {
  return store.transaction(async ({ entries: repository }) => {
    let head = await repository.head(applicationId);
    const seenKeys = new Map<string, StoredEntry>();
    const appendOne = async (item: Entry | ValidationIssue): Promise<AppendOutcome> => {
      if (isIssue(item)) return { status: 'rejected', issue: item };
      const key = item.idempotencyKey;
      const callerFields = entryFields(item);
      if (key !== undefined) {
        const original = seenKeys.get(key) ?? (await repository.findByIdempotencyKey(applicationId, key));
        if (original) {
          return sameCallerEntry(original, callerFields) ? { status: 'duplicate', entry: original } : { status: 'rejected', issue: conflict(key) };
        }
      }
      const sequence = head.sequence + 1;
      // Version 2 hashes every field a user can read or search by, the idempotency key and sequence included.
      const fields = { id: uuidv7(), applicationId, timestamp: now().toISOString(), ...callerFields, sequence, hashVersion: HASH_VERSION };
      const standalone = standaloneHash(fields);
      const entry: StoredEntry = {
        ...fields,
        previousHash: head.hash,
        hash: chainHash(sequence, head.hash, standalone, HASH_VERSION),
        standaloneHash: standalone,
      };
      await repository.insert(entry);
      if (key !== undefined) seenKeys.set(key, entry);
      head = { sequence, hash: entry.hash };
      return { status: 'stored', entry };
    };
    const outcomes: AppendOutcome[] = [];
    for (const item of items) outcomes.push(await appendOne(item));
    // Once per append, not per entry: the head row is the one page every append would otherwise rewrite.
    await repository.moveHead(applicationId, head);
    return outcomes;
  });
}
