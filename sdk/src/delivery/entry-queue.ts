/**
 * The entries waiting for a batch, in acceptance order. An array with a moving head: taking a batch is O(batch),
 * and the array is compacted only once the consumed prefix dominates it.
 */
import { Batch, type BatchLimits, type QueuedEntry } from './batch.js';

const COMPACT_AFTER = 4096;

/** A FIFO of {@link QueuedEntry} that knows its byte total. */
export class EntryQueue {
  #items: QueuedEntry[] = [];
  #head = 0;
  #bytes = 0;

  /** Entries waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Serialised bytes waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The oldest entry waiting. */
  peek(): QueuedEntry | undefined {
    return this.#items[this.#head];
  }

  /** Adds an entry at the end. */
  push(entry: QueuedEntry): void {
    this.#items.push(entry);
    this.#bytes += entry.bytes;
  }

  /** Removes the oldest entries that fit one batch and returns that batch. */
  take(limits: BatchLimits): Batch {
    const batch = new Batch(limits);
    while (this.#head < this.#items.length) {
      const entry = this.#items[this.#head] as QueuedEntry;
      if (!batch.tryAdd(entry).added) break;
      this.#head += 1;
      this.#bytes -= entry.bytes;
    }
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > COMPACT_AFTER && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return batch;
  }

  /** A copy of the entries waiting, oldest first. */
  toArray(): QueuedEntry[] {
    return this.#items.slice(this.#head);
  }
}
