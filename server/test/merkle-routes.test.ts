/**
 * The Merkle routes end to end against the real server: receipts carry a signed checkpoint covering them,
 * latestTreeHead is signed by the key /merkle/info publishes, and the inclusion and consistency proofs verify with
 * the independent RFC 9162 verifier (support/rfc9162-verifier.ts) against signed roots. Also: the signing key file
 * (owner-only, the same across restarts, configurable) and a database from before the tree existed.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import {
  PATHS,
  type BatchResponse,
  type ConsistencyProof,
  type InclusionProof,
  type ListResponse,
  type MerkleInfo,
  type Receipt,
  type TreeHead,
} from '../../sdk/src/contract/schemas.js';
import { leafHash } from '../../sdk/src/contract/merkle.js';
import { openCheckpoint, parseVerifierKey, type Checkpoint } from '../../sdk/src/contract/note.js';
import { buildServer } from '../src/app.js';
import { SIGNING_KEY_FILE, formatSigningKey, loadSigningKey } from '../src/merkle/signing-key.js';
import { sqlite } from '../src/store/sqlite-module.js';
import { startServer, type TestServer } from './support/start-server.js';
import { api, expectError } from './support/http.js';
import { rfcTreeHash, rfcVerifyConsistency, rfcVerifyInclusion } from './support/rfc9162-verifier.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

async function info(): Promise<MerkleInfo> {
  return (await api<MerkleInfo>(server, PATHS.merkleInfo)).body;
}

async function open(note: string): Promise<Checkpoint> {
  const { verifierKey, origin } = await info();
  const opened = openCheckpoint(note, parseVerifierKey(verifierKey), origin);
  if (!opened.ok) throw new Error(`checkpoint did not open: ${opened.failure}`);
  return opened.checkpoint;
}

const b64 = (hashes: string[]): Buffer[] => hashes.map((hash) => Buffer.from(hash, 'base64'));

describe('Merkle routes', () => {
  test('receipts carry a signed checkpoint of a tree that includes them; one per batch', async () => {
    const single = await api<Receipt>(server, PATHS.log('ada', 'LOGIN'), { body: { n: 1 } });
    expect(single.status).toBe(201);
    expect(single.body.treeSize).toBe(single.body.sequence);
    const checkpoint = await open(single.body.checkpoint);
    expect(checkpoint.treeSize).toBe(single.body.treeSize);
    expect(checkpoint.origin).toBe(`audit-trail.local/app/${server.credentials.applicationId}`);

    const batch = await api<BatchResponse>(server, PATHS.batch, { body: { entries: [{ actorId: 'a', action: 'X' }, { actorId: 'b', action: 'Y' }] } });
    const receipts = batch.body.results.map((result) => (result.status === 'rejected' ? undefined : result.receipt));
    const [first, second] = receipts as [Receipt, Receipt];
    expect(first.checkpoint).toBe(second.checkpoint);
    expect(first.treeSize).toBe(second.sequence);

    // The entry's own canonical bytes are leaf `sequence - 1` of that signed tree.
    const entry = (await api<{ id: string } & Parameters<typeof leafHash>[0]>(server, `${PATHS.entryById}?entryId=${first.logEntryId}`)).body;
    const proof = (await api<InclusionProof>(server, `${PATHS.inclusionProof}?entryId=${first.logEntryId}&treeSize=${first.treeSize}`)).body;
    expect(proof).toMatchObject({ logEntryId: first.logEntryId, sequence: first.sequence, leafIndex: first.sequence - 1, treeSize: first.treeSize });
    expect(proof.leafHash).toBe(leafHash(entry).toString('base64'));
    const signed = await open(first.checkpoint);
    expect(rfcVerifyInclusion(proof.leafIndex, proof.treeSize, leafHash(entry), b64(proof.auditPath), signed.rootHash)).toBe(true);
  });

  test('every entry proves inclusion in the latest tree, by id and by sequence; every older tree is consistent with it', async () => {
    await api(server, PATHS.batch, { body: { entries: Array.from({ length: 20 }, (_, i) => ({ actorId: `u${i}`, action: 'STEP' })) } });
    const head = (await api<TreeHead>(server, PATHS.latestTreeHead)).body;
    const checkpoint = await open(head.checkpoint);
    expect(checkpoint).toMatchObject({ treeSize: head.treeSize });
    expect(checkpoint.rootHash.toString('base64')).toBe(head.rootHash);
    const entries = (await api<ListResponse>(server, `${PATHS.entries}?order=asc&limit=1000`)).body.entries;
    expect(entries).toHaveLength(head.treeSize);
    // The roots of every older size, computed here from the listed entries by the RFC's definition.
    const leaves = entries.map((entry) => leafHash(entry));
    const rootAt = (size: number): Buffer => rfcTreeHash(leaves.slice(0, size));
    expect(rootAt(head.treeSize).equals(checkpoint.rootHash)).toBe(true);
    for (const entry of entries) {
      const bySequence = (await api<InclusionProof>(server, `${PATHS.inclusionProof}?sequence=${entry.sequence}`)).body;
      expect(bySequence.treeSize).toBe(head.treeSize);
      expect(rfcVerifyInclusion(entry.sequence - 1, head.treeSize, leafHash(entry), b64(bySequence.auditPath), checkpoint.rootHash)).toBe(true);
      const atOwnSize = (await api<InclusionProof>(server, `${PATHS.inclusionProof}?entryId=${entry.id}&treeSize=${entry.sequence}`)).body;
      expect(rfcVerifyInclusion(entry.sequence - 1, entry.sequence, leafHash(entry), b64(atOwnSize.auditPath), rootAt(entry.sequence))).toBe(true);
    }
    for (let first = 1; first < head.treeSize; first += 1) {
      const proof = (await api<ConsistencyProof>(server, `${PATHS.consistencyProof}?firstTreeSize=${first}`)).body;
      expect(proof).toMatchObject({ firstTreeSize: first, secondTreeSize: head.treeSize });
      expect(rfcVerifyConsistency(first, head.treeSize, rootAt(first), checkpoint.rootHash, b64(proof.consistencyPath))).toBe(true);
    }
  });

  test('bad proof requests get a 4xx naming the field', async () => {
    const head = (await api<TreeHead>(server, PATHS.latestTreeHead)).body;
    expectError(await api(server, PATHS.inclusionProof), 400, 'missing_field', 'entryId');
    expectError(await api(server, `${PATHS.inclusionProof}?sequence=1&entryId=x`), 400, 'invalid_field', 'entryId');
    expectError(await api(server, `${PATHS.inclusionProof}?sequence=${head.treeSize + 1}`), 404, 'not_found', 'sequence');
    expectError(await api(server, `${PATHS.inclusionProof}?sequence=1&treeSize=${head.treeSize + 1}`), 400, 'invalid_field', 'treeSize');
    expectError(await api(server, `${PATHS.inclusionProof}?sequence=3&treeSize=2`), 400, 'invalid_field', 'treeSize');
    expectError(await api(server, `${PATHS.consistencyProof}?firstTreeSize=3&secondTreeSize=2`), 400, 'invalid_field', 'firstTreeSize');
    expectError(await api(server, `${PATHS.consistencyProof}?firstTreeSize=1&secondTreeSize=${head.treeSize + 1}`), 400, 'invalid_field', 'secondTreeSize');
    expectError(await api(server, PATHS.latestTreeHead, { credentials: null }), 401, 'unauthorized');
  });

  test('an empty application has a signed empty tree', async () => {
    const credentials = await server.createTenant('Empty');
    const head = (await api<TreeHead>(server, PATHS.latestTreeHead, { credentials })).body;
    expect(head).toMatchObject({ treeSize: 0, rootHash: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' });
    expect(head.origin).toBe(`audit-trail.local/app/${credentials.applicationId}`);
  });
});

describe('the signing key', () => {
  test('is created on first start owner-only, and the same key signs after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'audit-trail-key-'));
    try {
      const first = await startServer({ dataDir });
      const firstKey = first.app.checkpoints.verifierKey;
      const seed = first.credentials;
      await first.close();
      expect(statSync(join(dataDir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      const second = await startServer({ dataDir, seed });
      expect(second.app.checkpoints.verifierKey).toBe(firstKey);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('comes from configuration when given, so that every process of a deployment signs with it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'audit-trail-key-'));
    const keyDir = mkdtempSync(join(tmpdir(), 'audit-trail-key-'));
    try {
      const configured = loadSigningKey({ dataDir: keyDir, name: 'audit.example.com' });
      const text = formatSigningKey(configured);
      const a = await buildServer({ dataDir, signingKey: text });
      const b = await buildServer({ dataDir, signingKeyFile: join(keyDir, SIGNING_KEY_FILE) });
      expect(a.checkpoints.verifierKey).toMatch(/^audit\.example\.com\+[0-9a-f]{8}\+/);
      expect(b.checkpoints.verifierKey).toBe(a.checkpoints.verifierKey);
      await a.close();
      await b.close();
      await expect(buildServer({ dataDir, signingKey: text.replace('PRIVATE', 'PUBLIC') })).rejects.toThrow(/PRIVATE\+KEY/);
      await expect(buildServer({ store: { close: async () => undefined } as never })).rejects.toThrow(/signing key/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(keyDir, { recursive: true, force: true });
    }
  });
});

describe('a database from before the tree existed', () => {
  test('gets its tree built from its entries, with the same root', async () => {
    const credentials = await server.createTenant('Legacy');
    await api(server, PATHS.batch, { credentials, body: { entries: Array.from({ length: 13 }, (_, i) => ({ actorId: `u${i}`, action: 'OLD' })) } });
    const before = (await api<TreeHead>(server, PATHS.latestTreeHead, { credentials })).body;
    const db: DatabaseSync = new sqlite.DatabaseSync(server.dbPath);
    try {
      db.prepare('DELETE FROM tree_nodes WHERE application_id = ?').run(credentials.applicationId);
    } finally {
      db.close();
    }
    const after = (await api<TreeHead>(server, PATHS.latestTreeHead, { credentials })).body;
    expect(after).toEqual(before);
    const receipt = (await api<Receipt>(server, PATHS.log('ada', 'NEW'), { credentials, body: {} })).body;
    expect(receipt.treeSize).toBe(14);
  });
});
