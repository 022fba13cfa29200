/**
 * Signed checkpoints: C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures, whose text is a C2SP
 * transparency-log checkpoint (c2sp.org/tlog-checkpoint). The server signs with {@link signNote}; clients check
 * with {@link openCheckpoint}. Crypto is node:crypto's Ed25519; this module only frames bytes.
 *
 * ```
 * audit-trail.local/app/0192...        origin: the service's name and the application
 * 42                                   tree size
 * CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2...  root hash, base64
 *
 * — audit-trail.local base64(key id || Ed25519 signature)
 * ```
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** The signature type byte of Ed25519 in signed notes and verifier keys. */
export const ED25519_SIGNATURE_TYPE = 0x01;

/** A checkpoint: the head of one application's tree, as its signed note states it. */
export interface Checkpoint {
  /** The log's identity: `<service name>/app/<applicationId>`. */
  origin: string;
  /** Number of leaves (entries) the tree holds. */
  treeSize: number;
  /** The tree's root hash (32 bytes). */
  rootHash: Buffer;
}

/** A parsed verifier key (`<name>+<hex key id>+<base64(0x01 || public key)>`). */
export interface VerifierKey {
  /** The key name (no spaces, no `+`). */
  name: string;
  /** The 4-byte key id, as an unsigned integer. */
  keyId: number;
  /** The Ed25519 public key. */
  publicKey: KeyObject;
  /** The raw 32-byte public key. */
  rawPublicKey: Buffer;
  /** The verifier key text it was read from. */
  text: string;
}

const NAME_PATTERN = /^[^\s+]+$/u;
const SIGNATURE_PREFIX = '\u2014 ';
// The DER prefix of an Ed25519 SubjectPublicKeyInfo; node:crypto imports raw keys only through DER or JWK.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Is `name` a valid key name (non-empty, no Unicode space, no `+`)? */
export function isValidKeyName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** `SHA-256(name || 0x0A || 0x01 || publicKey)[:4]` as an unsigned integer. */
export function ed25519KeyId(name: string, rawPublicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ED25519_SIGNATURE_TYPE]))
    .update(rawPublicKey)
    .digest();
  return digest.readUInt32BE(0);
}

/** The raw 32-byte public key of an Ed25519 key object. */
export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const der = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(ED25519_SPKI_PREFIX.length));
}

/** An Ed25519 public key object from its raw 32 bytes. */
export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new TypeError(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** An Ed25519 private key object from its 32-byte seed. */
export function ed25519PrivateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new TypeError(`an Ed25519 private key seed is 32 bytes, got ${seed.length}`);
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The 32-byte seed of an Ed25519 private key object. */
export function ed25519Seed(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return Buffer.from(der.subarray(ED25519_PKCS8_PREFIX.length));
}

const hex8 = (keyId: number): string => keyId.toString(16).padStart(8, '0');

/** The verifier key text of an Ed25519 public key under `name`. */
export function formatVerifierKey(name: string, publicKey: KeyObject): string {
  if (!isValidKeyName(name)) throw new TypeError(`invalid key name "${name}": it must be non-empty, without spaces or "+"`);
  const raw = rawEd25519PublicKey(publicKey);
  return `${name}+${hex8(ed25519KeyId(name, raw))}+${Buffer.concat([Buffer.from([ED25519_SIGNATURE_TYPE]), raw]).toString('base64')}`;
}

/** Splits `text` at its first `parts - 1` plus signs; fewer parts when there are fewer signs. */
export function splitPlus(text: string, parts: number): string[] {
  const result: string[] = [];
  let rest = text;
  while (result.length < parts - 1) {
    const at = rest.indexOf('+');
    if (at < 0) break;
    result.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  result.push(rest);
  return result;
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Base64 (RFC 4648 section 4, padded) to bytes; `undefined` when not canonical base64. */
export function decodeBase64(text: string): Buffer | undefined {
  if (!STRICT_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/**
 * Reads a verifier key. Throws a `TypeError` saying what is wrong: not three `+`-separated parts, a bad name, a
 * key id that does not match the key (the spec requires they match), or a key type other than Ed25519.
 */
export function parseVerifierKey(text: string): VerifierKey {
  // Split at the first two `+` only: the base64 key may itself contain `+`.
  const [name, idHex, keyBase64] = splitPlus(text.trim(), 3);
  if (name === undefined || idHex === undefined || keyBase64 === undefined) {
    throw new TypeError('a verifier key is <name>+<hex key id>+<base64 key>');
  }
  if (!isValidKeyName(name)) throw new TypeError(`invalid key name "${name}"`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new TypeError('the key id of a verifier key is 8 lower-case hex digits');
  const key = decodeBase64(keyBase64);
  if (!key || key.length !== 33 || key[0] !== ED25519_SIGNATURE_TYPE) {
    throw new TypeError('the key of a verifier key must be base64 of 0x01 followed by a 32-byte Ed25519 public key');
  }
  const raw = key.subarray(1);
  const keyId = Number.parseInt(idHex, 16);
  if (ed25519KeyId(name, raw) !== keyId) throw new TypeError('the key id of the verifier key does not match its name and key');
  return { name, keyId, publicKey: ed25519PublicKeyFromRaw(raw), rawPublicKey: Buffer.from(raw), text: `${name}+${idHex}+${keyBase64}` };
}

/** A signer: a key name and an Ed25519 private key. */
export interface NoteSigner {
  name: string;
  privateKey: KeyObject;
}

/**
 * A note signer for one key: the key id (SHA-256 over the exported public key) is computed here, once, rather than
 * for every note; a server signs a checkpoint per append, and deriving the id cost more than the signature itself.
 * `sign(text)` gives exactly what {@link signNote} gives.
 */
export function noteSigner(signer: NoteSigner): (text: string) => string {
  if (!isValidKeyName(signer.name)) throw new TypeError(`invalid key name "${signer.name}"`);
  const keyId = Buffer.alloc(4);
  keyId.writeUInt32BE(ed25519KeyId(signer.name, rawEd25519PublicKey(signer.privateKey)));
  const prefix = `\n${SIGNATURE_PREFIX}${signer.name} `;
  const { privateKey } = signer;
  return (text: string): string => {
    if (!text.endsWith('\n')) throw new TypeError('the text of a note ends with a newline');
    const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
    return `${text}${prefix}${Buffer.concat([keyId, signature]).toString('base64')}\n`;
  };
}

/** Signs `text` (which must end in a newline) as a signed note with one Ed25519 signature line. */
export function signNote(text: string, signer: NoteSigner): string {
  if (!text.endsWith('\n')) throw new TypeError('the text of a note ends with a newline');
  return noteSigner(signer)(text);
}

/** Why a signed note was not accepted. */
export type NoteFailure =
  /** Not a signed note: no blank line before the signatures, a malformed signature line, control characters. */
  | 'malformed_note'
  /** No signature by the given key (by name and key id). */
  | 'unknown_key'
  /** A signature by the given key does not verify. */
  | 'bad_signature';

/**
 * Verifies a signed note against one key and returns its text. Signatures by other keys (e.g. witnesses'
 * cosignatures) are ignored, as the spec requires; a signature by this key that fails rejects the note.
 */
export function openNote(note: string, key: VerifierKey): { ok: true; text: string } | { ok: false; failure: NoteFailure } {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note) || !note.endsWith('\n')) return { ok: false, failure: 'malformed_note' };
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return { ok: false, failure: 'malformed_note' };
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length === 0 || lines[0] === '') return { ok: false, failure: 'malformed_note' };
  let verified = false;
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return { ok: false, failure: 'malformed_note' };
    const [name, encoded, ...extra] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (!name || !encoded || extra.length > 0) return { ok: false, failure: 'malformed_note' };
    const bytes = decodeBase64(encoded);
    if (!bytes || bytes.length < 5) return { ok: false, failure: 'malformed_note' };
    if (name !== key.name || bytes.readUInt32BE(0) !== key.keyId) continue;
    if (!verify(null, Buffer.from(text, 'utf8'), key.publicKey, bytes.subarray(4))) return { ok: false, failure: 'bad_signature' };
    verified = true;
  }
  return verified ? { ok: true, text } : { ok: false, failure: 'unknown_key' };
}

/** The checkpoint note text: origin, tree size, base64 root, each on its own line. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (!isValidKeyName(checkpoint.origin)) throw new TypeError(`invalid origin "${checkpoint.origin}"`);
  if (!Number.isSafeInteger(checkpoint.treeSize) || checkpoint.treeSize < 0) throw new RangeError('tree size must be a non-negative integer');
  return `${checkpoint.origin}\n${checkpoint.treeSize}\n${checkpoint.rootHash.toString('base64')}\n`;
}

/** Reads a checkpoint's note text; `undefined` when it is not one (extension lines are allowed and ignored). */
export function parseCheckpoint(text: string): Checkpoint | undefined {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') return undefined;
  const [origin, size, root] = lines as [string, string, string];
  if (origin === '' || !/^(0|[1-9][0-9]*)$/.test(size)) return undefined;
  const treeSize = Number(size);
  const rootHash = decodeBase64(root);
  if (!Number.isSafeInteger(treeSize) || !rootHash || rootHash.length !== 32) return undefined;
  if (lines.slice(3, -1).some((line) => line === '')) return undefined;
  return { origin, treeSize, rootHash };
}

/** Why a signed checkpoint was not accepted. */
export type CheckpointFailure = NoteFailure | 'malformed_checkpoint' | 'origin_mismatch';

/**
 * Verifies a signed checkpoint: the note's signature by `key`, then its text as a checkpoint, then (when given)
 * its origin.
 */
export function openCheckpoint(
  note: string,
  key: VerifierKey,
  expectedOrigin?: string,
): { ok: true; checkpoint: Checkpoint } | { ok: false; failure: CheckpointFailure } {
  const opened = openNote(note, key);
  if (!opened.ok) return opened;
  const checkpoint = parseCheckpoint(opened.text);
  if (!checkpoint) return { ok: false, failure: 'malformed_checkpoint' };
  if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) return { ok: false, failure: 'origin_mismatch' };
  return { ok: true, checkpoint };
}

/** The origin of an application's log: `<service name>/app/<applicationId>`. */
export function checkpointOrigin(serviceName: string, applicationId: string): string {
  return `${serviceName}/app/${applicationId}`;
}
