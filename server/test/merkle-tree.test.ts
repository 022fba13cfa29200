/**
 * The stored Merkle tree (server/src/merkle/tree.ts): its roots and proofs match RFC 9162 by the published
 * Certificate Transparency reference vectors, by the RFC's recursive definition, by a second verifier written from
 * the RFC's text (support/rfc9162-verifier.ts), and by the SDK's verifier; tampered proofs fail both verifiers.
 */
import { EMPTY_TREE_ROOT, entryHashes, leafHash, leafHashOfBytes, verifyConsistency, verifyInclusion } from '../../sdk/src/contract/merkle.js';
import { canonicalEntry, standaloneHash, HASH_VERSION } from '../../sdk/src/contract/chain.js';
import { TreeAppender, consistencyProof, frontierRefs, inclusionProof, treeRoot, type NodeReader } from '../src/merkle/tree.js';
import { rfcTreeHash, rfcVerifyConsistency, rfcVerifyInclusion } from './support/rfc9162-verifier.js';

/** Leaves d0..d7 of the RFC 6962 reference test suite (google/certificate-transparency, Trillian, transparency-dev). */
const REFERENCE_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
/** Their published roots for sizes 1..8. */
const REFERENCE_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
/** Published proofs in that tree. */
const REFERENCE_INCLUSION: Record<string, string[]> = {
  '0/8': [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ],
  '5/8': [
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ],
};
const REFERENCE_CONSISTENCY: Record<string, string[]> = {
  '1/8': REFERENCE_INCLUSION['0/8'] as string[],
  '6/8': [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ],
  '2/5': [
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  ],
};

/** A tree of `leaves` built the way the ledger builds it (appends), its nodes in a map like the store's table. */
function storedTree(leaves: readonly Buffer[]): { read: NodeReader; nodes: Map<string, Buffer>; appender: TreeAppender } {
  const nodes = new Map<string, Buffer>();
  const appender = new TreeAppender(0, []);
  for (const leaf of leaves) {
    appender.append(leaf);
    for (const node of appender.written.splice(0)) nodes.set(`${node.level}:${node.index}`, node.hash);
  }
  const read: NodeReader = (level, index) => {
    const hash = nodes.get(`${level}:${index}`);
    if (!hash) throw new Error(`node ${level}:${index} not stored`);
    return hash;
  };
  return { read, nodes, appender };
}

const hex = (hashes: readonly Buffer[]): string[] => hashes.map((hash) => hash.toString('hex'));
const leavesOf = (count: number): Buffer[] => Array.from({ length: count }, (_, i) => leafHashOfBytes(Buffer.from(`entry ${i}`)));
const flip = (hash: Buffer): Buffer => {
  const copy = Buffer.from(hash);
  copy[0] = (copy[0] as number) ^ 1;
  return copy;
};

describe('the stored tree against the RFC 6962 reference vectors', () => {
  const leaves = REFERENCE_LEAVES.map((data) => leafHashOfBytes(Buffer.from(data, 'hex')));
  const { read } = storedTree(leaves);

  test('roots of sizes 0..8', () => {
    expect(treeRoot(0, read).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(EMPTY_TREE_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    REFERENCE_ROOTS.forEach((root, i) => expect(treeRoot(i + 1, read).toString('hex')).toBe(root));
  });

  test('inclusion proofs equal the published ones and verify', () => {
    for (const [name, expected] of Object.entries(REFERENCE_INCLUSION)) {
      const [index, size] = name.split('/').map(Number) as [number, number];
      const proof = inclusionProof(index, size, read);
      expect(hex(proof)).toEqual(expected);
      const root = Buffer.from(REFERENCE_ROOTS[size - 1] as string, 'hex');
      expect(verifyInclusion(index, size, leaves[index] as Buffer, proof, root)).toEqual({ ok: true });
      expect(rfcVerifyInclusion(index, size, leaves[index] as Buffer, proof, root)).toBe(true);
    }
  });

  test('consistency proofs equal the published ones and verify', () => {
    for (const [name, expected] of Object.entries(REFERENCE_CONSISTENCY)) {
      const [first, second] = name.split('/').map(Number) as [number, number];
      const proof = consistencyProof(first, second, read);
      expect(hex(proof)).toEqual(expected);
      const firstRoot = Buffer.from(REFERENCE_ROOTS[first - 1] as string, 'hex');
      const secondRoot = Buffer.from(REFERENCE_ROOTS[second - 1] as string, 'hex');
      expect(verifyConsistency(first, second, firstRoot, secondRoot, proof)).toEqual({ ok: true });
      expect(rfcVerifyConsistency(first, second, firstRoot, secondRoot, proof)).toBe(true);
    }
  });
});

describe('every proof of every tree up to 70 leaves', () => {
  const MAX = 70;
  const leaves = leavesOf(MAX);
  const { read, nodes } = storedTree(leaves);
  const roots = Array.from({ length: MAX + 1 }, (_, size) => rfcTreeHash(leaves.slice(0, size)));

  test('appending stores each perfect subtree once: 2n - popcount(n) nodes', () => {
    const ones = MAX.toString(2).split('').filter((bit) => bit === '1').length;
    expect(nodes.size).toBe(2 * MAX - ones);
  });

  test("the root of every size, folded from its frontier, equals the RFC's recursive MTH", () => {
    for (let size = 0; size <= MAX; size += 1) {
      expect(treeRoot(size, read).equals(roots[size] as Buffer)).toBe(true);
      expect(frontierRefs(size).length).toBe(size.toString(2).split('').filter((bit) => bit === '1').length);
    }
  });

  test('inclusion: both verifiers accept every proof, and reject it with a flipped hash or for another leaf', () => {
    for (let size = 1; size <= MAX; size += 1) {
      const root = roots[size] as Buffer;
      for (let index = 0; index < size; index += 1) {
        const leaf = leaves[index] as Buffer;
        const proof = inclusionProof(index, size, read);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        expect(verifyInclusion(index, size, leaf, proof, root).ok).toBe(true);
        expect(rfcVerifyInclusion(index, size, leaf, proof, root)).toBe(true);
        if (proof.length > 0) {
          const bad = proof.map((hash, i) => (i === proof.length - 1 ? flip(hash) : hash));
          expect(verifyInclusion(index, size, leaf, bad, root).ok).toBe(false);
          expect(rfcVerifyInclusion(index, size, leaf, bad, root)).toBe(false);
        }
        const other = (index + 1) % size;
        if (other !== index) {
          expect(verifyInclusion(other, size, leaf, proof, root).ok).toBe(false);
          expect(rfcVerifyInclusion(other, size, leaf, proof, root)).toBe(false);
        }
      }
    }
  });

  test('consistency: both verifiers accept every proof and reject a forked second tree', () => {
    for (let second = 1; second <= MAX; second += 1) {
      for (let first = 1; first < second; first += 1) {
        const proof = consistencyProof(first, second, read);
        const [firstRoot, secondRoot] = [roots[first] as Buffer, roots[second] as Buffer];
        expect(verifyConsistency(first, second, firstRoot, secondRoot, proof).ok).toBe(true);
        expect(rfcVerifyConsistency(first, second, firstRoot, secondRoot, proof)).toBe(true);
        // A second tree whose leaf `first - 1` was rewritten (a fork) cannot be proven consistent.
        const forked = rfcTreeHash(leaves.slice(0, second).map((leaf, i) => (i === first - 1 ? flip(leaf) : leaf)));
        expect(verifyConsistency(first, second, firstRoot, forked, proof).ok).toBe(false);
        expect(rfcVerifyConsistency(first, second, firstRoot, forked, proof)).toBe(false);
        // Nor can a rewritten first tree.
        expect(verifyConsistency(first, second, flip(firstRoot), secondRoot, proof).ok).toBe(false);
        expect(rfcVerifyConsistency(first, second, flip(firstRoot), secondRoot, proof)).toBe(false);
      }
    }
  });

  test('edge cases: equal sizes, the empty first tree, sizes out of range', () => {
    const root = roots[5] as Buffer;
    expect(verifyConsistency(5, 5, root, root, [])).toEqual({ ok: true });
    expect(verifyConsistency(5, 5, root, flip(root), [])).toEqual({ ok: false, failure: 'root_mismatch' });
    expect(verifyConsistency(0, 5, EMPTY_TREE_ROOT, root, [])).toEqual({ ok: true });
    expect(verifyConsistency(6, 5, root, root, [])).toEqual({ ok: false, failure: 'bad_range' });
    expect(verifyInclusion(5, 5, leaves[0] as Buffer, [], root)).toEqual({ ok: false, failure: 'bad_range' });
    expect(verifyInclusion(0, 5, leaves[0] as Buffer, inclusionProof(0, 5, read).slice(1), root)).toEqual({ ok: false, failure: 'bad_proof_size' });
    expect(() => inclusionProof(5, 5, read)).toThrow(RangeError);
    expect(() => consistencyProof(6, 5, read)).toThrow(RangeError);
  });
});

describe('leaf hashes of entries', () => {
  test("are SHA-256(0x00 || the chain's canonical bytes); entryHashes gives the chain's standaloneHash from the same bytes", () => {
    const entry = {
      id: '00000000-0000-4000-8000-000000000001',
      applicationId: 'app',
      timestamp: '2026-01-31T12:00:00.000Z',
      actorId: 'ada',
      action: 'LOGIN',
      details: { b: 1, a: 'é' },
      actorDisplayName: null,
      actorRoles: null,
      entityType: null,
      entityId: null,
      occurredAt: null,
      ip: null,
      idempotencyKey: 'k1',
      sequence: 7,
      hashVersion: HASH_VERSION,
    };
    expect(leafHash(entry).equals(leafHashOfBytes(Buffer.from(canonicalEntry(entry), 'utf8')))).toBe(true);
    expect(entryHashes(entry)).toEqual({ standaloneHash: standaloneHash(entry), leafHash: leafHash(entry) });
  });
});
