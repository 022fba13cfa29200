/**
 * The storage seam. The server talks to these interfaces only; `sqlite-store.ts` implements them on `node:sqlite`,
 * and another engine can be added by implementing them again. Methods are synchronous because the embedded engine
 * is; an engine with a network round trip would wrap the ledger in an async variant.
 */
import type { Application, HookSubscription, ListQuery, StoredEntry } from '@audit-trail/sdk/contract';

/** An organization as stored: the API secret only as a salted scrypt hash. */
export interface OrganizationRecord {
  id: string;
  name: string;
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
}

/** Organizations and their applications. */
export interface TenantRepository {
  insertOrganization(record: OrganizationRecord): void;
  findOrganization(id: string): OrganizationRecord | undefined;
  countOrganizations(): number;
  insertApplication(record: ApplicationRecord): void;
  findApplication(organizationId: string, applicationId: string): ApplicationRecord | undefined;
  /** Oldest first. */
  listApplications(organizationId: string): ApplicationRecord[];
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

/** The append-only entries of every application's chain. */
export interface EntryRepository {
  /** Runs `work` atomically: all its inserts are kept, or none. */
  transaction<T>(work: () => T): T;
  head(applicationId: string): ChainHead;
  /** Appends an entry that already carries its sequence and hashes (call {@link moveHead} before committing). */
  insert(entry: StoredEntry): void;
  /** Moves the application's chain head; once per append, after its inserts, in the same transaction. */
  moveHead(applicationId: string, head: ChainHead): void;
  findById(applicationId: string, id: string): StoredEntry | undefined;
  findBySequence(applicationId: string, sequence: number): StoredEntry | undefined;
  findByIdempotencyKey(applicationId: string, key: string): StoredEntry | undefined;
  list(applicationId: string, filter: EntryFilter, page: EntryPage): StoredEntry[];
  /** Entries with `from <= sequence <= to`, ascending, at most `limit`. */
  range(applicationId: string, fromSequence: number, toSequence: number, limit: number): StoredEntry[];
  /** The first entry after `sequence`, ascending. */
  nextAfter(applicationId: string, sequence: number): StoredEntry | undefined;
  /** Distinct actions, most recently recorded first. */
  actions(applicationId: string, limit: number): ActionRow[];
}

/** A webhook subscription as stored, with its application. */
export interface HookRecord extends HookSubscription {
  applicationId: string;
}

/** Webhook subscriptions. */
export interface HookRepository {
  insert(record: HookRecord): void;
  /** Removes a subscription of the application; `false` when there was none. */
  delete(applicationId: string, id: string): boolean;
  listForApplication(applicationId: string): HookRecord[];
}

/** Everything the server stores. */
export interface Store {
  tenants: TenantRepository;
  entries: EntryRepository;
  hooks: HookRepository;
  /** Where the data lives (a file path), for logs and tests. */
  location: string;
  close(): void;
}
