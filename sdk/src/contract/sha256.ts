/**
 * SHA-256 in one call: node:crypto's one-shot `hash()` where the runtime has it (Node >= 20.12 and >= 21.7),
 * which makes no Hash object (for a few hundred bytes that object costs more than the hashing); `createHash`
 * on an older Node 20. The chain, the tree and the ledger hash every entry three to four times.
 */
import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: string | ArrayBufferView, outputEncoding: 'hex' | 'buffer') => string | Buffer;

const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

/** `SHA-256(data)` as lower-case hex; a string is hashed as its UTF-8 bytes (the canonical JSON of an entry). */
export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? (oneShot('sha256', data, 'hex') as string) : crypto.createHash('sha256').update(data).digest('hex');
}

/** `SHA-256(data)` as 32 bytes. */
export function sha256(data: Uint8Array): Buffer {
  return oneShot ? (oneShot('sha256', data, 'buffer') as Buffer) : crypto.createHash('sha256').update(data).digest();
}
