/**
 * Group commit: appends to one application that arrive while another is being written, or in the same turn of the
 * event loop, are written together in ONE transaction (one head read, one tree frontier, one COMMIT), and every
 * caller gets its own outcomes and the tree head that covers them. Order is arrival order; a caller's entries stay
 * together and in order. An idle application's first append waits only for the current turn of the event loop.
 */
import type { Entry, ValidationIssue } from '@audit-trail/sdk/contract';
import { LIMITS } from '@audit-trail/sdk/contract';
import { appendEntries, type AppendResult } from './ledger.js';
import type { Store } from './store/repositories.js';

interface Waiting {
  items: readonly (Entry | ValidationIssue)[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  readonly #waiting = new Map<string, Waiting[]>();

  /**
   * @param store - Where the entries go.
   * @param maxGroupItems - A group stops growing at this many items (a caller's items are never split), so one
   *   transaction never holds the chain for long.
   */
  constructor(
    private readonly store: Store,
    private readonly maxGroupItems: number = LIMITS.batchEntries,
  ) {}

  /** Appends `items` (issues pass through as `rejected`) to the chain of `applicationId`, in order. */
  append(applicationId: string, items: readonly (Entry | ValidationIssue)[]): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(applicationId);
      if (queue) {
        queue.push({ items, resolve, reject });
        return;
      }
      this.#waiting.set(applicationId, [{ items, resolve, reject }]);
      // Let the requests that are already readable join the group before it is written.
      setImmediate(() => void this.#drain(applicationId));
    });
  }

  async #drain(applicationId: string): Promise<void> {
    const queue = this.#waiting.get(applicationId);
    while (queue && queue.length > 0) {
      const group: Waiting[] = [];
      let size = 0;
      while (queue.length > 0 && (group.length === 0 || size + (queue[0] as Waiting).items.length <= this.maxGroupItems)) {
        const next = queue.shift() as Waiting;
        group.push(next);
        size += next.items.length;
      }
      try {
        const { outcomes, treeHead } = await appendEntries(this.store, applicationId, group.flatMap((waiting) => waiting.items));
        let offset = 0;
        for (const waiting of group) {
          waiting.resolve({ outcomes: outcomes.slice(offset, offset + waiting.items.length), treeHead });
          offset += waiting.items.length;
        }
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
    this.#waiting.delete(applicationId);
  }
}
