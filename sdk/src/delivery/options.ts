/**
 * Options of the delivery pipeline (`enqueue` → batches → retries → receipts): what a caller may pass, the
 * defaults, and the one pass that checks and completes them.
 *
 * @packageDocumentation
 */
import { LIMITS } from '../contract/limits.js';
import type { Entry } from '../contract/schemas.js';

/** What `enqueue` does when the queue already holds `maxQueuedEntries` entries or `maxQueuedBytes` bytes. */
export type OverflowPolicy = 'block' | 'drop' | 'throw';

/**
 * When the spool calls `fsync`:
 * - `always`: after every append, before `enqueue` returns. Survives a power loss; costs a disk flush per entry.
 * - `batch`: before each batch is sent and at least every `fsyncIntervalMs`. A power loss may lose the last interval.
 * - `never`: left to the operating system.
 *
 * With all three, an entry is written to the file (`write(2)`) before `enqueue` returns, so it survives the
 * process being killed (SIGKILL, OOM killer, crash): only a power loss or kernel crash can lose unsynced data.
 */
export type FsyncPolicy = 'always' | 'batch' | 'never';

/** The durable spool: a directory where each accepted entry waits until the service has given its receipt. */
export interface SpoolOptions {
  /**
   * The directory (created if missing). One client at a time: a lock file (exclusive create, naming host and pid)
   * refuses a second live client, also one in another container sharing the volume.
   */
  dir: string;
  /**
   * How long a lock held by another host may go without its owner's refresh (every third of this) before it is
   * taken as stale, in milliseconds. A lock of a dead process on this host is stale at once.
   * @default 30000
   */
  staleLockMs?: number;
  /**
   * When the spool file is flushed to disk; see {@link FsyncPolicy}.
   * @default 'batch'
   */
  fsync?: FsyncPolicy;
  /**
   * With `fsync: 'batch'`, the longest time an appended entry stays unsynced, in milliseconds.
   * @default 1000
   */
  fsyncIntervalMs?: number;
}

/** Backoff of retried batches: full jitter, `random(0, min(maxDelayMs, baseDelayMs * 2 ** attempt))`. */
export interface RetryOptions {
  /**
   * Delay scale of the first retry, in milliseconds.
   * @default 200
   */
  baseDelayMs?: number;
  /**
   * Cap of the exponential backoff, in milliseconds.
   * @default 30000
   */
  maxDelayMs?: number;
  /**
   * Cap of a server's `Retry-After` (which is otherwise honoured as a minimum), in milliseconds.
   * @default 60000
   */
  maxRetryAfterMs?: number;
}

/**
 * A redaction hook, run by `enqueue` before the entry is serialised. It receives a frozen copy and returns the
 * entry to send (a new object). The idempotency key is read-only: whatever the hook returns, the key minted (or
 * given) at enqueue is put back. The result is validated again.
 */
export type BeforeSendHook = (entry: Readonly<Entry>) => Entry;

/** Options of the delivery pipeline (`client.enqueue`). Every field is optional. */
export interface DeliveryOptions {
  /**
   * Most entries in one `POST /api/log/batch`; by default the service's limit, because fewer, larger requests cost
   * the host less CPU per entry (`npm run bench -- overhead`).
   * @default 500
   */
  maxBatchEntries?: number;
  /**
   * Most bytes in one batch body (counted with `Buffer.byteLength` on the exact body). An entry larger than this
   * is sent alone.
   * @default 524288 (512 KiB)
   */
  maxBatchBytes?: number;
  /**
   * Longest time an entry waits for its batch to fill before it is sent anyway, in milliseconds.
   * @default 200
   */
  flushIntervalMs?: number;
  /**
   * Most batch requests in flight (or waiting to be retried) at once.
   * @default 4
   */
  maxConcurrentRequests?: number;
  /**
   * Deadline of each batch request, in milliseconds; a timed-out batch is retried (the idempotency keys make
   * that safe).
   * @default 10000
   */
  requestTimeoutMs?: number;
  /**
   * Most entries held in memory (queued, in flight and waiting to be retried).
   * @default 100000
   */
  maxQueuedEntries?: number;
  /**
   * Most serialised bytes held in memory.
   * @default 67108864 (64 MiB)
   */
  maxQueuedBytes?: number;
  /**
   * What `enqueue` does when memory is full: `block` returns a promise that resolves once the entry is accepted
   * (entries are accepted in call order); `drop` discards the new entry with a counted `dropped` event; `throw`
   * throws a `QueueFullError`. Nothing is ever dropped silently.
   * @default 'block'
   */
  whenFull?: OverflowPolicy;
  /** Backoff of retried batches. */
  retry?: RetryOptions;
  /**
   * Total time an entry may spend being retried, from enqueue, in milliseconds; then it goes to the `failed`
   * event with reason `budget_exhausted`. With a spool the default is unlimited: the spool exists to ride out
   * long outages, and `close({ timeoutMs })` leaves what is unsent on disk.
   * @default 900000 (15 min) without a spool, `Infinity` with one
   */
  entryBudgetMs?: number;
  /** A durable spool: a directory, or its options. Entries in it are restored and sent on start. */
  spool?: SpoolOptions | string;
  /** Redaction hooks, run in order at enqueue. */
  beforeSend?: BeforeSendHook | readonly BeforeSendHook[];
}

/** {@link DeliveryOptions} after {@link normalizeDeliveryOptions}. */
export interface NormalizedDeliveryOptions {
  maxBatchEntries: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  maxConcurrentRequests: number;
  requestTimeoutMs: number;
  maxQueuedEntries: number;
  maxQueuedBytes: number;
  whenFull: OverflowPolicy;
  retry: Required<RetryOptions>;
  entryBudgetMs: number;
  spool: Required<SpoolOptions> | undefined;
  beforeSend: readonly BeforeSendHook[];
}

/** Default values of {@link DeliveryOptions}. */
export const DELIVERY_DEFAULTS = {
  maxBatchEntries: 500,
  maxBatchBytes: 512 * 1024,
  flushIntervalMs: 200,
  maxConcurrentRequests: 4,
  requestTimeoutMs: 10_000,
  maxQueuedEntries: 100_000,
  maxQueuedBytes: 64 * 1024 * 1024,
  whenFull: 'block',
  retry: { baseDelayMs: 200, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 },
  entryBudgetMs: 15 * 60 * 1000,
  fsync: 'batch',
  fsyncIntervalMs: 1000,
  staleLockMs: 30_000,
} as const;

/** Every option key, so a typo is refused; a new option that is not listed here fails to compile. */
const OPTION_KEYS = {
  maxBatchEntries: true,
  maxBatchBytes: true,
  flushIntervalMs: true,
  maxConcurrentRequests: true,
  requestTimeoutMs: true,
  maxQueuedEntries: true,
  maxQueuedBytes: true,
  whenFull: true,
  retry: true,
  entryBudgetMs: true,
  spool: true,
  beforeSend: true,
} as const satisfies { [K in keyof DeliveryOptions]-?: true };

const MAX_TIMER_MS = 2 ** 31 - 1;

const fail = (option: string, problem: string): never => {
  throw new TypeError(`Delivery option "${option}" ${problem}`);
};

function integer(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return fail(name, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    return fail(name, `must be one of ${allowed.map((item) => `'${item}'`).join(', ')}`);
  }
  return value as T;
}

function normalizeSpool(value: DeliveryOptions['spool']): Required<SpoolOptions> | undefined {
  if (value === undefined) return undefined;
  const spool: SpoolOptions = typeof value === 'string' ? { dir: value } : value;
  if (typeof spool !== 'object' || spool === null || typeof spool.dir !== 'string' || spool.dir === '') {
    return fail('spool', 'must be a directory path or { dir, fsync?, fsyncIntervalMs?, staleLockMs? }');
  }
  return {
    dir: spool.dir,
    fsync: oneOf(spool.fsync, 'spool.fsync', ['always', 'batch', 'never'], DELIVERY_DEFAULTS.fsync),
    fsyncIntervalMs: integer(spool.fsyncIntervalMs, 'spool.fsyncIntervalMs', 1, MAX_TIMER_MS, DELIVERY_DEFAULTS.fsyncIntervalMs),
    staleLockMs: integer(spool.staleLockMs, 'spool.staleLockMs', 3, MAX_TIMER_MS, DELIVERY_DEFAULTS.staleLockMs),
  };
}

function normalizeHooks(value: DeliveryOptions['beforeSend']): readonly BeforeSendHook[] {
  if (value === undefined) return [];
  const hooks = typeof value === 'function' ? [value] : value;
  if (!Array.isArray(hooks) || hooks.some((hook) => typeof hook !== 'function')) {
    return fail('beforeSend', 'must be a function or an array of functions');
  }
  return Object.freeze([...hooks]);
}

/** Checks the options and fills in the defaults, in one pass. Throws a `TypeError` naming the option at fault. */
export function normalizeDeliveryOptions(options: DeliveryOptions = {}): NormalizedDeliveryOptions {
  if (typeof options !== 'object' || options === null) fail('delivery', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(OPTION_KEYS, key)) fail(key, 'is not a known option');
  }
  const retry = options.retry ?? {};
  const spool = normalizeSpool(options.spool);
  const budget = options.entryBudgetMs;
  if (budget !== undefined && (typeof budget !== 'number' || Number.isNaN(budget) || budget < 1)) {
    fail('entryBudgetMs', 'must be a positive number of milliseconds (Infinity for no limit)');
  }
  const d = DELIVERY_DEFAULTS;
  return {
    maxBatchEntries: integer(options.maxBatchEntries, 'maxBatchEntries', 1, LIMITS.batchEntries, d.maxBatchEntries),
    maxBatchBytes: integer(options.maxBatchBytes, 'maxBatchBytes', 1024, LIMITS.bodyBytes, d.maxBatchBytes),
    flushIntervalMs: integer(options.flushIntervalMs, 'flushIntervalMs', 0, MAX_TIMER_MS, d.flushIntervalMs),
    maxConcurrentRequests: integer(options.maxConcurrentRequests, 'maxConcurrentRequests', 1, 256, d.maxConcurrentRequests),
    requestTimeoutMs: integer(options.requestTimeoutMs, 'requestTimeoutMs', 1, MAX_TIMER_MS, d.requestTimeoutMs),
    maxQueuedEntries: integer(options.maxQueuedEntries, 'maxQueuedEntries', 1, 100_000_000, d.maxQueuedEntries),
    maxQueuedBytes: integer(options.maxQueuedBytes, 'maxQueuedBytes', 1024, Number.MAX_SAFE_INTEGER, d.maxQueuedBytes),
    whenFull: oneOf(options.whenFull, 'whenFull', ['block', 'drop', 'throw'], d.whenFull),
    retry: {
      baseDelayMs: integer(retry.baseDelayMs, 'retry.baseDelayMs', 0, MAX_TIMER_MS, d.retry.baseDelayMs),
      maxDelayMs: integer(retry.maxDelayMs, 'retry.maxDelayMs', 0, MAX_TIMER_MS, d.retry.maxDelayMs),
      maxRetryAfterMs: integer(retry.maxRetryAfterMs, 'retry.maxRetryAfterMs', 0, MAX_TIMER_MS, d.retry.maxRetryAfterMs),
    },
    entryBudgetMs: budget ?? (spool ? Number.POSITIVE_INFINITY : d.entryBudgetMs),
    spool,
    beforeSend: normalizeHooks(options.beforeSend),
  };
}
