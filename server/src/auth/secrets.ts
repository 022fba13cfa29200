/** API secrets: generated at random, stored as salted scrypt hashes, compared in constant time. */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// The scrypt defaults (N=2^14, r=8, p=1): ~16 MiB and tens of ms per hash. Each secret is hashed once per process
// (see credential-verifier.ts), so the cost only slows down guessing.
const SCRYPT_OPTIONS: ScryptOptions = { N: 16384, r: 8, p: 1 };

function derive(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, SCRYPT_OPTIONS, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** A new random API secret (256 bits, base64url). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A salted scrypt hash of a secret, for storage. */
export async function hashSecret(secret: string): Promise<{ salt: Buffer; hash: Buffer }> {
  const salt = randomBytes(SALT_LENGTH);
  return { salt, hash: await derive(secret, salt) };
}

/** Whether `secret` is the one hashed into `hash` with `salt`, compared in constant time. */
export async function secretMatches(secret: string, salt: Buffer, hash: Buffer): Promise<boolean> {
  const candidate = await derive(secret, salt);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}

/** A new per-application API key: `atk_<16 hex key id>_<256 random bits, base64url>`, and its id. */
export function generateApplicationKey(): { id: string; key: string } {
  const id = randomBytes(8).toString('hex');
  return { id, key: `atk_${id}_${randomBytes(32).toString('base64url')}` };
}
