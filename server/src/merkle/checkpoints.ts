/**
 * Signed checkpoints of applications' trees: a C2SP tlog-checkpoint signed as a C2SP signed note with the
 * service's Ed25519 key (sdk/src/contract/note.ts). Ed25519 is deterministic, so signing the same tree head twice
 * gives the same note: nothing needs storing, and one signature covers a whole batch.
 */
import type { KeyObject } from 'node:crypto';
import { checkpointOrigin, formatCheckpoint, formatVerifierKey, noteSigner } from '@audit-trail/sdk/contract';
import type { TreeHead } from './tree-store.js';

/** A tree head with its signed checkpoint, as receipts and `latestTreeHead` carry it. */
export interface SignedTreeHead {
  /** The log's origin line: `<service name>/app/<applicationId>`. */
  origin: string;
  treeSize: number;
  /** The root hash, base64 (as in the checkpoint). */
  rootHash: string;
  /** The signed note: checkpoint text, blank line, signature line. */
  checkpoint: string;
}

/** Signs checkpoints with one key for every application of the service. */
export class CheckpointSigner {
  readonly #lastSigned = new Map<string, { treeSize: number; root: Buffer; signed: SignedTreeHead }>();

  /** The verifier key (`<name>+<key id>+<base64 key>`) clients pin or trust on first use. */
  readonly verifierKey: string;
  /** Signs a note; the key id is derived once, here (it cost more than each signature). */
  readonly #signNote: (text: string) => string;

  /**
   * @param name - The key name, also the service part of every origin (no spaces, no `+`).
   * @param privateKey - The Ed25519 private key.
   */
  constructor(
    readonly name: string,
    privateKey: KeyObject,
  ) {
    this.verifierKey = formatVerifierKey(name, privateKey);
    this.#signNote = noteSigner({ name, privateKey });
  }

  /** The origin of an application's log. */
  origin(applicationId: string): string {
    return checkpointOrigin(this.name, applicationId);
  }

  /** The signed checkpoint of an application's tree head. */
  sign(applicationId: string, head: TreeHead): SignedTreeHead {
    // Appends committed together share one tree head: sign it once (Ed25519 is deterministic, so this is exact).
    const last = this.#lastSigned.get(applicationId);
    if (last && last.treeSize === head.size && last.root.equals(head.root)) return last.signed;
    const signed = this.#sign(applicationId, head);
    if (this.#lastSigned.size >= 10_000) this.#lastSigned.clear();
    this.#lastSigned.set(applicationId, { treeSize: head.size, root: head.root, signed });
    return signed;
  }

  #sign(applicationId: string, head: TreeHead): SignedTreeHead {
    const origin = this.origin(applicationId);
    const text = formatCheckpoint({ origin, treeSize: head.size, rootHash: head.root });
    return {
      origin,
      treeSize: head.size,
      rootHash: head.root.toString('base64'),
      checkpoint: this.#signNote(text),
    };
  }
}
