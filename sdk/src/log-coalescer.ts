/**
 * Coalescing of concurrent `log()` calls. A `log()` made while the client already has a `log()` request on the wire
 * ({@link MAX_SINGLE_IN_FLIGHT}) waits here; as soon as that request ends, everything that waited goes out as one
 * batch request, and each caller gets its own receipt or its own error. A lone awaited `log()` never waits: it
 * goes out at once on the single-entry route, with no timer anywhere.
 *
 * Why: a web app whose concurrent requests each await `log()` otherwise pays one HTTP round trip (and one
 * server-side append) per entry. This module only schedules; the client does the wire work (`sendOne`,
 * `sendMany`) and the contract's limits decide how much fits in one batch.
 */
import { LIMITS } from './contract/limits.js';
import { batchOverheadBytes } from './contract/wire.js';

/**
 * How many `log()` requests may be on the wire before further calls wait to be coalesced. One: measured with 32
 * concurrent callers (bench/suites/delivery.ts), one group of 32 per request beat two groups of 16 overlapping
 * (10.6–11.5k vs 6.9–10.7k entries/s) and two slots where one caller took the free one again and again with a
 * request of one entry (6.9–9.1k): on two cores, fewer requests win over overlap.
 */
export const MAX_SINGLE_IN_FLIGHT = 1;

/** One waiting `log()`: its entry as the client prepared it, its JSON size, and its caller's promise. */
interface Waiter<Item, Result> {
  readonly item: Item;
  readonly bytes: number;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/** The wire work, done by the client. */
export interface CoalescerSenders<Item, Result> {
  /** Sends one entry on the single-entry route. */
  sendOne(item: Item): Promise<Result>;
  /**
   * Sends entries as one batch; resolves with one outcome per entry, in order (a result, or the error that entry's
   * caller gets), and rejects (every caller gets that error) when the request as a whole failed.
   */
  sendMany(items: readonly Item[]): Promise<ReadonlyArray<Result | Error>>;
}

/** Schedules `log()` calls: at once when the wire is free, else grouped into the next batch. */
export class LogCoalescer<Item, Result> {
  #inFlight = 0;
  #queue: Array<Waiter<Item, Result>> = [];
  /** Resolvers of {@link LogCoalescer.idle} calls, run when nothing is in flight or waiting. */
  #idleWaiters: Array<() => void> = [];

  constructor(private readonly senders: CoalescerSenders<Item, Result>) {}

  /** Sends `item` (`bytes`: its JSON's UTF-8 length) now or with the next group; settles with its own outcome. */
  submit(item: Item, bytes: number): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#queue.push({ item, bytes, resolve, reject });
      if (this.#inFlight < MAX_SINGLE_IN_FLIGHT) this.#drain();
    });
  }

  /**
   * Resolves once every call submitted so far has been sent and settled (at once when none is pending), so that
   * `close()` never turns a `log()` that was accepted into a failure merely because it waited for a group.
   */
  idle(): Promise<void> {
    if (this.#inFlight === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Starts requests for what waits, while fewer than {@link MAX_SINGLE_IN_FLIGHT} are in flight. */
  #drain(): void {
    while (this.#inFlight < MAX_SINGLE_IN_FLIGHT && this.#queue.length > 0) {
      const group = this.#takeGroup();
      this.#inFlight += 1;
      if (group.length === 1) this.#sendOne(group[0] as Waiter<Item, Result>);
      else this.#sendMany(group);
    }
  }

  /** The longest prefix of the queue that fits one batch (entry count and body size of the contract). */
  #takeGroup(): Array<Waiter<Item, Result>> {
    let count = 0;
    let bytes = 0;
    for (const waiter of this.#queue) {
      if (count === LIMITS.batchEntries) break;
      if (count > 0 && bytes + waiter.bytes + batchOverheadBytes(count + 1) > LIMITS.bodyBytes) break;
      bytes += waiter.bytes;
      count += 1;
    }
    return this.#queue.splice(0, count);
  }

  #sendOne(waiter: Waiter<Item, Result>): void {
    this.senders.sendOne(waiter.item).then(
      (result) => this.#settled(1, () => waiter.resolve(result)),
      (error: unknown) => this.#settled(1, () => waiter.reject(error)),
    );
  }

  #sendMany(group: ReadonlyArray<Waiter<Item, Result>>): void {
    let outcomes: Promise<ReadonlyArray<Result | Error>>;
    try {
      outcomes = this.senders.sendMany(group.map((waiter) => waiter.item));
    } catch (error) {
      outcomes = Promise.reject(error);
    }
    outcomes.then(
      (results) =>
        this.#settled(group.length, () => {
          group.forEach((waiter, index) => {
            const outcome = results[index];
            if (outcome instanceof Error) waiter.reject(outcome);
            else if (outcome === undefined) waiter.reject(new Error('log: the batch reply has no outcome for this entry'));
            else waiter.resolve(outcome);
          });
        }),
      (error: unknown) =>
        this.#settled(group.length, () => {
          for (const waiter of group) waiter.reject(error);
        }),
    );
  }

  /**
   * A request ended: settles its callers and frees its slot. When there is concurrency (the request carried a group,
   * or calls are waiting), the slot is freed only after the callers' own continuations have run (`setImmediate`):
   * callers that log again at once then join one group instead of each taking a free slot with a request of one
   * entry. A lone caller (a group of one, nothing waiting) gets its slot back at once, so its next `log()` goes out
   * immediately.
   */
  #settled(groupSize: number, settleCallers: () => void): void {
    if (groupSize === 1 && this.#queue.length === 0) {
      this.#finished();
      settleCallers();
      return;
    }
    settleCallers();
    setImmediate(() => this.#finished());
  }

  #finished(): void {
    this.#inFlight -= 1;
    this.#drain();
    if (this.#inFlight === 0 && this.#queue.length === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
