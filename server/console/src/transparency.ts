/**
 * Checks made in the browser, with WebCrypto only (SHA-256 and Ed25519 come from `crypto.subtle`, nothing is
 * re-implemented): a C2SP signed note (c2sp.org/signed-note) against a pinned verifier key, the C2SP checkpoint
 * it carries (c2sp.org/tlog-checkpoint), and an RFC 9162 inclusion proof against the checkpoint's root hash
 * (RFC 9162 §2.1.3.2). The server is not trusted for any of it: a server that rewrote history cannot produce a
 * checkpoint signed by the pinned key whose tree contains both the old and the new entry.
 */

/** A parsed verifier key: `<name>+<key id, 8 hex digits>+<base64(0x01 || 32-byte Ed25519 public key)>`. */
export interface VerifierKey {
  name: string;
  keyId: Uint8Array;
  key: CryptoKey;
}

/** A checkpoint's fields (the note text, once its signature has been verified). */
export interface Checkpoint {
  origin: string;
  treeSize: bigint;
  rootHash: Uint8Array;
  /** Extension lines, uninterpreted. */
  extensions: string[];
}

/** Why a check failed, in words a person can act on. */
export class TransparencyError extends Error {
  override name = 'TransparencyError' as const;
}

const ED25519 = 0x01;
const encoder = new TextEncoder();

export function fromBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new TransparencyError('not valid base64');
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);

/** Parses a verifier key and checks that its key id is the one C2SP derives from its name and public key. */
export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  // name+id+key, split at the first two '+' only: the base64 key may contain '+' itself.
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  const [, name, idHex, keyText] = match ?? [];
  if (!name || !idHex || !keyText) {
    throw new TransparencyError('A verifier key looks like name+1a2b3c4d+base64…: check what you pasted');
  }
  const material = fromBase64(keyText);
  if (material.length !== 33 || material[0] !== ED25519) throw new TransparencyError('The verifier key is not an Ed25519 key');
  const publicKey = material.slice(1);
  const keyId = (await sha256(encoder.encode(`${name}\n`), material)).slice(0, 4);
  if (toHex(keyId) !== idHex) throw new TransparencyError('The verifier key\'s id does not match its name and public key');
  const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  return { name, keyId, key };
}

/**
 * Verifies a signed note with one pinned key and returns its text (ending in a newline). Signatures by other
 * keys are ignored, as C2SP requires; a signature by the pinned key that does not verify rejects the note.
 */
export async function verifyNote(note: string, verifier: VerifierKey): Promise<string> {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new TransparencyError('The checkpoint is not a signed note');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  let verified = false;
  for (const line of lines) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) throw new TransparencyError('The checkpoint has a malformed signature line');
    const [, name, signatureText] = match as unknown as [string, string, string];
    const signature = fromBase64(signatureText);
    if (name !== verifier.name || !equal(signature.slice(0, 4), verifier.keyId)) continue;
    const ok = await crypto.subtle.verify({ name: 'Ed25519' }, verifier.key, signature.slice(4), encoder.encode(text));
    if (!ok) throw new TransparencyError('The checkpoint\'s signature by the pinned key does not verify: it was altered or signed by another key');
    verified = true;
  }
  if (!verified) throw new TransparencyError('The checkpoint is not signed by the pinned key');
  return text;
}

/** Parses a checkpoint's (already verified) text: origin, decimal tree size, base64 root hash, extensions. */
export function parseCheckpoint(text: string): Checkpoint {
  const [origin, size, root, ...rest] = text.slice(0, -1).split('\n');
  if (!origin || !size || !root || !/^(0|[1-9][0-9]*)$/.test(size)) throw new TransparencyError('The checkpoint is malformed');
  const rootHash = fromBase64(root);
  if (rootHash.length !== 32) throw new TransparencyError('The checkpoint\'s root hash is not a SHA-256 hash');
  return { origin, treeSize: BigInt(size), rootHash, extensions: rest };
}

/** RFC 9162 leaf hash: SHA-256(0x00 || leaf). */
export const leafHash = (leaf: Uint8Array): Promise<Uint8Array> => sha256(Uint8Array.of(0x00), leaf);

/**
 * RFC 9162 §2.1.3.2: the root hash an inclusion proof leads to from `hash` at `leafIndex` in a tree of
 * `treeSize` leaves; throws when the proof has the wrong length for that position.
 */
export async function rootFromInclusionProof(leafIndex: bigint, treeSize: bigint, hash: Uint8Array, proof: readonly Uint8Array[]): Promise<Uint8Array> {
  if (leafIndex >= treeSize || leafIndex < 0n) throw new TransparencyError('The entry is not inside the checkpoint\'s tree');
  let fn = leafIndex;
  let sn = treeSize - 1n;
  let r = hash;
  const node = Uint8Array.of(0x01);
  for (const p of proof) {
    if (sn === 0n) throw new TransparencyError('The inclusion proof is longer than the tree allows');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await sha256(node, p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await sha256(node, r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new TransparencyError('The inclusion proof is shorter than the tree requires');
  return r;
}

/** True when the proof leads from `hash` to the checkpoint's root. */
export async function verifyInclusion(checkpoint: Checkpoint, leafIndex: bigint, hash: Uint8Array, proof: readonly Uint8Array[]): Promise<boolean> {
  return equal(await rootFromInclusionProof(leafIndex, checkpoint.treeSize, hash, proof), checkpoint.rootHash);
}
