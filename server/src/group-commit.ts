/**
 * Group commit: appends to one application that arrive while another is being written, or in the same turn of the
 * event loop, are written together in ONE transaction (one head read, one tree frontier, one COMMIT), and every
 * caller gets its own outcomes and the tree head that covers them. Order is arrival order; a caller's entries stay
 * together and in order. An idle application's first append waits only for the current turn of the event loop.
 * An {@link AppendListener} (the webhook dispatcher) writes in each group's transaction and learns after it whether
 * that transaction committed.
 */
import type { Entry, StoredEntry, ValidationIssue } from '@audit-trail/sdk/contract';
import { LIMITS } from '@audit-trail/sdk/contract';
import { appendEntries, type AppendResult } from './ledger.js';
import { FrontierCache } from './merkle/frontier-cache.js';
import type { Repositories, Store } from './store/repositories.js';

/** The application appended to, with its owner. */
export interface AppendTarget {
  id: string;
  organizationId: string;
}

/**
 * Told about every group that stored entries, INSIDE its transaction (what it writes commits with the entries or
 * not at all); what it returns is called once the transaction committed (`true`) or failed (`false`).
 */
export type AppendListener = (
  tx: Repositories,
  application: AppendTarget,
  stored: readonly StoredEntry[],
) => Promise<((committed: boolean) => void) | undefined>;

interface Waiting {
  items: readonly (Entry | ValidationIssue)[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  readonly #waiting = new Map<string, Waiting[]>();
  /** The frontier of each tree this process committed: the next group starts from it instead of reading it back. */
  readonly #frontiers = new FrontierCache();

  /**
   * @param store - Where the entries go.
   * @param maxGroupItems - A group stops growing at this many items (a caller's items are never split), so one
   *   transaction never holds the chain for long.
   */
  constructor(
    private readonly store: Store,
    private readonly maxGroupItems: number = LIMITS.batchEntries,
    private readonly listener?: AppendListener,
  ) {}

  /** Appends `items` (issues pass through as `rejected`) to the chain of `application`, in order. */
  append(application: AppendTarget, items: readonly (Entry | ValidationIssue)[]): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(application.id);
      if (queue) {
        queue.push({ items, resolve, reject });
        return;
      }
      this.#waiting.set(application.id, [{ items, resolve, reject }]);
      // Let the requests that are already readable join the group before it is written.
      setImmediate(() => void this.#drain(application));
    });
  }

  async #drain(application: AppendTarget): Promise<void> {
    const applicationId = application.id;
    const queue = this.#waiting.get(applicationId);
    while (queue && queue.length > 0) {
      const group: Waiting[] = [];
      let size = 0;
      while (queue.length > 0 && (group.length === 0 || size + (queue[0] as Waiting).items.length <= this.maxGroupItems)) {
        const next = queue.shift() as Waiting;
        group.push(next);
        size += next.items.length;
      }
      let settle: ((committed: boolean) => void) | undefined;
      const listener = this.listener;
      const within = listener
        ? async (tx: Repositories, stored: readonly StoredEntry[]) => {
            settle = await listener(tx, application, stored);
          }
        : undefined;
      try {
        const items = group.flatMap((waiting) => waiting.items);
        const { outcomes, treeHead } = await appendEntries(this.store, applicationId, items, undefined, true, within, this.#frontiers);
        settle?.(true);
        let offset = 0;
        for (const waiting of group) {
          waiting.resolve({ outcomes: outcomes.slice(offset, offset + waiting.items.length), treeHead });
          offset += waiting.items.length;
        }
      } catch (error) {
        settle?.(false);
        for (const waiting of group) waiting.reject(error);
      }
    }
    this.#waiting.delete(applicationId);
  }
}
