/**
 * An application's tree as the store holds it: opening it for an append (building it first for a chain stored
 * before the tree existed) and reading its head.
 */
import { leafHash } from '@audit-trail/sdk/contract';
import type { Repositories, Store, TreeNode } from '../store/repositories.js';
import { MissingTreeNodeError, TreeAppender, frontierRefs, readNodes, storedNodes, treeRoot, withNodes } from './tree.js';

/** The head of an application's tree: its size and root. */
export interface TreeHead {
  /** Number of leaves: the chain's head sequence. */
  size: number;
  /** RFC 9162 root hash (32 bytes). */
  root: Buffer;
}

// The tree of an older database is built in pages, so a long chain never sits in memory at once.
const PAGE = 1000;

/** Builds the tree of the first `size` entries from the stored entries, storing its nodes. */
async function buildTree(tx: Repositories, applicationId: string, size: number): Promise<TreeAppender> {
  const appender = new TreeAppender(0, []);
  while (appender.size < size) {
    const from = appender.size + 1;
    const page = await tx.entries.range(applicationId, from, size, PAGE);
    if (page.length === 0) break;
    for (const entry of page) {
      if (entry.sequence !== appender.size + 1) {
        throw new MissingTreeNodeError(`cannot build the tree of application ${applicationId}: entry ${appender.size + 1} is missing`);
      }
      appender.append(leafHash(entry));
    }
    await tx.tree.putNodes(applicationId, storedNodes(appender.written.splice(0)));
  }
  if (appender.size !== size) {
    throw new MissingTreeNodeError(`cannot build the tree of application ${applicationId}: entries after ${appender.size} are missing`);
  }
  return appender;
}

/**
 * The tree of `size` leaves, ready to append to: its frontier read in one batch. A chain stored before the tree
 * existed has no nodes yet; its tree is built from its entries here, once. Call inside {@link Store.transaction}.
 */
export async function openTree(tx: Repositories, applicationId: string, size: number): Promise<TreeAppender> {
  const refs = frontierRefs(size);
  const hashes = await readNodes(tx, applicationId, refs);
  const frontier: TreeNode[] = [];
  for (const [i, ref] of refs.entries()) {
    const hash = hashes[i];
    if (!hash) return buildTree(tx, applicationId, size);
    frontier.push({ ...ref, hash });
  }
  return new TreeAppender(size, frontier);
}

/**
 * The head of an application's tree. Reads outside a transaction: the nodes of a committed size never change, so
 * the chain head and its frontier always agree. Builds the tree first for a chain stored before it existed.
 */
export async function readTreeHead(store: Store, applicationId: string): Promise<TreeHead> {
  const head = await store.entries.head(applicationId);
  try {
    return { size: head.sequence, root: await withNodes(store, applicationId, (read) => treeRoot(head.sequence, read)) };
  } catch (error) {
    if (!(error instanceof MissingTreeNodeError)) throw error;
    return store.transaction(async (tx) => {
      const locked = await tx.entries.head(applicationId);
      const tree = await openTree(tx, applicationId, locked.sequence);
      return { size: tree.size, root: tree.root() };
    });
  }
}
