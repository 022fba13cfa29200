/**
 * The Merkle tree of an application's entries, RFC 9162 section 2.1 (the RFC 6962 tree): hashing and the two
 * proof verifications a client runs. The server builds the tree with the same {@link leafHash} and
 * {@link nodeHash}; the client checks the server's proofs with {@link verifyInclusion} and
 * {@link verifyConsistency} and never needs more than the proof, the sizes and the roots.
 *
 * - leaf `i` (0-based) is the entry with sequence `i + 1`: `leafHash = SHA-256(0x00 || canonical entry bytes)`,
 *   the same canonical bytes the hash chain hashes (chain.ts);
 * - `nodeHash = SHA-256(0x01 || left || right)`;
 * - the root of the empty tree is `SHA-256()`.
 *
 * The verifiers follow the bit-level formulation of transparency-dev/merkle (an inclusion path splits into an
 * "inner" part and a "border" part at the point where the paths to `index` and to `size - 1` diverge); the tests
 * check them against a second verifier written from the RFC's own step-by-step text and against published vectors.
 */
import { createHash } from 'node:crypto';
import { canonicalEntry, type HashedEntry } from './chain.js';
import { sha256, sha256Hex } from './sha256.js';

/** Size of every hash of the tree, in bytes. */
export const TREE_HASH_BYTES = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** `SHA-256(0x00 || data)`: the hash of a leaf whose content is `data`. */
export function leafHashOfBytes(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** The leaf hash of an entry: `SHA-256(0x00 || UTF-8 of the canonical entry)`, the bytes the chain hashes. */
export function leafHash(entry: HashedEntry): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(canonicalEntry(entry), 'utf8').digest();
}

/**
 * The entry's `standaloneHash` (chain.ts: `SHA-256(canonical)`, hex) and its leaf hash, from ONE canonical
 * serialisation: canonicalising is most of an append's hashing cost, so the ledger does it once for both.
 */
export function entryHashes(entry: HashedEntry): { standaloneHash: string; leafHash: Buffer } {
  return hashesOfCanonical(canonicalEntry(entry));
}

/**
 * {@link entryHashes} from the entry's canonical form, already made (the server's ledger makes it with a writer
 * specialised to the hashed fields, byte for byte {@link canonicalEntry}).
 */
export function hashesOfCanonical(canonicalText: string): { standaloneHash: string; leafHash: Buffer } {
  // 0x00 then the canonical bytes, in one buffer: the leaf hashes all of it, the standalone hash all but the prefix.
  const prefixed = Buffer.allocUnsafe(1 + Buffer.byteLength(canonicalText, 'utf8'));
  prefixed[0] = 0x00;
  prefixed.write(canonicalText, 1, 'utf8');
  return { standaloneHash: sha256Hex(prefixed.subarray(1)), leafHash: sha256(prefixed) };
}

/** The input of {@link nodeHash} for two 32-byte children, reused call after call (a tree hashes about one per leaf). */
const NODE_INPUT = Buffer.alloc(1 + 2 * TREE_HASH_BYTES, 0x01);

/** `SHA-256(0x01 || left || right)`: the hash of an interior node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length === TREE_HASH_BYTES && right.length === TREE_HASH_BYTES) {
    NODE_INPUT.set(left, 1);
    NODE_INPUT.set(right, 1 + TREE_HASH_BYTES);
    return sha256(NODE_INPUT);
  }
  // Any other length (a malformed proof): hashed as given, as always.
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The root of the empty tree: `SHA-256()` of nothing. */
export const EMPTY_TREE_ROOT: Buffer = createHash('sha256').digest();

/**
 * The root of a tree built leaf by leaf in O(log n) memory: it keeps the root of each complete perfect subtree of
 * the leaves so far (one per set bit of the size) and folds them from the right for the root.
 */
export class MerkleRootBuilder {
  readonly #stack: { level: number; hash: Buffer }[] = [];
  #size = 0;

  /** Number of leaves appended. */
  get size(): number {
    return this.#size;
  }

  /** Appends a leaf hash. */
  append(leaf: Uint8Array): void {
    let node: { level: number; hash: Buffer } = { level: 0, hash: Buffer.from(leaf) };
    for (let top = this.#stack[this.#stack.length - 1]; top && top.level === node.level; top = this.#stack[this.#stack.length - 1]) {
      this.#stack.pop();
      node = { level: node.level + 1, hash: nodeHash(top.hash, node.hash) };
    }
    this.#stack.push(node);
    this.#size += 1;
  }

  /** The root of the leaves so far (RFC 9162 `MTH`). */
  root(): Buffer {
    let root: Buffer | undefined;
    for (let i = this.#stack.length - 1; i >= 0; i -= 1) {
      const { hash } = this.#stack[i] as { hash: Buffer };
      root = root === undefined ? hash : nodeHash(hash, root);
    }
    return root ?? EMPTY_TREE_ROOT;
  }
}

/** Why a proof did not verify. */
export type ProofFailure =
  /** Index or sizes out of range (e.g. `index >= size`, `first > second`). */
  | 'bad_range'
  /** The proof has the wrong number of hashes for these sizes, or a hash of the wrong length. */
  | 'bad_proof_size'
  /** The hashes do not lead to the expected root(s). */
  | 'root_mismatch';

/** The outcome of a proof check: `ok`, or why not. */
export type ProofCheck = { ok: true } | { ok: false; failure: ProofFailure };

const OK: ProofCheck = { ok: true };
const fail = (failure: ProofFailure): ProofCheck => ({ ok: false, failure });

// Sizes and indexes go up to 2^53 - 1: bit operations on them use BigInt-free arithmetic through these helpers,
// because JavaScript's `>>`/`&` truncate to 32 bits.
const isSafeCount = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;

/** Number of bits needed to write `value` (0 for 0). */
function bitLength(value: number): number {
  let bits = 0;
  for (let v = value; v > 0; v = Math.floor(v / 2)) bits += 1;
  return bits;
}

/** Number of set bits of `value`. */
function onesCount(value: number): number {
  let ones = 0;
  for (let v = value; v > 0; v = Math.floor(v / 2)) ones += v % 2;
  return ones;
}

/** Number of trailing zero bits of `value` (> 0). */
function trailingZeros(value: number): number {
  let zeros = 0;
  for (let v = value; v % 2 === 0; v /= 2) zeros += 1;
  return zeros;
}

/** Bit `bit` of `value`. */
const bitAt = (value: number, bit: number): number => Math.floor(value / 2 ** bit) % 2;

/** `value XOR other` for non-negative safe integers. */
function xor(value: number, other: number): number {
  let result = 0;
  for (let bit = 0, a = value, b = other; a > 0 || b > 0; bit += 1, a = Math.floor(a / 2), b = Math.floor(b / 2)) {
    if (a % 2 !== b % 2) result += 2 ** bit;
  }
  return result;
}

/** Splits an inclusion proof of `index` in a tree of `size` into its inner and border lengths. */
function decomposeInclusion(index: number, size: number): { inner: number; border: number } {
  const inner = bitLength(xor(index, size - 1));
  const border = onesCount(Math.floor(index / 2 ** inner));
  return { inner, border };
}

/** Folds the inner part of a proof: at each level the seed is the left or right child depending on `index`. */
function chainInner(seed: Buffer, proof: readonly Uint8Array[], index: number): Buffer {
  let hash = seed;
  proof.forEach((sibling, level) => {
    hash = bitAt(index, level) === 0 ? nodeHash(hash, sibling) : nodeHash(sibling, hash);
  });
  return hash;
}

/** Like {@link chainInner} but only the levels where the seed is a right child (the old tree's left neighbours). */
function chainInnerRight(seed: Buffer, proof: readonly Uint8Array[], index: number): Buffer {
  let hash = seed;
  proof.forEach((sibling, level) => {
    if (bitAt(index, level) === 1) hash = nodeHash(sibling, hash);
  });
  return hash;
}

/** Folds the border part: every remaining sibling is on the left. */
function chainBorderRight(seed: Buffer, proof: readonly Uint8Array[]): Buffer {
  let hash = seed;
  for (const sibling of proof) hash = nodeHash(sibling, hash);
  return hash;
}

const wellFormed = (proof: readonly Uint8Array[]): boolean => proof.every((hash) => hash.length === TREE_HASH_BYTES);

/**
 * The root an inclusion proof leads to (RFC 9162 section 2.1.3.2), or a failure when the proof cannot be
 * applied at all.
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): { ok: true; root: Buffer } | { ok: false; failure: ProofFailure } {
  if (!isSafeCount(index) || !isSafeCount(size) || index >= size) return { ok: false, failure: 'bad_range' };
  if (leaf.length !== TREE_HASH_BYTES || !wellFormed(proof)) return { ok: false, failure: 'bad_proof_size' };
  const { inner, border } = decomposeInclusion(index, size);
  if (proof.length !== inner + border) return { ok: false, failure: 'bad_proof_size' };
  const root = chainBorderRight(chainInner(Buffer.from(leaf), proof.slice(0, inner), index), proof.slice(inner));
  return { ok: true, root };
}

/** Checks that `leaf` is leaf `index` of the tree of `size` leaves whose root is `root` (RFC 9162 section 2.1.3.2). */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): ProofCheck {
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  if (!computed.ok) return fail(computed.failure);
  return computed.root.equals(root) ? OK : fail('root_mismatch');
}

/**
 * Checks that the tree of `secondSize` leaves with root `secondRoot` extends the tree of `firstSize` leaves with
 * root `firstRoot` (RFC 9162 section 2.1.4.2): same leaves, in the same order, only appended to.
 */
export function verifyConsistency(
  firstSize: number,
  secondSize: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): ProofCheck {
  if (!isSafeCount(firstSize) || !isSafeCount(secondSize) || firstSize > secondSize) return fail('bad_range');
  if (!wellFormed(proof)) return fail('bad_proof_size');
  if (firstSize === secondSize) {
    if (proof.length !== 0) return fail('bad_proof_size');
    return Buffer.from(firstRoot).equals(secondRoot) ? OK : fail('root_mismatch');
  }
  // Every tree extends the empty tree; the proof is empty.
  if (firstSize === 0) return proof.length === 0 ? OK : fail('bad_proof_size');
  if (proof.length === 0) return fail('bad_proof_size');

  const { inner: fullInner, border } = decomposeInclusion(firstSize - 1, secondSize);
  // The part of the path shared by the old tree's last leaf that is a perfect subtree of the old tree is skipped:
  // its root is the old root itself (when the old tree is perfect) or the proof's first hash.
  const shift = trailingZeros(firstSize);
  const inner = fullInner - shift;
  let seed: Buffer;
  let rest: readonly Uint8Array[];
  if (firstSize === 2 ** shift) {
    seed = Buffer.from(firstRoot);
    rest = proof;
  } else {
    seed = Buffer.from(proof[0] as Uint8Array);
    rest = proof.slice(1);
  }
  if (rest.length !== inner + border) return fail('bad_proof_size');
  const mask = Math.floor((firstSize - 1) / 2 ** shift);
  const innerPart = rest.slice(0, inner);
  const borderPart = rest.slice(inner);
  const first = chainBorderRight(chainInnerRight(seed, innerPart, mask), borderPart);
  if (!first.equals(firstRoot)) return fail('root_mismatch');
  const second = chainBorderRight(chainInner(seed, innerPart, mask), borderPart);
  return second.equals(secondRoot) ? OK : fail('root_mismatch');
}
