/**
 * The tree frontiers this process committed, per application: the next append to an application whose chain head
 * is still the one this process wrote starts from the frontier it already holds, instead of reading it back (a
 * point read per perfect subtree, and the last leaf's entry re-read and re-hashed when the size is odd). For a
 * single-entry append that read cost as much as hashing and inserting the entry.
 *
 * Exact, not a guess: the head (sequence and chain hash) is read under the chain lock, and the chain hash commits
 * to every entry up to it, so an equal head means the same entries and therefore the same tree. Any other head
 * (another process appended, a restore, a rolled-back append) misses and the frontier is read from the store as
 * before. Only committed frontiers are remembered.
 */
import type { ChainHead, TreeNode } from '../store/repositories.js';
import { TreeAppender } from './tree.js';

/** Applications remembered at most; a full cache is emptied (a miss only costs the read). */
const MAX_APPLICATIONS = 10_000;

interface Committed {
  size: number;
  headHash: string;
  frontier: readonly TreeNode[];
}

export class FrontierCache {
  readonly #committed = new Map<string, Committed>();

  /** An appender at `head` from the remembered frontier, or `undefined` when this process did not commit that head. */
  open(applicationId: string, head: ChainHead): TreeAppender | undefined {
    const known = this.#committed.get(applicationId);
    if (!known || known.size !== head.sequence || known.headHash !== head.hash) return undefined;
    return new TreeAppender(known.size, known.frontier);
  }

  /** Remembers the tree of a COMMITTED append whose chain head is now `headHash`. */
  remember(applicationId: string, headHash: string, tree: TreeAppender): void {
    if (this.#committed.size >= MAX_APPLICATIONS && !this.#committed.has(applicationId)) this.#committed.clear();
    this.#committed.set(applicationId, { size: tree.size, headHash, frontier: tree.frontier() });
  }

  /** Forgets an application (its append failed: what is stored is unknown until read again). */
  forget(applicationId: string): void {
    this.#committed.delete(applicationId);
  }
}
