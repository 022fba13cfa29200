/**
 * The attacks of issue 8 against the real server, by someone who edits the SQLite file directly and recomputes
 * every hash the server would (chain, head, Merkle tree): the chain then verifies, and the server signs the forged
 * tree with its real key. A client that kept a checkpoint (in memory or in its state file), or a receipt, detects
 * each attack with a typed IntegrityError; a client that kept nothing cannot, which docs/verification.md states.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { AuditTrailClient, IntegrityError, type Receipt } from '../../sdk/src/index.js';
import { PATHS, type StoredEntry, type VerifyResult } from '../../sdk/src/contract/schemas.js';
import { GENESIS_HASH, chainHash, standaloneHash } from '../../sdk/src/contract/chain.js';
import { leafHash } from '../../sdk/src/contract/merkle.js';
import type { Credentials } from '../../sdk/src/contract/wire.js';
import { TreeAppender } from '../src/merkle/tree.js';
import { formatSigningKey, loadSigningKey } from '../src/merkle/signing-key.js';
import { sqlite } from '../src/store/sqlite-module.js';
import { SqliteEntryRepository } from '../src/store/sqlite-entries-repository.js';
import { startServer, type TestServer } from './support/start-server.js';
import { api } from './support/http.js';

let server: TestServer;
let db: DatabaseSync;
let stateDir: string;
const clients: AuditTrailClient[] = [];

beforeAll(async () => {
  server = await startServer();
  db = new sqlite.DatabaseSync(server.dbPath);
  stateDir = mkdtempSync(join(tmpdir(), 'audit-trail-state-'));
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  db.close();
  await server.close();
  rmSync(stateDir, { recursive: true, force: true });
});

function client(credentials: Credentials, verification: NonNullable<ConstructorParameters<typeof AuditTrailClient>[0]>['verification'] = {}, baseUrl = server.baseUrl): AuditTrailClient {
  const made = new AuditTrailClient({ baseUrl, ...credentials, verification });
  clients.push(made);
  return made;
}

/** A fresh application with `count` entries; the receipts of each. */
async function trailOf(count: number): Promise<{ credentials: Credentials; receipts: Receipt[] }> {
  const credentials = await server.createTenant('Attacked');
  const writer = client(credentials);
  const receipts: Receipt[] = [];
  for (let i = 1; i <= count; i += 1) receipts.push(await writer.log({ actorId: `user${i}`, action: 'REFUND', details: { amount: i * 10 }, idempotencyKey: `refund-${credentials.applicationId}-${i}` }));
  return { credentials, receipts };
}

/** The stored rows, read with the server's own row mapping. */
const rows = async (applicationId: string): Promise<StoredEntry[]> => new SqliteEntryRepository(db).range(applicationId, 1, Number.MAX_SAFE_INTEGER, 1_000_000);

/**
 * What a careful attacker does after editing rows: recompute every standalone and chained hash from the first
 * row on, move the stored chain head, and rebuild the whole Merkle tree table, exactly as the server would.
 */
async function recomputeEverything(applicationId: string): Promise<void> {
  let previous = GENESIS_HASH;
  const tree = new TreeAppender(0, []);
  for (const entry of await rows(applicationId)) {
    const standalone = standaloneHash(entry);
    const hash = chainHash(entry.sequence, previous, standalone);
    db.prepare('UPDATE entries SET standalone_hash = ?, previous_hash = ?, hash = ? WHERE id = ?').run(standalone, previous, hash, entry.id);
    tree.append(leafHash(entry));
    previous = hash;
  }
  db.prepare('UPDATE applications SET head_sequence = ?, head_hash = ? WHERE id = ?').run(tree.size, previous, applicationId);
  db.prepare('DELETE FROM tree_nodes WHERE application_id = ?').run(applicationId);
  const insert = db.prepare('INSERT INTO tree_nodes (application_id, level, idx, hash) VALUES (?, ?, ?, ?)');
  for (const node of tree.written) insert.run(applicationId, node.level, node.index, node.hash);
}

async function chainVerdict(credentials: Credentials): Promise<VerifyResult> {
  return (await api<VerifyResult>(server, PATHS.verifyChain, { credentials })).body;
}

async function integrityReason(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof IntegrityError) return error.reason;
    throw error;
  }
  return 'no error';
}

describe('a rewrite with every later hash, the head and the tree recomputed', () => {
  test('passes the chain check, and is detected by a client holding an earlier checkpoint, in memory or in its state file', async () => {
    const { credentials, receipts } = await trailOf(6);
    const stateFile = join(stateDir, 'rewrite.json');
    const watcher = client(credentials, { stateFile });
    expect((await watcher.latestCheckpoint()).treeSize).toBe(6);

    db.prepare('UPDATE entries SET details = ? WHERE id = ?').run(JSON.stringify({ amount: 99999 }), receipts[2]?.logEntryId as string);
    await recomputeEverything(credentials.applicationId);
    expect(await chainVerdict(credentials)).toMatchObject({ valid: true, checked: 6 });

    // Same size, another root: a fork.
    expect(await integrityReason(watcher.latestCheckpoint())).toBe('inconsistent');
    // The log goes on; a later run of the program, with only its state file, sees the forged tree cannot extend its own.
    await client(credentials).log({ actorId: 'mallory', action: 'COVER' });
    expect(await integrityReason(client(credentials, { stateFile }).latestCheckpoint())).toBe('inconsistent');
    // A client that kept only a receipt of an entry from before: its signed checkpoint is not extended either.
    expect(await integrityReason(client(credentials).verifyReceipt(receipts[5] as Receipt))).toBe('inconsistent');
    // The limit, stated in docs/verification.md: a client that kept nothing sees a consistent, signed, forged log.
    await expect(client(credentials).latestCheckpoint()).resolves.toMatchObject({ treeSize: 7, trustedOnFirstUse: true });
  });
});

describe("swapping two entries' idempotency keys, every hash recomputed", () => {
  test('is detected by a client holding an earlier checkpoint; a retry would otherwise return the other entry', async () => {
    const { credentials, receipts } = await trailOf(5);
    const watcher = client(credentials);
    await watcher.latestCheckpoint();
    const [ada, bob] = [receipts[1] as Receipt, receipts[4] as Receipt];
    const keyOf = (id: string) => (db.prepare('SELECT idempotency_key FROM entries WHERE id = ?').get(id) as { idempotency_key: string }).idempotency_key;
    const [adaKey, bobKey] = [keyOf(ada.logEntryId), keyOf(bob.logEntryId)];
    db.prepare('UPDATE entries SET idempotency_key = NULL WHERE id = ?').run(ada.logEntryId);
    db.prepare('UPDATE entries SET idempotency_key = ? WHERE id = ?').run(adaKey, bob.logEntryId);
    db.prepare('UPDATE entries SET idempotency_key = ? WHERE id = ?').run(bobKey, ada.logEntryId);
    await recomputeEverything(credentials.applicationId);
    expect(await chainVerdict(credentials)).toMatchObject({ valid: true, checked: 5 });

    expect(await integrityReason(watcher.latestCheckpoint())).toBe('inconsistent');
    expect(await integrityReason(client(credentials).verifyReceipt(ada))).toBe('inconsistent');
  });
});

describe('a truncation with the head moved back', () => {
  test('is detected as truncation, and once new entries reuse the numbers, as inconsistency', async () => {
    const { credentials, receipts } = await trailOf(6);
    const stateFile = join(stateDir, 'truncate.json');
    const watcher = client(credentials, { stateFile });
    await watcher.latestCheckpoint();

    db.prepare('DELETE FROM entries WHERE app = (SELECT position FROM applications WHERE id = ?) AND sequence > 4').run(credentials.applicationId);
    await recomputeEverything(credentials.applicationId);
    expect(await chainVerdict(credentials)).toMatchObject({ valid: true, checked: 4 });

    expect(await integrityReason(watcher.latestCheckpoint())).toBe('tree_truncated');
    expect(await integrityReason(client(credentials).verifyReceipt(receipts[5] as Receipt))).toBe('tree_truncated');
    // New entries take sequences 5..7: the tree is larger again, but it does not extend the one of 6.
    const writer = client(credentials);
    for (let i = 0; i < 3; i += 1) await writer.log({ actorId: 'mallory', action: 'REFILL' });
    expect(await integrityReason(client(credentials, { stateFile }).latestCheckpoint())).toBe('inconsistent');
    expect(await integrityReason(client(credentials).verifyReceipt(receipts[5] as Receipt))).toBe('inconsistent');
  });
});

describe('an untouched trail', () => {
  test('every receipt verifies, by a client that pins the key and one that trusts on first use', async () => {
    const { credentials, receipts } = await trailOf(5);
    const { verifierKey } = await client(credentials).merkleInfo();
    const pinned = client(credentials, { verifierKey, stateFile: join(stateDir, 'untouched.json') });
    for (const receipt of receipts) {
      const result = await pinned.verifyReceipt(receipt);
      expect(result.entry.id).toBe(receipt.logEntryId);
      expect(result.latest.treeSize).toBe(5);
      expect(result.checkpoint.trustedOnFirstUse).toBe(false);
    }
    expect((await client(credentials).verifyReceipt(receipts[0] as Receipt)).checkpoint.trustedOnFirstUse).toBe(true);
  });

  test('a receipt whose entry was edited in place is refused', async () => {
    const { credentials, receipts } = await trailOf(3);
    db.prepare('UPDATE entries SET details = ? WHERE id = ?').run(JSON.stringify({ amount: 1 }), receipts[1]?.logEntryId as string);
    expect(await integrityReason(client(credentials).verifyReceipt(receipts[1] as Receipt))).toBe('entry_mismatch');
  });
});

describe('a swapped signing key', () => {
  test('is refused by a client that pinned the key or remembered it, trusted by one that kept nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'audit-trail-swap-'));
    const keyDir = mkdtempSync(join(tmpdir(), 'audit-trail-swap-key-'));
    try {
      const honest = await startServer({ dataDir });
      const credentials = honest.credentials;
      const first = new AuditTrailClient({ baseUrl: honest.baseUrl, ...credentials });
      const receipt = await first.log({ actorId: 'ada', action: 'LOGIN' });
      const { verifierKey } = await first.merkleInfo();
      const stateFile = join(stateDir, 'swap.json');
      await new AuditTrailClient({ baseUrl: honest.baseUrl, ...credentials, verification: { stateFile } }).latestCheckpoint();
      await first.close();
      await honest.close();

      // The attacker restarts the service on the same data with a key of their own.
      const forged = formatSigningKey(loadSigningKey({ dataDir: keyDir }));
      const swapped = await startServer({ dataDir, seed: credentials, signingKey: forged });
      try {
        const pinned = client(credentials, { verifierKey }, swapped.baseUrl);
        expect(await integrityReason(pinned.latestCheckpoint())).toBe('key_changed');
        expect(await integrityReason(client(credentials, { stateFile }, swapped.baseUrl).latestCheckpoint())).toBe('key_changed');
        // A client that kept nothing but the receipt: the receipt's checkpoint is not signed by the key it now trusts.
        expect(await integrityReason(client(credentials, {}, swapped.baseUrl).verifyReceipt(receipt))).toBe('unknown_key');
        await expect(client(credentials, {}, swapped.baseUrl).latestCheckpoint()).resolves.toMatchObject({ trustedOnFirstUse: true });
      } finally {
        await swapped.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(keyDir, { recursive: true, force: true });
    }
  });
});
