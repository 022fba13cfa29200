/**
 * Appending to an application's chain and Merkle tree. Every entry of one call is chained, added to the tree and
 * stored in ONE transaction, the head and the tree's frontier read once. An idempotency key already stored (or
 * repeated earlier in the same call) yields the stored entry when the caller's entry is the same (contract
 * `sameCallerEntry`), and an `idempotency_conflict` when it is not. The hash recipes are sdk/contract (chain.ts,
 * merkle.ts), the very code SDK users verify with.
 */
import { entryFields, type Entry, type Receipt, type StoredEntry } from '@audit-trail/sdk/contract';
import { HASH_VERSION, chainHash, hashesOfCanonical, sameCallerEntry } from '@audit-trail/sdk/contract';
import { uuidv7 } from '@audit-trail/sdk/contract';
import type { ValidationIssue } from '@audit-trail/sdk/contract';
import type { Repositories, Store } from './store/repositories.js';
import { openTree, type TreeHead } from './merkle/tree-store.js';
import { TreeAppender, storedNodes } from './merkle/tree.js';
import type { SignedTreeHead } from './merkle/checkpoints.js';
import { canonicalFromEntry } from './verification/row-canonical.js';
import type { FrontierCache } from './merkle/frontier-cache.js';

/** What happened to one entry of an append. */
export type AppendOutcome =
  | { status: 'stored' | 'duplicate'; entry: StoredEntry }
  | { status: 'rejected'; issue: ValidationIssue };

/** What an append did: one outcome per item, and the tree head after it (covering every stored or duplicate entry). */
export interface AppendResult {
  outcomes: AppendOutcome[];
  treeHead: TreeHead;
}

/** The receipt of a stored entry, with a signed checkpoint of a tree that covers it. */
export function receiptOf(entry: StoredEntry, checkpoint: SignedTreeHead): Receipt {
  return {
    logEntryId: entry.id,
    sequence: entry.sequence,
    hash: entry.hash,
    previousHash: entry.previousHash,
    standaloneHash: entry.standaloneHash,
    timestamp: entry.timestamp,
    treeSize: checkpoint.treeSize,
    checkpoint: checkpoint.checkpoint,
  };
}

/** The receipt of an idempotent replay: the stored receipt and the stored entry (never the caller's copy). */
export function replayReceiptOf(entry: StoredEntry, checkpoint: SignedTreeHead): Receipt {
  return { ...receiptOf(entry, checkpoint), entry };
}

const isIssue = (item: Entry | ValidationIssue): item is ValidationIssue => 'code' in item && 'field' in item && !('actorId' in item);

const conflict = (key: string): ValidationIssue => ({
  code: 'idempotency_conflict',
  field: 'idempotencyKey',
  message: `idempotencyKey ${JSON.stringify(key)} is already used by a different entry; use a new key for a new entry`,
});

/**
 * Work done inside an append's transaction with the entries it stored (not the duplicates): whatever it writes
 * commits with them or not at all. The server queues webhook deliveries here, so that an acknowledged entry always
 * has its deliveries queued (a crash cannot fall between the two).
 */
export type WithinAppend = (tx: Repositories, stored: readonly StoredEntry[]) => Promise<void>;

/**
 * Appends validated entries (issues pass through as `rejected`) to the chain of `applicationId`, in order.
 * `now` is injectable for tests. `merkleTree: false` leaves the tree out: only for the bench's chain-alone
 * baseline (bench/suites/merkle.ts), never in the server, whose tree would then miss these entries for good.
 * `withinAppend` runs last, in the same transaction. `frontiers` (the server's, see merkle/frontier-cache.ts) spares
 * reading the tree's frontier when this process committed the chain head it finds.
 */
export function appendEntries(
  store: Store,
  applicationId: string,
  items: readonly (Entry | ValidationIssue)[],
  now: () => Date = () => new Date(),
  merkleTree = true,
  withinAppend?: WithinAppend,
  frontiers?: FrontierCache,
): Promise<AppendResult> {
  let committedTree: TreeAppender | undefined;
  let committedHash = '';
  const appended = store.transaction(async (tx) => {
    const repository = tx.entries;
    let head = await repository.head(applicationId);
    // Leaf i of the tree is the entry with sequence i + 1, so the tree's size is the chain head's sequence.
    const tree = merkleTree
      ? (frontiers?.open(applicationId, head) ?? (await openTree(tx, applicationId, head.sequence)))
      : new TreeAppender(head.sequence, []);
    // Every key of the call looked up at once (one round trip on a networked engine); the chain lock taken by
    // head() keeps the answer true until commit. Entries stored earlier in this call join the map as they go.
    const keys = items.flatMap((item) => (!isIssue(item) && item.idempotencyKey !== undefined ? [item.idempotencyKey] : []));
    const seenKeys = keys.length > 0 ? await repository.findByIdempotencyKeys(applicationId, keys) : new Map<string, StoredEntry>();
    // Stored entries are chained and hashed first, then written with one call (no await per entry).
    const toStore: StoredEntry[] = [];
    const appendOne = (item: Entry | ValidationIssue): AppendOutcome => {
      if (isIssue(item)) return { status: 'rejected', issue: item };
      const key = item.idempotencyKey;
      const callerFields = entryFields(item);
      if (key !== undefined) {
        const original = seenKeys.get(key);
        if (original) {
          return sameCallerEntry(original, callerFields) ? { status: 'duplicate', entry: original } : { status: 'rejected', issue: conflict(key) };
        }
      }
      const sequence = head.sequence + 1;
      // Never earlier than the entry before it (a clock stepped back, another server process's clock behind ours):
      // time filters are sequence bounds (EntryRepository.list), which needs timestamps that never decrease.
      const clock = now().toISOString();
      const timestamp = head.timestamp !== undefined && clock < head.timestamp ? head.timestamp : clock;
      // One object literal with every field, its hashes filled in below: a spread into a literal with more
      // properties made V8 build a slow (dictionary) object per entry, slower to read at every later step.
      const entry: StoredEntry = {
        id: uuidv7(),
        applicationId,
        sequence,
        timestamp,
        actorId: callerFields.actorId,
        action: callerFields.action,
        details: callerFields.details,
        actorDisplayName: callerFields.actorDisplayName,
        actorRoles: callerFields.actorRoles,
        entityType: callerFields.entityType,
        entityId: callerFields.entityId,
        occurredAt: callerFields.occurredAt,
        ip: callerFields.ip,
        idempotencyKey: callerFields.idempotencyKey,
        previousHash: head.hash,
        hash: '',
        standaloneHash: '',
        // Version 2 hashes every field a user can read or search by, the idempotency key and sequence included.
        hashVersion: HASH_VERSION,
      };
      // One canonical serialisation for the chain's standalone hash and the tree's leaf hash, written by the
      // full pass's writer specialised to the hashed fields (byte for byte the contract's canonicalEntry).
      const { standaloneHash: standalone, leafHash } = hashesOfCanonical(canonicalFromEntry(entry));
      entry.standaloneHash = standalone;
      entry.hash = chainHash(sequence, head.hash, standalone, HASH_VERSION);
      toStore.push(entry);
      if (merkleTree) tree.append(leafHash);
      if (key !== undefined) seenKeys.set(key, entry);
      head = { sequence, hash: entry.hash, timestamp };
      return { status: 'stored', entry };
    };
    const outcomes: AppendOutcome[] = [];
    for (const item of items) outcomes.push(appendOne(item));
    if (toStore.length > 0) await repository.insertMany(toStore);
    // Once per append, not per entry: the head row is the one page every append would otherwise rewrite.
    await repository.moveHead(applicationId, head);
    if (merkleTree) await tx.tree.putNodes(applicationId, storedNodes(tree.written));
    if (withinAppend && toStore.length > 0) await withinAppend(tx, toStore);
    if (!merkleTree) return { outcomes, treeHead: { size: head.sequence, root: tree.root() } };
    committedTree = tree;
    committedHash = head.hash;
    return { outcomes, treeHead: { size: tree.size, root: tree.root() } };
  });
  if (!frontiers || !merkleTree) return appended;
  // Remembered only once the transaction committed; after a failure nothing is assumed about what is stored.
  return appended.then(
    (result) => {
      if (committedTree) frontiers.remember(applicationId, committedHash, committedTree);
      return result;
    },
    (error: unknown) => {
      frontiers.forget(applicationId);
      throw error;
    },
  );
}
