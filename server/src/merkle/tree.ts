/**
 * The server's half of the Merkle tree (RFC 9162 section 2.1): how it is stored, appended to and proven from.
 *
 * Storage: the hash of every complete perfect subtree, keyed `(level, index)`: node `(l, i)` is the root of leaves
 * `i * 2^l .. (i + 1) * 2^l - 1` (level 0 holds the leaf hashes). Such a node never changes once written, so
 * - an append writes the subtrees the new leaf completes: 1 node per entry on average. Leaves (level 0) are not
 *   stored: a leaf hash is recomputed from its entry when a proof or the frontier needs it (at most a few per
 *   proof), which halves the tree's writes;
 * - the tree of any size `n` is the nodes of its "frontier", one per set bit of `n` (at most 53), from which its
 *   root is folded; an append reads that frontier once per batch;
 * - the hash of any range an RFC proof needs is composed of O(log n) stored nodes, so a proof reads O(log n)
 *   nodes, fetched in one batch ({@link withNodes}).
 */
import { EMPTY_TREE_ROOT, leafHash, nodeHash } from '@audit-trail/sdk/contract';
import type { Repositories, TreeNode, TreeNodeRef } from '../store/repositories.js';

/** Reads stored node `(level, index)`; throws when it is missing. */
export type NodeReader = (level: number, index: number) => Buffer;

/** Largest power of two strictly less than `n` (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number): boolean => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/** The frontier of a tree of `size` leaves: its perfect subtrees, largest (leftmost) first. */
export function frontierRefs(size: number): TreeNodeRef[] {
  const refs: TreeNodeRef[] = [];
  let start = 0;
  for (let level = 52; level >= 0; level -= 1) {
    const width = 2 ** level;
    if (size - start >= width) {
      refs.push({ level, index: start / width });
      start += width;
    }
  }
  return refs;
}

/** `MTH(D[lo:hi])` (RFC 9162 section 2.1.1) from stored perfect subtrees. */
export function rangeHash(lo: number, hi: number, read: NodeReader): Buffer {
  const width = hi - lo;
  if (width <= 0) return EMPTY_TREE_ROOT;
  if (isPowerOfTwo(width) && lo % width === 0) return read(Math.round(Math.log2(width)), lo / width);
  const k = splitPoint(width);
  return nodeHash(rangeHash(lo, lo + k, read), rangeHash(lo + k, hi, read));
}

/** The root of the tree of `size` leaves. */
export function treeRoot(size: number, read: NodeReader): Buffer {
  return rangeHash(0, size, read);
}

/** `PATH(m, D[lo:hi])` of RFC 9162 section 2.1.3.1, deepest sibling first; `m` is relative to `lo`. */
function path(m: number, lo: number, hi: number, read: NodeReader): Buffer[] {
  const n = hi - lo;
  if (n <= 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...path(m, lo, lo + k, read), rangeHash(lo + k, hi, read)];
  return [...path(m - k, lo + k, hi, read), rangeHash(lo, lo + k, read)];
}

/** The inclusion proof (audit path) of leaf `index` in the tree of `size` leaves. */
export function inclusionProof(index: number, size: number, read: NodeReader): Buffer[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  return path(index, 0, size, read);
}

/** `SUBPROOF(m, D[lo:hi], b)` of RFC 9162 section 2.1.4.1. */
function subproof(m: number, lo: number, hi: number, complete: boolean, read: NodeReader): Buffer[] {
  const n = hi - lo;
  if (m === n) return complete ? [] : [rangeHash(lo, hi, read)];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(m, lo, lo + k, complete, read), rangeHash(lo + k, hi, read)];
  return [...subproof(m - k, lo + k, hi, false, read), rangeHash(lo, lo + k, read)];
}

/** The consistency proof from the tree of `first` leaves to the tree of `second` leaves. */
export function consistencyProof(first: number, second: number, read: NodeReader): Buffer[] {
  if (!(first >= 0 && first <= second)) throw new RangeError(`no consistency proof from ${first} to ${second}`);
  if (first === 0 || first === second) return [];
  return subproof(first, 0, second, true, read);
}

/** Thrown when a node a computation needs is not stored: the tree table was damaged or never built. */
export class MissingTreeNodeError extends Error {
  override name = 'MissingTreeNodeError';
}

const key = (level: number, index: number): string => `${level}:${index}`;

/**
 * Runs `compute` against stored nodes with one batched read: a first dry run records which nodes it asks for
 * (hashing placeholders), they are fetched at once, and the second run computes with the real hashes.
 */
export async function withNodes<T>(
  repositories: Pick<Repositories, 'tree' | 'entries'>,
  applicationId: string,
  compute: (read: NodeReader) => T,
): Promise<T> {
  const wanted = new Map<string, TreeNodeRef>();
  const placeholder = Buffer.alloc(32);
  compute((level, index) => {
    wanted.set(key(level, index), { level, index });
    return placeholder;
  });
  const refs = [...wanted.values()];
  const hashes = await readNodes(repositories, applicationId, refs);
  const found = new Map<string, Buffer>();
  refs.forEach((ref, i) => {
    const hash = hashes[i];
    if (hash) found.set(key(ref.level, ref.index), hash);
  });
  return compute((level, index) => {
    const hash = found.get(key(level, index));
    if (!hash) throw new MissingTreeNodeError(`tree node (${level}, ${index}) of application ${applicationId} is missing`);
    return hash;
  });
}

/** The nodes of the tree table that are stored: every level but the leaves. */
export function storedNodes(nodes: readonly TreeNode[]): TreeNode[] {
  return nodes.filter((node) => node.level > 0);
}

/** Reads nodes: levels above 0 from the tree table (one batch), leaves recomputed from their entries. */
export async function readNodes(
  repositories: Pick<Repositories, 'tree' | 'entries'>,
  applicationId: string,
  refs: readonly TreeNodeRef[],
): Promise<(Buffer | undefined)[]> {
  const inner = refs.filter((ref) => ref.level > 0);
  const innerHashes = inner.length === 0 ? [] : await repositories.tree.nodes(applicationId, inner);
  const result: (Buffer | undefined)[] = [];
  let next = 0;
  for (const ref of refs) {
    if (ref.level > 0) {
      result.push(innerHashes[next]);
      next += 1;
    } else {
      const entry = await repositories.entries.findBySequence(applicationId, ref.index + 1);
      result.push(entry && leafHash(entry));
    }
  }
  return result;
}

/**
 * Appends leaves to a tree held as its frontier, collecting the nodes to store. Start it from the frontier of the
 * stored tree ({@link frontierRefs}), call {@link append} per leaf, then store {@link written}.
 */
export class TreeAppender {
  /** The perfect subtrees of the current tree, largest first. */
  readonly #frontier: TreeNode[];
  /** Nodes completed by the appends so far, to be stored. */
  readonly written: TreeNode[] = [];
  #size: number;

  constructor(size: number, frontier: readonly TreeNode[]) {
    this.#size = size;
    this.#frontier = [...frontier];
  }

  /** Number of leaves. */
  get size(): number {
    return this.#size;
  }

  /** The perfect subtrees of the current tree, largest first (a copy: enough to resume appending). */
  frontier(): TreeNode[] {
    return [...this.#frontier];
  }

  /** Adds leaf `size` (its hash), merging the perfect subtrees it completes. */
  append(leaf: Buffer): void {
    let node: TreeNode = { level: 0, index: this.#size, hash: leaf };
    this.written.push(node);
    for (;;) {
      const left = this.#frontier[this.#frontier.length - 1];
      if (!left || left.level !== node.level) break;
      this.#frontier.pop();
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      this.written.push(node);
    }
    this.#frontier.push(node);
    this.#size += 1;
  }

  /** The root of the current tree: the frontier folded from the right. */
  root(): Buffer {
    let root: Buffer | undefined;
    for (let i = this.#frontier.length - 1; i >= 0; i -= 1) {
      const { hash } = this.#frontier[i] as TreeNode;
      root = root === undefined ? hash : nodeHash(hash, root);
    }
    return root ?? EMPTY_TREE_ROOT;
  }
}
