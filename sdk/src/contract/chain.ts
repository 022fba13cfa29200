/**
 * The hash chain. The server computes it when it stores entries and when it verifies them; SDK users call
 * {@link verifyChain} on entries they fetched, to check the service's work independently. Same code both sides.
 *
 * Recipe, also in docs/hash-chain.md. Every entry carries the `hashVersion` it was hashed with; new entries are
 * version 2, entries stored before it stay version 1 and are verified with the version-1 recipe.
 * - `canonical(entry)`: RFC 8785 (JCS) serialisation of the hashed fields of its version ({@link HASHED_FIELDS},
 *   {@link HASHED_FIELDS_V1}); fields that are absent or `null` are left out.
 * - `standaloneHash = SHA-256(canonical(entry))`
 * - `hash_i = SHA-256(domain(version) || 0x00 || u64be(sequence_i) || hash_{i-1} || standaloneHash_i)`,
 *   hashes as raw 32-byte values; `hash_0` is 32 zero bytes. Hex (lower case) on the wire.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { LIMITS } from './limits.js';
import { sha256Hex } from './sha256.js';

import type { ChainBreak, ChainFailureReason, StoredEntry, VerifyResult } from './schemas.js';

/** SHA-256 hex of a string (UTF-8) or bytes, one-shot where Node has it: the server's full pass hashes rows with it. */
export { sha256Hex };

/** A hash recipe this code knows. */
export type HashVersion = 1 | 2;

/** The recipe new entries are stored with. */
export const HASH_VERSION = 2 as const;

/** Every recipe this code can verify. Any other stored version is a verification failure. */
export const HASH_VERSIONS: readonly HashVersion[] = [1, 2];

/** Domain-separation prefix of the chained hash, per version. */
export const HASH_DOMAINS: Readonly<Record<HashVersion, string>> = {
  1: 'audit-trail/v1/entry',
  2: 'audit-trail/v2/entry',
};

/** Domain-separation prefix of the current version's chained hash. */
export const HASH_DOMAIN = HASH_DOMAINS[HASH_VERSION];

/** `hash_0`: the previous hash of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The fields version 1 hashed. It left out the idempotency key (so two entries' keys could be swapped unseen)
 * and the version itself; kept only to verify entries stored before version 2.
 */
export const HASHED_FIELDS_V1 = [
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

/**
 * The fields version 2 hashes: every stored field a user can read or search by. Only the hashes themselves
 * (`previousHash`, `hash`, `standaloneHash`) are left out, because they are the result.
 */
export const HASHED_FIELDS = [
  ...HASHED_FIELDS_V1,
  'sequence',
  'idempotencyKey',
  'hashVersion',
] as const satisfies readonly (keyof StoredEntry)[];

/** The part of a stored entry that the hash covers. */
export type HashedEntry = Pick<StoredEntry, (typeof HASHED_FIELDS)[number]>;

const FIELDS_OF: Readonly<Record<HashVersion, readonly (keyof HashedEntry)[]>> = { 1: HASHED_FIELDS_V1, 2: HASHED_FIELDS };

const DOMAIN_BYTES: Readonly<Record<HashVersion, Buffer>> = {
  1: Buffer.from(`${HASH_DOMAINS[1]}\0`, 'utf8'),
  2: Buffer.from(`${HASH_DOMAINS[2]}\0`, 'utf8'),
};

/** Is this a recipe this code can verify? */
export function isKnownHashVersion(version: unknown): version is HashVersion {
  return version === 1 || version === 2;
}

/** RFC 8785 canonical JSON of the hashed fields of an entry, by its `hashVersion`. */
export function canonicalEntry(entry: HashedEntry): string {
  const version = entry.hashVersion;
  if (!isKnownHashVersion(version)) throw new RangeError(`unknown hashVersion ${String(version)}`);
  const picked: Record<string, unknown> = {};
  for (const field of FIELDS_OF[version]) {
    const value = entry[field];
    if (value !== null && value !== undefined) picked[field] = value;
  }
  return canonicalize(picked) as string;
}

/** `SHA-256(canonical(entry))`, hex. */
export function standaloneHash(entry: HashedEntry): string {
  return sha256Hex(canonicalEntry(entry));
}

/**
 * The chained hash's input per version, reused call after call (the full pass computes millions): the domain,
 * then room for the sequence (8 bytes) and the two 32-byte hashes, written in place.
 */
const CHAIN_INPUTS: Readonly<Record<HashVersion, Buffer>> = {
  1: Buffer.concat([DOMAIN_BYTES[1], Buffer.alloc(72)]),
  2: Buffer.concat([DOMAIN_BYTES[2], Buffer.alloc(72)]),
};

/** The chained hash of the entry at `sequence`, given the previous entry's hash and this entry's standalone hash. */
export function chainHash(sequence: number, previousHash: string, standaloneHashHex: string, version: HashVersion = HASH_VERSION): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  const input = CHAIN_INPUTS[version];
  if (input !== undefined && previousHash.length === 64 && standaloneHashHex.length === 64) {
    const at = DOMAIN_BYTES[version].length;
    input.writeUInt32BE(Math.floor(sequence / 2 ** 32), at);
    input.writeUInt32BE(sequence >>> 0, at + 4);
    // Both are 64 hex digits exactly when each write takes 32 bytes; anything else (a tampered value) takes the
    // general path below, which hashes whatever bytes Buffer.from makes of it, as it always did.
    if (input.write(previousHash, at + 8, 32, 'hex') === 32 && input.write(standaloneHashHex, at + 40, 32, 'hex') === 32) {
      return sha256Hex(input);
    }
  }
  const seq = Buffer.alloc(8);
  seq.writeBigUInt64BE(BigInt(sequence));
  return createHash('sha256')
    .update(DOMAIN_BYTES[version])
    .update(seq)
    .update(Buffer.from(previousHash, 'hex'))
    .update(Buffer.from(standaloneHashHex, 'hex'))
    .digest('hex');
}

/** How many breaks one verification reports at most (the count of entries checked is always complete). */
export const MAX_REPORTED_BREAKS: number = LIMITS.integrityBreaks;

/** Options of {@link verifyChain}. */
export interface VerifyChainOptions {
  /**
   * The hash the first given entry must follow. Defaults to {@link GENESIS_HASH} when the first entry has
   * sequence 1, and to that entry's own `previousHash` otherwise (a range is checked relative to its start).
   */
  anchorHash?: string;
  /** The version of the entry before the first one, when known: a chain never goes back to an older recipe. */
  anchorVersion?: number;
  /** Stop collecting breaks after this many. @default {@link MAX_REPORTED_BREAKS} */
  maxBreaks?: number;
}

/** The fields of a stored entry that link it into the chain (everything but its hashed content). */
export type ChainLink = Pick<StoredEntry, 'id' | 'sequence' | 'hashVersion' | 'standaloneHash' | 'previousHash' | 'hash'>;

/**
 * Where one entry fails, or `undefined` when it follows `previousHash` and its own data. `standalone` computes the
 * entry's standalone hash (called only once its version is known): {@link standaloneHash} of the entry, or a
 * faster equivalent working from stored row values (the server's full pass).
 */
export function linkBreak(
  link: ChainLink,
  standalone: () => string,
  previousHash: string,
  expectedSequence: number,
  previousVersion: number,
): ChainFailureReason | undefined {
  if (link.sequence !== expectedSequence) return 'sequence_gap';
  // An unknown version, or an older recipe after a newer one (the server never goes back): a rewrite to a weaker
  // recipe is itself a failure, never a reason to skip the checks.
  if (!isKnownHashVersion(link.hashVersion) || link.hashVersion < previousVersion) return 'unknown_hash_version';
  const computed = standalone();
  if (computed !== link.standaloneHash) return 'standalone_hash_mismatch';
  if (link.previousHash !== previousHash) return 'previous_hash_mismatch';
  if (chainHash(link.sequence, previousHash, computed, link.hashVersion) !== link.hash) return 'hash_mismatch';
  return undefined;
}

/** {@link linkBreak} of a whole stored entry. */
export function entryBreak(entry: StoredEntry, previousHash: string, expectedSequence: number, previousVersion: number): ChainFailureReason | undefined {
  return linkBreak(entry, () => standaloneHash(entry), previousHash, expectedSequence, previousVersion);
}

/** Accumulates the outcome of a verification that goes on past a break, so that every break is reported. */
export class ChainVerification {
  /** Entries checked before the first break. */
  checkedBeforeBreak = 0;
  /** Entries looked at in all. */
  examined = 0;
  readonly breaks: ChainBreak[] = [];
  /** More breaks were found than {@link maxBreaks}. */
  truncated = false;
  previousHash: string;
  expectedSequence: number;
  previousVersion: number;

  constructor(
    anchorHash: string,
    firstSequence: number,
    anchorVersion = 1,
    readonly maxBreaks = MAX_REPORTED_BREAKS,
  ) {
    this.previousHash = anchorHash;
    this.expectedSequence = firstSequence;
    this.previousVersion = anchorVersion;
  }

  /**
   * Checks the next entry. After a break the walk re-anchors on the entry's own stored links (its sequence and
   * hash), so that a later, independent break is reported on its own instead of hiding behind the first.
   */
  add(entry: StoredEntry): void {
    this.addLink(entry, () => standaloneHash(entry));
  }

  /** {@link add} for a link whose standalone hash the caller computes (e.g. from stored row values). */
  addLink(entry: ChainLink, standalone: () => string): void {
    const reason = linkBreak(entry, standalone, this.previousHash, this.expectedSequence, this.previousVersion);
    if (reason) this.addBreak({ sequence: entry.sequence, entryId: entry.id, reason });
    else if (this.breaks.length === 0 && !this.truncated) this.checkedBeforeBreak += 1;
    this.examined += 1;
    // An edited `hash` alone: the next entry still follows the hash the entry's data gives, so anchor on that.
    this.previousHash =
      reason === 'hash_mismatch' && isKnownHashVersion(entry.hashVersion)
        ? chainHash(entry.sequence, entry.previousHash, entry.standaloneHash, entry.hashVersion)
        : entry.hash;
    this.expectedSequence = entry.sequence + 1;
    if (isKnownHashVersion(entry.hashVersion)) this.previousVersion = Math.max(this.previousVersion, entry.hashVersion);
  }

  /** Records a break found outside {@link add} (e.g. entries missing at the end). */
  addBreak(found: ChainBreak): void {
    if (this.breaks.length < this.maxBreaks) this.breaks.push(found);
    else this.truncated = true;
  }

  /** The result in the wire shape. */
  result(): VerifyResult {
    const first = this.breaks[0];
    if (!first) return { valid: true, checked: this.checkedBeforeBreak, lastHash: this.previousHash };
    return {
      valid: false,
      checked: this.checkedBeforeBreak,
      firstBadEntryId: first.entryId,
      firstBadSequence: first.sequence,
      reason: first.reason,
      breaks: [...this.breaks],
      breaksTruncated: this.truncated,
    };
  }
}

/**
 * Recomputes the chain over entries of one application, in ascending sequence order, and reports every entry that
 * does not match (at most `maxBreaks`; the first is also given as `firstBad…`): its data was changed
 * (`standalone_hash_mismatch`, `hash_mismatch`), an entry before it was removed (`sequence_gap`), entries were
 * reordered (`previous_hash_mismatch`, `sequence_gap`) or its recipe is unknown (`unknown_hash_version`).
 */
export function verifyChain(entries: readonly StoredEntry[], options: VerifyChainOptions = {}): VerifyResult {
  const first = entries[0];
  if (!first) return { valid: true, checked: 0, lastHash: options.anchorHash ?? GENESIS_HASH };
  const anchor = options.anchorHash ?? (first.sequence === 1 ? GENESIS_HASH : first.previousHash);
  const verification = new ChainVerification(anchor, first.sequence, options.anchorVersion ?? 1, options.maxBreaks);
  for (const entry of entries) verification.add(entry);
  return verification.result();
}
