/**
 * One batch of queued entries and the limits it enforces. The body is built once from the entries' own bytes
 * (entry-arena.ts) and reused on every retry.
 */
import { batchOverheadBytes } from '../contract/wire.js';
import { batchBodyBytes, type ArenaSlot } from './entry-arena.js';

/**
 * An accepted entry, as the pipeline holds it: serialised once, its UTF-8 JSON (exactly as it appears in a batch
 * body) in an arena slot (`chunk`, `start`, `bytes`), with its idempotency key.
 */
export interface QueuedEntry extends ArenaSlot {
  /** The idempotency key minted (or given) at enqueue; also inside the JSON. */
  readonly key: string;
  /** Acceptance order, used by `flush()` to know which entries it waits for. */
  readonly seq: number;
  /** When the entry was accepted (or restored), for the time budget, in epoch milliseconds. */
  readonly acceptedAt: number;
  /** Spool segment holding the entry, or -1 without a spool. */
  readonly segment: number;
}

/** Limits of one batch. */
export interface BatchLimits {
  /** Most entries. */
  maxEntries: number;
  /** Most bytes of the whole body. */
  maxBytes: number;
}

/** Result of {@link Batch.tryAdd}: either added, or why not. */
export type AddResult = { added: true } | { added: false; reason: 'count' | 'bytes' };

/** Entries that go out in one `POST /api/log/batch`. */
export class Batch {
  readonly #limits: BatchLimits;
  readonly #entries: QueuedEntry[] = [];
  #entryBytes = 0;
  #body: Buffer | undefined;

  /** @param limits - Count and byte limits; the first entry is always accepted, however large. */
  constructor(limits: BatchLimits, entries: readonly QueuedEntry[] = []) {
    this.#limits = limits;
    for (const entry of entries) this.#push(entry);
  }

  /** The entries, in send order. */
  get entries(): readonly QueuedEntry[] {
    return this.#entries;
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.length;
  }

  /** Exact byte length of {@link Batch.body}. */
  get bodyBytes(): number {
    return this.#entryBytes + batchOverheadBytes(this.#entries.length);
  }

  /** Adds the entry if both limits still hold afterwards. */
  tryAdd(entry: QueuedEntry): AddResult {
    const count = this.#entries.length;
    if (count >= this.#limits.maxEntries) return { added: false, reason: 'count' };
    if (count > 0 && this.#entryBytes + entry.bytes + batchOverheadBytes(count + 1) > this.#limits.maxBytes) {
      return { added: false, reason: 'bytes' };
    }
    this.#push(entry);
    return { added: true };
  }

  /** The request body as UTF-8 bytes ({@link Batch.bodyBytes} of them), built on first use and reused by retries. */
  body(): Buffer {
    this.#body ??= batchBodyBytes(this.#entries, this.bodyBytes);
    return this.#body;
  }

  /** The request body as text, for a transport that takes string bodies only. */
  bodyText(): string {
    return this.body().toString('utf8');
  }

  /** Two halves, in order (for a 413). Needs at least two entries. */
  split(): [Batch, Batch] {
    const middle = Math.ceil(this.#entries.length / 2);
    return [new Batch(this.#limits, this.#entries.slice(0, middle)), new Batch(this.#limits, this.#entries.slice(middle))];
  }

  /** The same batch without the given entries (those whose time budget ran out). */
  without(removed: ReadonlySet<QueuedEntry>): Batch {
    return new Batch(this.#limits, this.#entries.filter((entry) => !removed.has(entry)));
  }

  #push(entry: QueuedEntry): void {
    this.#entries.push(entry);
    this.#entryBytes += entry.bytes;
    this.#body = undefined;
  }
}
