/**
 * The frontier cache (server/src/merkle/frontier-cache.ts): appends after this process's own commit start from the
 * frontier it kept instead of reading it back, and every tree head stays the RFC 9162 root of the stored entries,
 * including after another writer appended, and after a failed append.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MerkleRootBuilder, leafHash, type Entry } from '../../sdk/src/contract/index.js';
import { GroupCommit } from '../src/group-commit.js';
import { appendEntries } from '../src/ledger.js';
import { readTreeHead, type TreeHead } from '../src/merkle/tree-store.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import type { Store } from '../src/store/repositories.js';
import { createTenant } from '../src/tenants.js';

let dir: string;
let store: Store;
let nodeReads = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-trail-frontier-cache-'));
  const opened = openSqliteStore(dir);
  const tree = opened.tree;
  nodeReads = 0;
  const counted: typeof tree = {
    nodes: (...args) => ((nodeReads += 1), tree.nodes(...args)),
    putNodes: (...args) => tree.putNodes(...args),
  };
  // The transaction hands out the same repositories: count reads made inside it too.
  const transaction = opened.transaction.bind(opened);
  store = { ...opened, tree: counted, transaction: (work) => transaction((tx) => work({ ...tx, tree: counted })) } as Store;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (i: number): Entry => ({ actorId: `user-${i}`, action: `ACT_${i}` });

/** The RFC 9162 root of every stored entry, computed from the entries alone. */
async function rootOfStoredEntries(applicationId: string): Promise<TreeHead> {
  const head = await store.entries.head(applicationId);
  const builder = new MerkleRootBuilder();
  for (const stored of await store.entries.range(applicationId, 1, head.sequence, 1000)) builder.append(leafHash(stored));
  return { size: builder.size, root: builder.root() };
}

test('appends after this process committed the head read no tree nodes, and every head is the root of the stored entries', async () => {
  const { applicationId, organizationId } = await createTenant(store);
  const appends = new GroupCommit(store);
  const target = { id: applicationId, organizationId };
  await appends.append(target, [entry(0)]);
  const readsAfterFirst = nodeReads;
  for (let i = 1; i <= 40; i++) {
    const { treeHead } = await appends.append(target, i % 3 === 0 ? [entry(i), entry(i + 100)] : [entry(i)]);
    const expected = await rootOfStoredEntries(applicationId);
    expect(treeHead.size).toBe(expected.size);
    expect(treeHead.root.toString('hex')).toBe(expected.root.toString('hex'));
  }
  // The appends themselves read no node; only the stored tree is still the one a reader rebuilds.
  expect(nodeReads).toBe(readsAfterFirst);
  const stored = await readTreeHead(store, applicationId);
  expect(stored.root.toString('hex')).toBe((await rootOfStoredEntries(applicationId)).root.toString('hex'));
});

test('a head written by another writer (another process) is not taken from the cache: the frontier is read again', async () => {
  const { applicationId, organizationId } = await createTenant(store);
  const appends = new GroupCommit(store);
  const target = { id: applicationId, organizationId };
  for (let i = 0; i < 5; i++) await appends.append(target, [entry(i)]);
  // Another process on the same database: the same ledger, without this process's cache.
  await appendEntries(store, applicationId, [entry(50), entry(51), entry(52)]);
  const readsBefore = nodeReads;
  const { treeHead } = await appends.append(target, [entry(6)]);
  expect(nodeReads).toBeGreaterThan(readsBefore);
  const expected = await rootOfStoredEntries(applicationId);
  expect(treeHead.size).toBe(9);
  expect(treeHead.root.toString('hex')).toBe(expected.root.toString('hex'));
});

test('after a failed append the frontier is read again and the tree stays right', async () => {
  const { applicationId, organizationId } = await createTenant(store);
  let fail = false;
  const appends = new GroupCommit(store, undefined, async () => {
    if (fail) throw new Error('listener failed inside the transaction');
    return undefined;
  });
  const target = { id: applicationId, organizationId };
  for (let i = 0; i < 4; i++) await appends.append(target, [entry(i)]);
  fail = true;
  await expect(appends.append(target, [entry(4)])).rejects.toThrow('listener failed');
  fail = false;
  const readsBefore = nodeReads;
  const { treeHead } = await appends.append(target, [entry(5)]);
  expect(nodeReads).toBeGreaterThan(readsBefore);
  const expected = await rootOfStoredEntries(applicationId);
  expect(treeHead.size).toBe(5);
  expect(treeHead.root.toString('hex')).toBe(expected.root.toString('hex'));
});
