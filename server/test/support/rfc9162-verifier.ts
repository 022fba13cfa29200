/**
 * A second, independent verifier of Merkle proofs, written step by step from the text of RFC 9162 (section
 * 2.1.3.2, "Verifying an Inclusion Proof", and section 2.1.4.2, "Verifying Consistency between Two Tree Heads"),
 * with BigInt shifts exactly as the RFC words them. It shares no code with the SDK's verifier (sdk/contract/merkle.ts,
 * which follows a different, bit-decomposition formulation) nor with the server's proof generation; tests check
 * the server's proofs with both.
 */
import { createHash } from 'node:crypto';

const HASH = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};
const NODE = Buffer.from([0x01]);
const LSB = (value: bigint): boolean => (value & 1n) === 1n;

/** RFC 9162 section 2.1.3.2, steps 1-5. `hash` is the leaf hash. */
export function rfcVerifyInclusion(leafIndex: number, treeSize: number, hash: Buffer, inclusionPath: readonly Buffer[], rootHash: Buffer): boolean {
  // 1. If leaf_index >= tree_size, fail.
  if (leafIndex >= treeSize) return false;
  // 2. Set fn to leaf_index and sn to tree_size - 1.
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize) - 1n;
  // 3. Set r to hash.
  let r = hash;
  // 4. For each value p in the inclusion_path array:
  for (const p of inclusionPath) {
    // a. If sn is 0, then stop the iteration and fail the proof verification.
    if (sn === 0n) return false;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (LSB(fn) || fn === sn) {
      // i. Set r to HASH(0x01 || p || r).
      r = HASH(NODE, p, r);
      // ii. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn) is set or fn is 0.
      if (!LSB(fn)) {
        while (!LSB(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      // Otherwise: i. Set r to HASH(0x01 || r || p).
      r = HASH(NODE, r, p);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5. If sn is equal to 0 and r and the root_hash are equal, the inclusion is proven.
  return sn === 0n && r.equals(rootHash);
}

/** RFC 9162 section 2.1.4.2, steps 1-7, for 0 < first < second. */
export function rfcVerifyConsistency(
  first: number,
  second: number,
  firstHash: Buffer,
  secondHash: Buffer,
  consistencyPath: readonly Buffer[],
): boolean {
  if (!(first > 0 && first < second)) return false;
  // 1. If consistency_path is an empty array, stop and fail the proof verification.
  if (consistencyPath.length === 0) return false;
  // 2. If first is an exact power of 2, then prepend first_hash to the consistency_path array.
  const path = (BigInt(first) & (BigInt(first) - 1n)) === 0n ? [firstHash, ...consistencyPath] : [...consistencyPath];
  // 3. Set fn to first - 1 and sn to second - 1.
  let fn = BigInt(first) - 1n;
  let sn = BigInt(second) - 1n;
  // 4. If LSB(fn) is set, then right-shift both fn and sn equally until LSB(fn) is not set.
  while (LSB(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5. Set both fr and sr to the first value in the consistency_path array.
  let fr = path[0] as Buffer;
  let sr = path[0] as Buffer;
  // 6. For each subsequent value c in the consistency_path array:
  for (const c of path.slice(1)) {
    // a. If sn is 0, then stop the iteration and fail the proof verification.
    if (sn === 0n) return false;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (LSB(fn) || fn === sn) {
      // i. Set fr to HASH(0x01 || c || fr). ii. Set sr to HASH(0x01 || c || sr).
      fr = HASH(NODE, c, fr);
      sr = HASH(NODE, c, sr);
      // iii. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn) is set or fn is 0.
      if (!LSB(fn)) {
        while (!LSB(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      // Otherwise: i. Set sr to HASH(0x01 || sr || c).
      sr = HASH(NODE, sr, c);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn >>= 1n;
    sn >>= 1n;
  }
  // 7. fr equals first_hash, sr equals second_hash, and sn is 0.
  return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0n;
}

/** MTH(D[n]) of RFC 9162 section 2.1.1, by its recursive definition, from leaf hashes. */
export function rfcTreeHash(leafHashes: readonly Buffer[]): Buffer {
  const n = leafHashes.length;
  if (n === 0) return HASH();
  if (n === 1) return leafHashes[0] as Buffer;
  let k = 1;
  while (k * 2 < n) k *= 2;
  return HASH(NODE, rfcTreeHash(leafHashes.slice(0, k)), rfcTreeHash(leafHashes.slice(k)));
}
