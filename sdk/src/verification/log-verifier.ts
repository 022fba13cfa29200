/**
 * The client's own check of the service's log (docs/verification.md): every checkpoint it sees must be signed by
 * the trusted key and extend the last one it verified (RFC 9162 consistency proof), and a receipt's entry must be
 * in the signed tree at its position (inclusion proof). The service's code is not trusted: only the contract's
 * hash recipes, node:crypto and what this client verified before.
 */
import { standaloneHash } from '../contract/chain.js';
import { MerkleRootBuilder, leafHash, verifyConsistency, verifyInclusion } from '../contract/merkle.js';
import { openCheckpoint, parseVerifierKey, type Checkpoint, type VerifierKey } from '../contract/note.js';
import type { ConsistencyProof, InclusionProof, MerkleInfo, Receipt, StoredEntry, TreeHead } from '../contract/schemas.js';
import { IntegrityError, type IntegrityFailureReason } from '../errors.js';
import { CheckpointState } from './checkpoint-state.js';

/** The service calls the verifier needs (the client's HTTP methods). */
export interface LogSource {
  merkleInfo(): Promise<MerkleInfo>;
  latestTreeHead(): Promise<TreeHead>;
  consistencyProof(firstTreeSize: number, secondTreeSize: number): Promise<ConsistencyProof>;
  inclusionProof(entryId: string, treeSize: number): Promise<InclusionProof>;
  getEntry(entryId: string): Promise<StoredEntry>;
  /** Every entry in chain order. */
  entries(): AsyncIterable<StoredEntry>;
}

/** What {@link LogVerifier.verifyTreeLocally} established. */
export interface LocalTreeVerification {
  /** The latest checkpoint, verified and consistent with what the client saw before. */
  checkpoint: VerifiedCheckpoint;
  /** Entries whose leaf hashes were recomputed here: the checkpoint's tree size. */
  checked: number;
}

/** A checkpoint the client verified: signed by the trusted key and consistent with every one it saw before. */
export interface VerifiedCheckpoint extends Checkpoint {
  /** The signed note. */
  checkpoint: string;
  /** The verifier key that signed it. */
  verifierKey: string;
  /** `true` when the key was not pinned and was trusted on this first visit (nothing to compare it with yet). */
  trustedOnFirstUse: boolean;
}

/** What {@link LogVerifier.verifyReceipt} established. */
export interface ReceiptVerification {
  /** The receipt's checkpoint, verified and consistent with {@link latest}. */
  checkpoint: VerifiedCheckpoint;
  /** The service's latest checkpoint, verified and consistent with what the client saw before. */
  latest: VerifiedCheckpoint;
  /** The stored entry, whose hashes match the receipt and which is leaf `sequence - 1` of the signed tree. */
  entry: StoredEntry;
}

/** Options of {@link LogVerifier}. */
export interface LogVerifierOptions {
  /** The service's verifier key, pinned. Without it the key seen first is trusted (and remembered). */
  verifierKey?: string;
  /** Where to keep the last verified checkpoint between runs; in memory only when absent. */
  stateFile?: string;
}

const fail = (reason: IntegrityFailureReason, message: string): never => {
  throw new IntegrityError(reason, message, { operation: 'verify' });
};

/** Verifies one application's log for one client. */
export class LogVerifier {
  readonly #source: LogSource;
  readonly #pinned: VerifierKey | undefined;
  readonly #state: CheckpointState;
  #identity: Promise<{ origin: string; key: VerifierKey; trustedOnFirstUse: boolean }> | undefined;
  /** Verification steps take turns: two concurrent checks never race on the remembered checkpoint. */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(source: LogSource, options: LogVerifierOptions = {}) {
    this.#source = source;
    this.#pinned = options.verifierKey === undefined ? undefined : parseVerifierKey(options.verifierKey);
    this.#state = new CheckpointState(options.stateFile);
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#turn.then(work);
    this.#turn = result.catch(() => undefined);
    return result;
  }

  /** The log's origin and the key its checkpoints must carry: pinned, remembered, or (first visit) the published one. */
  #trust(): Promise<{ origin: string; key: VerifierKey; trustedOnFirstUse: boolean }> {
    this.#identity ??= (async () => {
      const info = await this.#source.merkleInfo();
      const remembered = await this.#state.get(info.origin);
      const expected = this.#pinned?.text ?? remembered?.verifierKey;
      if (expected !== undefined && info.verifierKey !== expected) {
        fail('key_changed', `the service now publishes verifier key ${info.verifierKey}, not the ${this.#pinned ? 'pinned' : 'remembered'} ${expected}`);
      }
      let key: VerifierKey;
      try {
        key = this.#pinned ?? parseVerifierKey(info.verifierKey);
      } catch (error) {
        return fail('unknown_key', `the service's verifier key cannot be read: ${(error as Error).message}`);
      }
      return { origin: info.origin, key, trustedOnFirstUse: expected === undefined };
    })();
    this.#identity.catch(() => {
      this.#identity = undefined;
    });
    return this.#identity;
  }

  /** Opens a signed checkpoint of this log with the trusted key, or throws the matching {@link IntegrityError}. */
  async #open(note: string): Promise<VerifiedCheckpoint> {
    const { origin, key, trustedOnFirstUse } = await this.#trust();
    const opened = openCheckpoint(note, key, origin);
    if (!opened.ok) {
      switch (opened.failure) {
        case 'unknown_key':
          return fail('unknown_key', `the checkpoint is not signed by the trusted key ${key.text}`);
        case 'bad_signature':
          return fail('bad_signature', 'the checkpoint signature by the trusted key does not verify');
        default:
          return fail('malformed_checkpoint', `the checkpoint is not a checkpoint of ${origin} (${opened.failure})`);
      }
    }
    return { ...opened.checkpoint, checkpoint: note, verifierKey: key.text, trustedOnFirstUse };
  }

  /** Checks that `newer` extends `older` (both verified checkpoints of this log). */
  async #checkConsistent(older: Checkpoint, newer: Checkpoint): Promise<void> {
    if (newer.treeSize < older.treeSize) {
      fail('tree_truncated', `the tree has ${newer.treeSize} entries, fewer than the ${older.treeSize} of a checkpoint verified before`);
    }
    if (newer.treeSize === older.treeSize) {
      if (!newer.rootHash.equals(older.rootHash)) fail('inconsistent', `two different trees of ${newer.treeSize} entries were signed (a fork)`);
      return;
    }
    const proof = await this.#source.consistencyProof(older.treeSize, newer.treeSize);
    const path = proof.consistencyPath.map((hash) => Buffer.from(hash, 'base64'));
    const check = verifyConsistency(older.treeSize, newer.treeSize, older.rootHash, newer.rootHash, path);
    if (!check.ok) {
      fail('inconsistent', `the tree of ${newer.treeSize} entries does not extend the verified tree of ${older.treeSize} (${check.failure}): entries were changed`);
    }
  }

  /** Fetches the latest checkpoint, verifies it against the last verified one and remembers it. */
  async #refresh(): Promise<VerifiedCheckpoint> {
    const head = await this.#source.latestTreeHead();
    const latest = await this.#open(head.checkpoint);
    const remembered = await this.#state.get(latest.origin);
    if (remembered) {
      const previous = { origin: latest.origin, treeSize: remembered.treeSize, rootHash: Buffer.from(remembered.rootHash, 'base64') };
      await this.#checkConsistent(previous, latest);
    }
    await this.#state.set(latest.origin, {
      verifierKey: latest.verifierKey,
      treeSize: latest.treeSize,
      rootHash: latest.rootHash.toString('base64'),
      checkpoint: latest.checkpoint,
    });
    return latest;
  }

  /**
   * The service's latest checkpoint, verified: signed by the trusted key and consistent with the last checkpoint
   * this client verified (which it then replaces).
   *
   * @throws {@link IntegrityError} when it is not.
   */
  latestCheckpoint(): Promise<VerifiedCheckpoint> {
    return this.#serial(() => this.#refresh());
  }

  /**
   * Recomputes here the root of the latest verified checkpoint's tree from the entries the service lists (every
   * leaf hash from the entry's canonical bytes) and compares it with the signed root: the listed entries are
   * exactly the signed tree.
   *
   * @throws {@link IntegrityError} `root_mismatch` when they are not, or any failure of {@link latestCheckpoint}.
   */
  verifyTreeLocally(): Promise<LocalTreeVerification> {
    return this.#serial(async () => {
      const checkpoint = await this.#refresh();
      const builder = new MerkleRootBuilder();
      for await (const entry of this.#source.entries()) {
        if (builder.size >= checkpoint.treeSize) break;
        if (entry.sequence !== builder.size + 1) {
          fail('root_mismatch', `the service listed entry ${entry.sequence} where entry ${builder.size + 1} belongs`);
        }
        builder.append(leafHash(entry));
      }
      if (builder.size !== checkpoint.treeSize) {
        fail('root_mismatch', `the service listed ${builder.size} entries, the signed tree has ${checkpoint.treeSize}`);
      }
      if (!builder.root().equals(checkpoint.rootHash)) {
        fail('root_mismatch', `the listed entries do not hash to the signed root of ${checkpoint.treeSize} entries`);
      }
      return { checkpoint, checked: builder.size };
    });
  }

  /**
   * Verifies a receipt: its checkpoint is signed and consistent with the latest (itself consistent with what this
   * client saw before), the stored entry matches the receipt and its own hashes, and the entry is leaf
   * `sequence - 1` of the receipt's signed tree.
   *
   * @throws {@link IntegrityError} naming the check that failed.
   */
  verifyReceipt(receipt: Receipt): Promise<ReceiptVerification> {
    return this.#serial(async () => {
      const latest = await this.#refresh();
      const signed = await this.#open(receipt.checkpoint);
      if (signed.treeSize !== receipt.treeSize || receipt.sequence > signed.treeSize) {
        fail('malformed_checkpoint', `the receipt's checkpoint covers ${signed.treeSize} entries, not entry ${receipt.sequence} in a tree of ${receipt.treeSize}`);
      }
      await this.#checkConsistent(signed, latest);
      const entry = await this.#source.getEntry(receipt.logEntryId);
      if (
        entry.sequence !== receipt.sequence ||
        entry.hash !== receipt.hash ||
        entry.standaloneHash !== receipt.standaloneHash ||
        entry.previousHash !== receipt.previousHash ||
        standaloneHash(entry) !== entry.standaloneHash
      ) {
        fail('entry_mismatch', `the stored entry ${receipt.logEntryId} does not match its receipt`);
      }
      const proof = await this.#source.inclusionProof(receipt.logEntryId, signed.treeSize);
      const path = proof.auditPath.map((hash) => Buffer.from(hash, 'base64'));
      const check = verifyInclusion(entry.sequence - 1, signed.treeSize, leafHash(entry), path, signed.rootHash);
      if (!check.ok) fail('inclusion_failed', `entry ${receipt.logEntryId} is not leaf ${entry.sequence - 1} of the signed tree (${check.failure})`);
      return { checkpoint: signed, latest, entry };
    });
  }
}
