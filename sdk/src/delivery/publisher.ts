/**
 * The delivery pipeline: an in-memory queue (optionally mirrored by a spool), a batch timer, a few send lanes,
 * flush and close. Limits live in batch.ts, the retry policy in retry-policy.ts, the reply reading in
 * send-batch.ts and the settling of results in this file's `#settle*` methods.
 */
import type { BatchResult, BatchSummary } from '../contract/schemas.js';
import type { Transport } from '../transport/transport.js';
import type { Batch, BatchLimits, QueuedEntry } from './batch.js';
import { EntryArena, slotText } from './entry-arena.js';
import { EntryQueue } from './entry-queue.js';
import { ClientClosedError, QueueFullError } from './errors.js';
import {
  DeliveryEmitter,
  EMPTY_STATS,
  entryOf,
  type DeliveredEntry,
  type DeliveryEventName,
  type DeliveryListener,
  type DeliveryStats,
  type FailedEntry,
  type FailureReason,
  type UndeliveredEntry,
} from './events.js';
import type { NormalizedDeliveryOptions } from './options.js';
import { prepareEntry, type PreparedEntry } from './prepare-entry.js';
import { retryDelayMs } from './retry-policy.js';
import { sendBatch } from './send-batch.js';
import { failedEntry, failure, retryingPayload, type Cause, type Settlement } from './settlement.js';
import { Spool } from './spool.js';

/** Options of `close()`. */
export interface CloseOptions {
  /**
   * Longest wait for the queue to drain, in milliseconds; then requests in flight are aborted.
   * @default 30000
   */
  timeoutMs?: number;
}

/** What `close()` achieved. */
export interface CloseResult {
  /** `true` when every accepted entry was settled (delivered or failed) before the timeout. */
  drained: boolean;
  /**
   * The accepted entries not confirmed by the service (empty when `drained`). An entry in flight when the
   * timeout hit may have been stored; sending it again later is safe (same idempotency key).
   */
  undelivered: UndeliveredEntry[];
  /**
   * The entries given up on during the client's life (the `failed` events' entries; the first 10,000 are
   * kept), so that a script that only awaits `close()` still learns of them.
   */
  failed: FailedEntry[];
  /** `true` when those entries remain in the spool and will be sent by the next client that opens it. */
  keptInSpool: boolean;
}

/** What the publisher needs from its owner. */
export interface PublisherDeps {
  /** Sends the batches (the client's keep-alive transport). */
  transport: Transport;
  /** Normalised delivery options. */
  options: NormalizedDeliveryOptions;
  /** Uniform random numbers in [0, 1), for jitter. @default Math.random */
  random?: () => number;
  /** Reports failed entries when nobody listens to `failed`. @default process.emitWarning */
  warn?: (message: string) => void;
}

interface Waiter {
  prepared: PreparedEntry;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface FlushWaiter {
  target: number;
  promise: Promise<void>;
  resolve: () => void;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;
/** Failed entries kept for `close()`: enough for any sane failure, bounded so a long outage cannot eat memory. */
const MAX_KEPT_FAILED = 10_000;

/** Queues, batches, sends, retries and settles entries. One per client, created on first use. */
export class Publisher {
  readonly #transport: Transport;
  readonly #options: NormalizedDeliveryOptions;
  readonly #limits: BatchLimits;
  readonly #random: () => number;
  readonly #warn: (message: string) => void;
  readonly #failed: FailedEntry[] = [];
  readonly #events = new DeliveryEmitter();
  readonly #spool: Spool | undefined;
  readonly #stats: DeliveryStats = { ...EMPTY_STATS };
  readonly #queue = new EntryQueue();
  readonly #arena = new EntryArena();
  #seq = 0;
  #lanes = 0;
  readonly #inFlight = new Set<Batch>();
  readonly #waiters: Waiter[] = [];
  readonly #flushes: FlushWaiter[] = [];
  readonly #sleeps = new Set<() => void>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #due = false;
  #kicked = false;
  #closing: Promise<CloseResult> | undefined;
  #stopped = false;
  #idle: (() => void) | undefined;

  /** Opens the spool (if configured) and starts sending what it holds. */
  constructor(deps: PublisherDeps) {
    this.#transport = deps.transport;
    this.#options = deps.options;
    this.#random = deps.random ?? Math.random;
    this.#warn = deps.warn ?? ((message) => process.emitWarning(message, { code: 'AUDIT_TRAIL_DELIVERY_FAILED' }));
    this.#limits = { maxEntries: this.#options.maxBatchEntries, maxBytes: this.#options.maxBatchBytes };
    if (this.#options.spool) {
      const { spool, restored } = Spool.open(this.#options.spool);
      this.#spool = spool;
      const now = Date.now();
      for (const { key, json, segment } of restored) {
        const { chunk, start, bytes } = this.#arena.write(json);
        this.#push({ key, chunk, start, bytes, seq: ++this.#seq, acceptedAt: now, segment });
      }
      this.#stats.restored = restored.length;
      if (restored.length > 0) {
        this.#due = true;
        this.#schedule();
      }
    }
  }

  /** Counters (a snapshot). */
  get stats(): DeliveryStats {
    return { ...this.#stats, blocked: this.#waiters.length };
  }

  /** Adds a listener. */
  on<K extends DeliveryEventName>(name: K, listener: DeliveryListener<K>): void {
    this.#events.on(name, listener);
  }

  /** Removes a listener. */
  off<K extends DeliveryEventName>(name: K, listener: DeliveryListener<K>): void {
    this.#events.off(name, listener);
  }

  /**
   * Validates, keys and queues an entry. Returns `undefined` once accepted; only with `whenFull: 'block'` and a
   * full queue does it return a promise, resolved when the entry is accepted (in call order).
   */
  enqueue(value: unknown): void | Promise<void> {
    if (this.#closing) throw new ClientClosedError('enqueue failed: the client is closed', { operation: 'enqueue' });
    const prepared = prepareEntry(value, this.#options.beforeSend, this.#arena);
    if (this.#waiters.length === 0 && this.#hasRoom(prepared.bytes)) {
      this.#accept(prepared, prepared.at);
      return undefined;
    }
    return this.#overflow(prepared);
  }

  /**
   * Resolves once every entry accepted before the call (and those waiting for room then) is settled: delivered
   * or failed. Concurrent calls with nothing new in between share one promise.
   */
  flush(): Promise<void> {
    const target = this.#seq + this.#waiters.length;
    if (this.#lowestUnsettled() > target) return Promise.resolve();
    const joined = this.#flushes.find((flush) => flush.target === target);
    if (joined) return joined.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((done) => (resolve = done));
    this.#flushes.push({ target, promise, resolve });
    this.#schedule();
    return promise;
  }

  /**
   * Refuses new entries, drains, and on timeout aborts what is in flight. Never rejects: the result says what
   * was not delivered (and whether it stays in the spool).
   */
  close(options: CloseOptions = {}): Promise<CloseResult> {
    this.#closing ??= this.#close(options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
    return this.#closing;
  }

  async #close(timeoutMs: number): Promise<CloseResult> {
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      this.flush().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!drained) await this.#stop();
    if (this.#timer) clearTimeout(this.#timer);
    const undelivered = this.#unsettled().map((entry) => ({ idempotencyKey: entry.key, entry: entryOf(slotText(entry)) }));
    for (const waiter of this.#waiters.splice(0)) {
      waiter.reject(new ClientClosedError('enqueue failed: the client closed before there was room', { operation: 'enqueue' }));
    }
    this.#spool?.close();
    return { drained, undelivered, failed: [...this.#failed], keptInSpool: this.#spool !== undefined && undelivered.length > 0 };
  }

  async #stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    for (const wake of this.#sleeps) wake();
    if (this.#lanes > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
  }

  #hasRoom(bytes: number): boolean {
    const { pending, pendingBytes } = this.#stats;
    // An empty queue takes anything, so one entry larger than the byte bound cannot wait forever.
    if (pending === 0) return true;
    return pending < this.#options.maxQueuedEntries && pendingBytes + bytes <= this.#options.maxQueuedBytes;
  }

  #overflow(prepared: PreparedEntry): void | Promise<void> {
    const { whenFull, maxQueuedEntries, maxQueuedBytes } = this.#options;
    if (whenFull === 'throw') {
      this.#arena.unwrite(prepared);
      throw new QueueFullError(
        `enqueue failed: the queue is full (${maxQueuedEntries} entries or ${maxQueuedBytes} bytes held)`,
        { operation: 'enqueue' },
      );
    }
    if (whenFull === 'drop') {
      this.#stats.dropped += 1;
      this.#events.emit('dropped', () => ({ idempotencyKey: prepared.key, entry: entryOf(slotText(prepared)), reason: 'queue_full' }));
      this.#arena.unwrite(prepared);
      return undefined;
    }
    return new Promise<void>((resolve, reject) => this.#waiters.push({ prepared, resolve, reject }));
  }

  /** Queues a prepared entry, accepted at `now` (epoch ms). */
  #accept(prepared: PreparedEntry, now: number): void {
    // The spool append comes first: if the disk refuses it, enqueue throws and nothing was accepted.
    let segment = -1;
    if (this.#spool) {
      try {
        segment = this.#spool.append(prepared.chunk.subarray(prepared.start, prepared.start + prepared.bytes));
      } catch (error) {
        this.#arena.unwrite(prepared);
        throw error;
      }
    }
    const { key, chunk, start, bytes } = prepared;
    this.#push({ key, chunk, start, bytes, seq: ++this.#seq, acceptedAt: now, segment });
    this.#stats.enqueued += 1;
    if (this.#spool) {
      this.#stats.spooled += 1;
      this.#events.emit('spooled', () => ({ count: 1, restored: false }));
    }
    // Only when #schedule would do something: start the batch timer, or a lane for a batch that is ready. While the
    // timer runs and no batch is full, an entry needs nothing more (a web app enqueues once per request, each in its
    // own task: a promise job per entry cost a promise, a job and a #schedule pass for nothing).
    if (!this.#kicked && (this.#timer === undefined || (this.#lanes < this.#options.maxConcurrentRequests && this.#ready()))) {
      // Start sending after the caller's synchronous work, so building and writing a request is never billed to
      // the enqueue call that happened to fill a batch. A promise job, not a timer: it runs as soon as the caller yields.
      this.#kicked = true;
      void Promise.resolve().then(this.#kick);
    }
  }

  readonly #kick = (): void => {
    this.#kicked = false;
    this.#schedule();
  };

  #push(entry: QueuedEntry): void {
    this.#queue.push(entry);
    this.#stats.pending += 1;
    this.#stats.pendingBytes += entry.bytes;
  }

  #queued(): number {
    return this.#queue.length;
  }

  #ready(): boolean {
    return (
      this.#due ||
      this.#flushes.length > 0 ||
      this.#closing !== undefined ||
      this.#queued() >= this.#options.maxBatchEntries ||
      this.#queue.bytes >= this.#options.maxBatchBytes
    );
  }

  #schedule(): void {
    if (this.#stopped || this.#queued() === 0) return;
    while (this.#lanes < this.#options.maxConcurrentRequests && this.#queued() > 0 && this.#ready()) {
      this.#lanes += 1;
      void this.#runLane();
    }
    if (this.#queued() > 0 && this.#timer === undefined && !this.#ready()) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#due = true;
        this.#schedule();
      }, this.#options.flushIntervalMs);
    }
  }

  async #runLane(): Promise<void> {
    try {
      while (!this.#stopped && this.#queued() > 0 && this.#ready()) {
        await this.#deliver(this.#takeBatch(), 0);
      }
    } finally {
      this.#lanes -= 1;
      if (this.#lanes === 0) this.#idle?.();
      this.#schedule();
    }
  }

  #takeBatch(): Batch {
    const batch = this.#queue.take(this.#limits);
    if (this.#queue.length === 0) {
      this.#due = false;
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#inFlight.add(batch);
    return batch;
  }

  /** Sends a batch until it is settled (or the publisher is stopped), retrying and splitting as needed. */
  async #deliver(initial: Batch, firstAttempt: number): Promise<void> {
    let batch = initial;
    for (let attempt = firstAttempt; !this.#stopped; attempt++) {
      this.#spool?.sync();
      this.#stats.requests += 1;
      const outcome = await sendBatch(this.#transport, batch, {
        timeoutMs: this.#options.requestTimeoutMs,
        signal: this.#abort.signal,
        // Receipts are only worth their bytes and parsing when someone listens to `delivered`.
        minimal: !this.#events.has('delivered'),
      });
      if (this.#stopped) return;
      if (outcome.kind === 'results') return this.#settleResults(batch, outcome.results);
      if (outcome.kind === 'summary') return this.#settleSummary(batch, outcome.duplicates, outcome.rejected);
      if (outcome.kind === 'rejected') return this.#fail(batch, batch.entries, 'client_error', outcome);
      if (outcome.kind === 'too_large') {
        if (batch.size === 1) return this.#fail(batch, batch.entries, 'too_large', outcome);
        const halves = batch.split();
        this.#replace(batch, halves);
        for (const half of halves) await this.#deliver(half, attempt);
        return;
      }
      const delayMs = retryDelayMs(attempt, outcome.retryAfter, this.#options.retry, this.#random);
      batch = this.#expire(batch, Date.now() + delayMs, outcome);
      if (batch.size === 0) return;
      this.#stats.retries += 1;
      const entries = batch.size;
      this.#events.emit('retrying', () => retryingPayload(attempt + 1, delayMs, entries, outcome));
      await this.#sleep(delayMs);
    }
  }

  /** Fails the entries whose budget ends before the next attempt; returns the batch of the others. */
  #expire(batch: Batch, nextAttemptAt: number, cause: Cause): Batch {
    const budget = this.#options.entryBudgetMs;
    if (budget === Number.POSITIVE_INFINITY) return batch;
    const expired = batch.entries.filter((entry) => entry.acceptedAt + budget < nextAttemptAt);
    if (expired.length === 0) return batch;
    const rest = batch.without(new Set(expired));
    this.#replace(batch, rest.size > 0 ? [rest] : []);
    this.#fail(batch, expired, 'budget_exhausted', { ...cause, message: `gave up after ${budget} ms: ${cause.message}` });
    return rest;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#sleeps.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleeps.add(wake);
    });
  }

  #replace(batch: Batch, by: readonly Batch[]): void {
    this.#inFlight.delete(batch);
    for (const part of by) this.#inFlight.add(part);
  }

  #settleResults(batch: Batch, results: readonly BatchResult[]): void {
    const settlements: Settlement[] = [];
    for (const result of results) {
      settlements[result.index] =
        result.status === 'rejected'
          ? { failed: true, reason: 'rejected', code: result.error.code, message: result.error.message }
          : { failed: false, receipt: result.receipt, duplicate: result.status === 'duplicate' };
    }
    this.#settle(batch, batch.entries, settlements);
  }

  #settleSummary(batch: Batch, duplicates: number, rejected: BatchSummary['rejected']): void {
    const delivered: Settlement = { failed: false, duplicate: false };
    const settlements: Settlement[] = batch.entries.map(() => delivered);
    for (const { index, error } of rejected) settlements[index] = { failed: true, reason: 'rejected', code: error.code, message: error.message };
    // Which entries were replays is not in a compact reply, only how many.
    this.#stats.duplicates += duplicates;
    this.#settle(batch, batch.entries, settlements);
  }

  #fail(batch: Batch, entries: readonly QueuedEntry[], reason: FailureReason, cause: Cause): void {
    const settlement = failure(reason, cause);
    this.#settle(batch, entries, entries.map(() => settlement));
  }

  /** Settles entries (settlements aligned with them): spool ack, counters, events, room for waiters, flushes. */
  #settle(batch: Batch, entries: readonly QueuedEntry[], settlements: readonly Settlement[]): void {
    // Receipts are only gathered into a payload when someone listens to `delivered`.
    const delivered: DeliveredEntry[] | undefined = this.#events.has('delivered') ? [] : undefined;
    const failed: Array<[QueuedEntry, Settlement & { failed: true }]> = [];
    let deliveredCount = 0;
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index] as QueuedEntry;
      const settlement = settlements[index] as Settlement;
      if (settlement.failed) {
        failed.push([entry, settlement]);
        continue;
      }
      deliveredCount += 1;
      if (settlement.duplicate) this.#stats.duplicates += 1;
      if (settlement.receipt) delivered?.push({ idempotencyKey: entry.key, receipt: settlement.receipt, duplicate: settlement.duplicate });
    }
    if (entries.length === batch.size) this.#inFlight.delete(batch);
    try {
      this.#spool?.ack(entries.map((entry) => ({ key: entry.key, segment: entry.segment })));
    } catch (error) {
      // A lost ack only means a resend after a restart, which the service answers as a duplicate.
      process.emitWarning(`audit-trail spool: could not record delivered entries (${(error as Error).message})`);
    }
    this.#stats.delivered += deliveredCount;
    this.#stats.failed += failed.length;
    this.#stats.pending -= entries.length;
    for (const entry of entries) this.#stats.pendingBytes -= entry.bytes;
    if (delivered && delivered.length > 0) this.#events.emit('delivered', () => ({ entries: delivered }));
    if (failed.length > 0) this.#reportFailed(failed.map(([entry, settlement]) => failedEntry(entry, settlement)));
    this.#admitWaiters();
    this.#resolveFlushes();
    if (this.#stats.pending === 0 && this.#waiters.length === 0) this.#events.emit('drained', () => ({ stats: this.stats }));
  }

  /**
   * Failures are loud: they go to the `failed` listeners, or, when there are none, to the `warn` function (the
   * client's `logger`, else `process.emitWarning`). Either way `close()` returns them.
   */
  #reportFailed(entries: FailedEntry[]): void {
    const room = MAX_KEPT_FAILED - this.#failed.length;
    if (room > 0) this.#failed.push(...entries.slice(0, room));
    if (this.#events.has('failed')) return this.#events.emit('failed', () => ({ entries }));
    const first = entries[0] as FailedEntry;
    // Keys, reason and the service's message only: an entry's details may be sensitive.
    this.#warn(
      `audit-trail: ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} could not be delivered and ` +
        `will not be retried (${first.reason}${first.code ? `, ${first.code}` : ''}: ${first.message}). ` +
        `Idempotency keys: ${entries.slice(0, 5).map((entry) => entry.idempotencyKey).join(', ')}${entries.length > 5 ? ', ...' : ''}. ` +
        `Listen to client.on('failed') to handle them; close() returns them.`,
    );
  }

  #admitWaiters(): void {
    while (this.#waiters.length > 0) {
      const waiter = this.#waiters[0] as Waiter;
      if (!this.#hasRoom(waiter.prepared.bytes)) return;
      this.#waiters.shift();
      try {
        this.#accept(waiter.prepared, Date.now());
        waiter.resolve();
      } catch (error) {
        waiter.reject(error as Error);
      }
    }
  }

  #unsettled(): QueuedEntry[] {
    const inFlight = [...this.#inFlight].flatMap((batch) => batch.entries);
    return [...inFlight, ...this.#queue.toArray()].sort((a, b) => a.seq - b.seq);
  }

  #lowestUnsettled(): number {
    let lowest = this.#queue.peek()?.seq ?? Number.POSITIVE_INFINITY;
    for (const batch of this.#inFlight) lowest = Math.min(lowest, batch.entries[0]?.seq ?? lowest);
    if (this.#waiters.length > 0) lowest = Math.min(lowest, this.#seq + 1);
    return lowest;
  }

  #resolveFlushes(): void {
    if (this.#flushes.length === 0) return;
    const lowest = this.#lowestUnsettled();
    for (let i = this.#flushes.length - 1; i >= 0; i--) {
      const flush = this.#flushes[i] as FlushWaiter;
      if (flush.target < lowest) {
        this.#flushes.splice(i, 1);
        flush.resolve();
      }
    }
  }
}

