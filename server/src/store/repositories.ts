/**
 * The storage seam. The server talks to these interfaces only; `sqlite-store.ts` implements them on `node:sqlite`,
 * and another engine can be added by implementing them again. Every method returns a promise so that an engine
 * with a network round trip (PostgreSQL) fits the same seam as the embedded one.
 */
import type { Application, ChainFailureReason, ChainLink, HookSubscription, ListQuery, StoredEntry } from '@audit-trail/sdk/contract';
import type { HashedColumns } from '../verification/row-canonical.js';

/** An organization as stored: the API secret only as a salted scrypt hash. */
export interface OrganizationRecord {
  id: string;
  name: string;
  secretSalt: Buffer;
  secretHash: Buffer;
  createdAt: string;
  /** The secret before the last rotation, accepted until `validUntil` (ISO-8601); absent or `null` when none. */
  previousSecret?: { salt: Buffer; hash: Buffer; validUntil: string } | null;
}

/** A per-application API key as stored (hash only): it authenticates for its one application. */
export interface ApplicationKeyRecord {
  /** Public part of the key (`atk_<id>_…`), used to find the record. */
  id: string;
  applicationId: string;
  organizationId: string;
  secretSalt: Buffer;
  secretHash: Buffer;
  createdAt: string;
}

/** An application as stored, with its owner. */
export interface ApplicationRecord extends Application {
  organizationId: string;
}

/** The newest link of an application's chain. */
export interface ChainHead {
  /** Sequence of the newest entry, 0 when the chain is empty. */
  sequence: number;
  /** Hash of the newest entry, the genesis hash when the chain is empty. */
  hash: string;
  /**
   * Timestamp of the newest entry, as {@link EntryRepository.head} reads it (absent when the chain is empty or
   * that row is missing): the ledger never stamps a later entry earlier than this (see {@link EntryRepository.list}).
   */
  timestamp?: string;
}

/** Organizations and their applications. */
export interface TenantRepository {
  insertOrganization(record: OrganizationRecord): Promise<void>;
  findOrganization(id: string): Promise<OrganizationRecord | undefined>;
  countOrganizations(): Promise<number>;
  insertApplication(record: ApplicationRecord): Promise<void>;
  findApplication(organizationId: string, applicationId: string): Promise<ApplicationRecord | undefined>;
  /** Oldest first. */
  listApplications(organizationId: string): Promise<ApplicationRecord[]>;
  /** Oldest first. */
  listOrganizations(): Promise<OrganizationRecord[]>;
  /**
   * Makes `next` the organization's secret; the current one becomes `previousSecret`, accepted until
   * `previousValidUntil` (replacing any earlier previous secret). `false` when there is no such organization.
   */
  rotateOrganizationSecret(id: string, next: { salt: Buffer; hash: Buffer }, previousValidUntil: string): Promise<boolean>;
  insertApplicationKey(record: ApplicationKeyRecord): Promise<void>;
  findApplicationKey(id: string): Promise<ApplicationKeyRecord | undefined>;
  /** Oldest first. */
  listApplicationKeys(applicationId: string): Promise<ApplicationKeyRecord[]>;
  /** `false` when the application has no such key. */
  deleteApplicationKey(applicationId: string, id: string): Promise<boolean>;
  /**
   * A value that changes whenever organizations, applications or keys may have changed, by this process or by any
   * other on the same database; `undefined` when the engine cannot tell, and then nothing about tenants may be
   * cached (auth/tenant-cache.ts). It must change at or before the commit of a change, never after.
   */
  changeToken(): Promise<string | undefined>;
}

/**
 * Filters of {@link EntryRepository.list}; every field narrows the result. The same filters as the list endpoint's
 * query (`from` at or after, `to` before; ISO-8601 UTC).
 */
export type EntryFilter = Pick<ListQuery, 'actorId' | 'action' | 'entityType' | 'entityId' | 'idempotencyKey' | 'from' | 'to'>;

/** Paging of {@link EntryRepository.list}. */
export interface EntryPage {
  order: 'asc' | 'desc';
  limit: number;
  /** Only entries after this sequence in `order` (exclusive). */
  afterSequence?: number;
}

/** One distinct action with its count and last use. */
export interface ActionRow {
  action: string;
  count: number;
  lastRecordedAt: string;
}

/**
 * The append-only entries of every application's chain.
 *
 * Timestamps never decrease along a chain: the ledger stamps each entry under the chain lock and clamps a clock
 * that stepped back to the head's timestamp (ledger.ts). So `from`/`to` are sequence bounds: {@link list} maps
 * them to the first sequence stamped at or after `from` and the last stamped before `to` (one indexed lookup
 * each) and runs every listing as a sequence-range scan, however many entries the chain holds.
 */
export interface EntryRepository {
  /**
   * The newest link of the chain. Inside {@link Store.transaction} it also locks the application's chain until the
   * transaction ends, so that two appends (from any number of server processes) never fork the chain.
   */
  head(applicationId: string): Promise<ChainHead>;
  /**
   * Appends an entry that already carries its sequence and hashes (call {@link moveHead} before committing). An
   * engine may hold inserts back and write them together at the next read or at {@link moveHead}, so a constraint
   * violation can surface there; either way it fails the transaction.
   */
  insert(entry: StoredEntry): Promise<void>;
  /** {@link insert} of each entry, in order, in one call (an append's entries: one await, not one per entry). */
  insertMany(entries: readonly StoredEntry[]): Promise<void>;
  /**
   * Moves the application's chain head; once per append, after its inserts, in the same transaction. It also
   * writes what those inserts change in the distinct-actions summary ({@link actions}).
   */
  moveHead(applicationId: string, head: ChainHead): Promise<void>;
  findById(applicationId: string, id: string): Promise<StoredEntry | undefined>;
  findBySequence(applicationId: string, sequence: number): Promise<StoredEntry | undefined>;
  findByIdempotencyKey(applicationId: string, key: string): Promise<StoredEntry | undefined>;
  /** The stored entries of these idempotency keys, by key (keys not used yet are absent). */
  findByIdempotencyKeys(applicationId: string, keys: readonly string[]): Promise<Map<string, StoredEntry>>;
  list(applicationId: string, filter: EntryFilter, page: EntryPage): Promise<StoredEntry[]>;
  /**
   * {@link list}, each entry as its JSON text (`JSON.stringify` of the entry {@link list} gives), written from the
   * column values without building entries (store/entry-values.ts): the list route's pages.
   */
  listJson(applicationId: string, filter: EntryFilter, page: EntryPage): Promise<string[]>;
  /** Entries with `from <= sequence <= to`, ascending, at most `limit`. */
  range(applicationId: string, fromSequence: number, toSequence: number, limit: number): Promise<StoredEntry[]>;
  /** The first entry after `sequence`, ascending. */
  nextAfter(applicationId: string, sequence: number): Promise<StoredEntry | undefined>;
  /** Distinct actions, most recently recorded first: read from a summary the appends maintain, not from the entries. */
  actions(applicationId: string, limit: number): Promise<ActionRow[]>;
  /**
   * Optional fast path of the full pass: the entries with `from <= sequence <= to`, ascending, at most `limit`,
   * handed to `visit` one by one as their stored column values (verification/row-canonical.ts hashes them without
   * building an entry). `visit` gets ONE object, refilled for every row: it must copy what it keeps. Resolves to
   * the number of rows visited. Verification falls back to {@link range} when an engine does not offer it.
   */
  visitHashedRows?(applicationId: string, fromSequence: number, toSequence: number, limit: number, visit: (row: HashedRow) => void): Promise<number>;
}

/** A row as the full pass reads it: its chain links and the stored values its standalone hash covers. */
export interface HashedRow extends ChainLink, HashedColumns {}

/** A node of an application's Merkle tree: `level` 0 are the leaves; `(level, index)` covers leaves `index * 2^level` onwards. */
export interface TreeNodeRef {
  level: number;
  index: number;
}

/**
 * A node of the Merkle tree: the root hash of one complete perfect subtree (server/src/merkle/tree.ts). Only levels
 * above 0 are stored; leaves are recomputed from their entries.
 */
export interface TreeNode extends TreeNodeRef {
  /** 32-byte SHA-256. */
  hash: Buffer;
}

/**
 * The Merkle tree of every application (server/src/merkle/tree.ts): the hash of each complete perfect subtree of
 * two leaves or more, written in the same transaction as the entries it covers. A node never changes once complete.
 */
export interface TreeRepository {
  /** The hashes of these nodes, in the same order; `undefined` for a node not stored. */
  nodes(applicationId: string, refs: readonly TreeNodeRef[]): Promise<(Buffer | undefined)[]>;
  /**
   * Stores nodes. A node already stored is overwritten: only possible after someone rewound the chain by hand,
   * and then appending must go on (clients holding a checkpoint detect the rewind, see docs/verification.md).
   */
  putNodes(applicationId: string, nodes: readonly TreeNode[]): Promise<void>;
}

/** A webhook subscription as stored, with its application and signing secret. */
export interface HookRecord extends Omit<HookSubscription, 'secret'> {
  applicationId: string;
  /** The HMAC key of the delivery signatures (needed in clear to sign; shown to the subscriber once). */
  secret: string;
}

/**
 * One pending webhook delivery: the durable queue, so deliveries survive a restart. A row exists from the moment
 * the entry is dispatched until the target accepted it, answered 410, or the retries ran out.
 */
export interface HookDeliveryRecord {
  id: string;
  hookId: string;
  applicationId: string;
  /** The tenant whose queue (and concurrency share) the delivery belongs to. */
  organizationId: string;
  entryId: string;
  /** The JSON body, exactly as it is signed and sent. */
  body: string;
  /** Attempts made so far (0 before the first). */
  attempt: number;
  /** When the next attempt is due (epoch milliseconds). */
  nextAttemptAt: number;
}

/**
 * Who works on a delivery, and until when (epoch ms): another process may take the row over once `expiresAt` has
 * passed (its holder died). See hooks/dispatcher.ts.
 */
export interface DeliveryLease {
  owner: string;
  expiresAt: number;
}

/** Webhook subscriptions and their pending deliveries. */
export interface HookRepository {
  insert(record: HookRecord): Promise<void>;
  /** Removes a subscription of the application (and its pending deliveries); `false` when there was none. */
  delete(applicationId: string, id: string): Promise<boolean>;
  listForApplication(applicationId: string): Promise<HookRecord[]>;
  /**
   * Inside {@link Store.transaction}: holds the application's subscriptions until the transaction ends, so that a
   * count followed by an insert (the per-application cap) cannot interleave with another process's. Appends are
   * not blocked by it.
   */
  lockApplicationHooks(applicationId: string): Promise<void>;
  countForApplication(applicationId: string): Promise<number>;
  findById(id: string): Promise<HookRecord | undefined>;
  /**
   * Queues deliveries (the append's transaction queues its fan-out: one commit for the entries and their
   * deliveries), held under `lease` when given, free for any process to claim otherwise.
   */
  enqueueDeliveries(records: readonly HookDeliveryRecord[], lease?: DeliveryLease): Promise<void>;
  /** Pending deliveries, oldest first, at most `limit` (tests and operators; delivery claims rows instead). */
  pendingDeliveries(limit: number): Promise<HookDeliveryRecord[]>;
  /**
   * Leases to `owner` until `leaseUntil` up to `limit` deliveries due at `now` that nobody holds (no lease, or an
   * expired one), oldest first, and returns them. Atomic across processes: a row goes to one claimer only (rows
   * another transaction is claiming are skipped, not waited for).
   */
  claimDeliveries(owner: string, now: number, leaseUntil: number, limit: number): Promise<HookDeliveryRecord[]>;
  /**
   * Extends `owner`'s lease on one delivery to `leaseUntil`, or takes it when nobody holds it; `false` when another
   * owner holds an unexpired lease or the row is gone (then `owner` must not deliver it).
   */
  renewLease(id: string, owner: string, now: number, leaseUntil: number): Promise<boolean>;
  /** Gives up every lease `owner` holds (a graceful stop), so others take the rows at once. */
  releaseLeases(owner: string): Promise<void>;
  /** How many deliveries an organization has pending (its queue bound). */
  countPendingDeliveries(organizationId: string): Promise<number>;
  /** Records a failed attempt and when to try again; `owner` keeps the row until `leaseUntil`. */
  rescheduleDelivery(id: string, attempt: number, nextAttemptAt: number, owner: string, leaseUntil: number): Promise<void>;
  /** Removes a delivery that succeeded or was given up. */
  completeDelivery(id: string): Promise<void>;
}

/**
 * How far an application's chain is known to verify: every entry up to `sequence` was checked (breaks found on the
 * way are kept apart, in {@link IntegrityBreakRecord}s), and the next check starts after it, anchored on `hash`. So
 * a check costs the new entries, not the whole trail.
 */
export interface VerifiedWatermark {
  /** Entries `1..sequence` have been checked; 0 before the first check. */
  sequence: number;
  /** The stored hash of entry `sequence` (the genesis hash for 0): the anchor of the next check. */
  hash: string;
  /** The hash version of entry `sequence` (a chain never goes back to an older recipe). */
  hashVersion: number;
  /** The Merkle root at `sequence`, once the tree is kept; `null` until then. */
  root: string | null;
  /** When a full pass over the whole chain last finished (ISO-8601), `null` if never. */
  lastFullPassAt: string | null;
}

/** A break found by verification, kept until someone looks: the integrity alert reports each one once. */
export interface IntegrityBreakRecord {
  sequence: number;
  /** `null` for `entries_missing`. */
  entryId: string | null;
  reason: ChainFailureReason;
  /** When it was first found (ISO-8601). */
  detectedAt: string;
}

/** The verification state of every application: its watermark and the breaks found. */
export interface VerificationRepository {
  /** The watermark, or `undefined` before the first check. */
  watermark(applicationId: string): Promise<VerifiedWatermark | undefined>;
  saveWatermark(applicationId: string, watermark: VerifiedWatermark): Promise<void>;
  /** Records breaks; one already recorded (same sequence and reason) keeps its first `detectedAt`. */
  recordBreaks(applicationId: string, breaks: readonly IntegrityBreakRecord[]): Promise<void>;
  /** Recorded breaks, newest position first, at most `limit`. */
  breaks(applicationId: string, limit: number): Promise<IntegrityBreakRecord[]>;
}

/** The repositories, as one unit of work sees them. */
export interface Repositories {
  tenants: TenantRepository;
  entries: EntryRepository;
  tree: TreeRepository;
  hooks: HookRepository;
  verification: VerificationRepository;
}

/**
 * How a verification worker thread opens its OWN read connection to the same data (so a full pass never runs on
 * the server's event loop or its connection). Each engine names itself; `verification/worker-readers.ts` maps the
 * name to an opener. SQLite: the database file. PostgreSQL: a connection string for a pool of its own.
 */
export type ReaderSource = { engine: 'sqlite'; path: string } | { engine: 'postgres'; connectionString: string };

/**
 * Deployment-wide settings kept in the database, for engines that several server processes share (PostgreSQL):
 * today the checkpoint signing key when none is configured (merkle/signing-key.ts).
 */
export interface SettingsRepository {
  /**
   * Stores `value` under `name` unless a value is stored already, and returns the stored one: the first caller
   * wins, every caller (in any process) gets the same answer.
   */
  keepFirst(name: string, value: string): Promise<string>;
}

/** Everything the server stores. */
export interface Store extends Repositories {
  /** Present when several processes may share the store (PostgreSQL); absent on the embedded SQLite file. */
  settings?: SettingsRepository;
  /**
   * Runs `work` atomically on the repositories it is given: all its writes are kept, or none. `work` must do
   * nothing but store calls (no network), so that it holds the application's chain only briefly.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Where the data lives (a file path), for logs and tests. */
  location: string;
  /** How a verification worker opens its own read connection to this store. */
  readerSource: ReaderSource;
  close(): Promise<void>;
}
