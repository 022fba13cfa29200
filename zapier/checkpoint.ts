/**
 * The signed checkpoint Verify Audit Trail attaches as evidence: the service's latest tree head (a C2SP signed note
 * over the application's RFC 9162 Merkle tree) and whether its signature verifies. Against a Trusted Verifier Key
 * the user pinned, a valid signature shows the service committed to this tree; against the key the service itself
 * reports, it only shows the note is well-formed and self-consistent (a service that lies can report its own key).
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { PATHS, openCheckpoint, parseVerifierKey, type MerkleInfo, type TreeHead, type VerifierKey } from '@audit-trail/sdk/contract';
import { getJson, hasProperties } from './api.js';
import { trustedKeyMessage } from './messages.js';
import { statusOfThrown } from './response-errors.js';

/** The checkpoint part of a verification's output. */
export interface CheckpointEvidence {
  /** Entries in the Merkle tree the checkpoint signs; `null` when the service signs no checkpoints. */
  treeSize: number | null;
  /** The tree's RFC 9162 root hash, base64. */
  rootHash: string | null;
  /** The signed note, to keep as evidence (verifiable later with the verifier key). */
  checkpoint: string | null;
  /** The log's origin, the checkpoint's first line. */
  logOrigin: string | null;
  /** The key the signature was checked with. */
  verifierKey: string | null;
  /** Whether the signature verifies with that key; `null` when there is no checkpoint. */
  checkpointVerified: boolean | null;
  /** `trusted` (the step's Trusted Verifier Key) or `reported` (the key the service reports). */
  checkpointKeySource: 'trusted' | 'reported' | null;
  /** Why it does not verify (`bad_signature`, `unknown_key`, `origin_mismatch`, `tree_mismatch`, ...). */
  checkpointProblem: string | null;
}

/** The step's Trusted Verifier Key, read before any request; a user-facing error when it is not a key. */
export function trustedKeyOf(z: ZObject, text: string | undefined): VerifierKey | undefined {
  if (!text?.trim()) return undefined;
  try {
    return parseVerifierKey(text);
  } catch (error) {
    throw new z.errors.Error(trustedKeyMessage((error as Error).message), 'invalid_field', 400);
  }
}

const NONE: CheckpointEvidence = {
  treeSize: null,
  rootHash: null,
  checkpoint: null,
  logOrigin: null,
  verifierKey: null,
  checkpointVerified: null,
  checkpointKeySource: null,
  checkpointProblem: null,
};

/** Reads the latest signed tree head and checks its signature; no checkpoint (a service without them: 404) is `NONE`. */
export async function checkpointEvidence(
  z: ZObject,
  bundle: Pick<Bundle, 'authData'>,
  applicationId: string | undefined,
  trusted: VerifierKey | undefined,
): Promise<CheckpointEvidence> {
  let head: TreeHead;
  let info: MerkleInfo;
  try {
    head = await getJson<TreeHead>(z, bundle, PATHS.latestTreeHead, {
      applicationId,
      isExpected: hasProperties<TreeHead>({ origin: 'string', treeSize: 'number', rootHash: 'string', checkpoint: 'string' }),
    });
    info = await getJson<MerkleInfo>(z, bundle, PATHS.merkleInfo, {
      applicationId,
      isExpected: hasProperties<MerkleInfo>({ origin: 'string', verifierKey: 'string' }),
    });
  } catch (error) {
    if (statusOfThrown(error) === 404) return NONE;
    throw error;
  }
  const base = { ...NONE, treeSize: head.treeSize, rootHash: head.rootHash, checkpoint: head.checkpoint, logOrigin: head.origin };
  let key = trusted;
  if (!key) {
    try {
      key = parseVerifierKey(info.verifierKey);
    } catch {
      return { ...base, verifierKey: info.verifierKey, checkpointVerified: false, checkpointKeySource: 'reported', checkpointProblem: 'malformed_key' };
    }
  }
  const source = trusted ? 'trusted' : 'reported';
  const opened = openCheckpoint(head.checkpoint, key, head.origin);
  if (!opened.ok) return { ...base, verifierKey: key.text, checkpointVerified: false, checkpointKeySource: source, checkpointProblem: opened.failure };
  // The signed text must be the tree head the service reported beside it.
  const { checkpoint } = opened;
  if (checkpoint.treeSize !== head.treeSize || checkpoint.rootHash.toString('base64') !== head.rootHash) {
    return { ...base, verifierKey: key.text, checkpointVerified: false, checkpointKeySource: source, checkpointProblem: 'tree_mismatch' };
  }
  return { ...base, verifierKey: key.text, checkpointVerified: true, checkpointKeySource: source };
}

/** The sentence about the checkpoint in a verification's message. */
export function checkpointSentence(evidence: CheckpointEvidence): string {
  if (evidence.checkpointVerified === null) return 'The service signs no checkpoints, so no signed checkpoint is attached.';
  const size = `the signed checkpoint of ${evidence.treeSize} ${evidence.treeSize === 1 ? 'entry' : 'entries'}`;
  if (evidence.checkpointVerified) {
    return evidence.checkpointKeySource === 'trusted'
      ? `${capital(size)} verifies with your Trusted Verifier Key.`
      : `${capital(size)} verifies with the key the service reports; give a Trusted Verifier Key to check it against a key you trust.`;
  }
  return `${capital(size)} does NOT verify with ${evidence.checkpointKeySource === 'trusted' ? 'your Trusted Verifier Key' : 'the key the service reports'} (${evidence.checkpointProblem}): do not rely on this trail until that is explained.`;
}

const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
