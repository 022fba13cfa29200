/**
 * The hash chain. The server computes it when it stores entries and when it verifies them; SDK users call
 * {@link verifyChain} on entries they fetched, to check the service's work independently. Same code both sides.
 *
 * Recipe (hashVersion 1), also in docs/hash-chain.md:
 * - `canonical(entry)`: RFC 8785 (JCS) serialisation of the hashed fields ({@link HASHED_FIELDS}); fields that are
 *   absent or `null` are left out.
 * - `standaloneHash = SHA-256(canonical(entry))`
 * - `hash_i = SHA-256("audit-trail/v1/entry" || 0x00 || u64be(sequence_i) || hash_{i-1} || standaloneHash_i)`,
 *   hashes as raw 32-byte values; `hash_0` is 32 zero bytes. Hex (lower case) on the wire.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { StoredEntry, VerifyResult } from './schemas.js';

/** Domain-separation prefix of the chained hash. */
export const HASH_DOMAIN = 'audit-trail/v1/entry';

/** `hash_0`: the previous hash of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The version of this recipe, stored with every entry. */
export const HASH_VERSION = 1 as const;

/** The fields bound by the hash. The sequence number is bound separately; hashes and idempotency keys are not. */
export const HASHED_FIELDS = [
  'id',
  'applicationId',
  'timestamp',
  'actorId',
  'action',
  'details',
  'actorDisplayName',
  'actorRoles',
  'entityType',
  'entityId',
  'occurredAt',
  'ip',
] as const satisfies readonly (keyof StoredEntry)[];

/** The part of a stored entry that the hash covers. */
export type HashedEntry = Pick<StoredEntry, (typeof HASHED_FIELDS)[number]>;

const DOMAIN_BYTES = Buffer.concat([Buffer.from(HASH_DOMAIN, 'utf8'), Buffer.from([0])]);

/** RFC 8785 canonical JSON of the hashed fields of an entry. */
export function canonicalEntry(entry: HashedEntry): string {
  const picked: Record<string, unknown> = {};
  for (const field of HASHED_FIELDS) {
    const value = entry[field];
    if (value !== null && value !== undefined) picked[field] = value;
  }
  return canonicalize(picked) as string;
}

/** `SHA-256(canonical(entry))`, hex. */
export function standaloneHash(entry: HashedEntry): string {
  return createHash('sha256').update(canonicalEntry(entry), 'utf8').digest('hex');
}

/** The chained hash of the entry at `sequence`, given the previous entry's hash and this entry's standalone hash. */
export function chainHash(sequence: number, previousHash: string, standaloneHashHex: string): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  const seq = Buffer.alloc(8);
  seq.writeBigUInt64BE(BigInt(sequence));
  return createHash('sha256')
    .update(DOMAIN_BYTES)
    .update(seq)
    .update(Buffer.from(previousHash, 'hex'))
    .update(Buffer.from(standaloneHashHex, 'hex'))
    .digest('hex');
}

/** Options of {@link verifyChain}. */
export interface VerifyChainOptions {
  /**
   * The hash the first given entry must follow. Defaults to {@link GENESIS_HASH} when the first entry has
   * sequence 1, and to that entry's own `previousHash` otherwise (a range is checked relative to its start).
   */
  anchorHash?: string;
}

/**
 * Recomputes the chain over entries of one application, in ascending sequence order, and reports the first entry
 * that does not match: its data was changed (`standalone_hash_mismatch`, `hash_mismatch`), an entry before it was
 * removed (`sequence_gap`) or entries were reordered (`previous_hash_mismatch`, `sequence_gap`).
 */
export function verifyChain(entries: readonly StoredEntry[], options: VerifyChainOptions = {}): VerifyResult {
  const first = entries[0];
  if (!first) return { valid: true, checked: 0, lastHash: options.anchorHash ?? GENESIS_HASH };
  let previousHash = options.anchorHash ?? (first.sequence === 1 ? GENESIS_HASH : first.previousHash);
  let expectedSequence = first.sequence;
  let checked = 0;
  for (const entry of entries) {
    const fail = (reason: Extract<VerifyResult, { valid: false }>['reason']): VerifyResult => ({
      valid: false,
      checked,
      firstBadEntryId: entry.id,
      firstBadSequence: entry.sequence,
      reason,
    });
    if (entry.sequence !== expectedSequence) return fail('sequence_gap');
    const standalone = standaloneHash(entry);
    if (standalone !== entry.standaloneHash) return fail('standalone_hash_mismatch');
    if (entry.previousHash !== previousHash) return fail('previous_hash_mismatch');
    if (chainHash(entry.sequence, previousHash, standalone) !== entry.hash) return fail('hash_mismatch');
    checked += 1;
    previousHash = entry.hash;
    expectedSequence += 1;
  }
  return { valid: true, checked, lastHash: previousHash };
}
