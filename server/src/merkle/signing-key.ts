/**
 * The service's checkpoint signing key. Every process of one deployment must sign with the same key (clients
 * pin it), so it comes from configuration when given; otherwise, on a database several processes share
 * (PostgreSQL), from the database (stored once by the first process, {@link loadSharedSigningKey}); otherwise from a
 * file in the data directory created on the first start (mode 0600 in a 0700 directory, like an ssh key). Never
 * one key per process: with no configuration, no shared database and no data directory there is no key, and the
 * server refuses to start.
 *
 * The key text is Go's `golang.org/x/mod/sumdb/note` signer format, which C2SP tools read:
 * `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || 32-byte seed)>`.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { SettingsRepository } from '../store/repositories.js';
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ED25519_SIGNATURE_TYPE,
  decodeBase64,
  ed25519KeyId,
  ed25519PrivateKeyFromSeed,
  ed25519Seed,
  isValidKeyName,
  rawEd25519PublicKey,
  splitPlus,
} from '@audit-trail/sdk/contract';

/** File name of the generated key inside the data directory. */
export const SIGNING_KEY_FILE = 'checkpoint-signing.key';

/** Default key name, also the service part of each application's checkpoint origin. */
export const DEFAULT_KEY_NAME = 'audit-trail.local';

/** A signing key with its name. */
export interface SigningKey {
  name: string;
  privateKey: KeyObject;
}

/** The key as text: `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || seed)>`. */
export function formatSigningKey(key: SigningKey): string {
  const keyId = ed25519KeyId(key.name, rawEd25519PublicKey(key.privateKey)).toString(16).padStart(8, '0');
  const material = Buffer.concat([Buffer.from([ED25519_SIGNATURE_TYPE]), ed25519Seed(key.privateKey)]).toString('base64');
  return `PRIVATE+KEY+${key.name}+${keyId}+${material}`;
}

/** Reads a key in the text form of {@link formatSigningKey}; the error says what is wrong, never the key. */
export function parseSigningKey(text: string, source: string): SigningKey {
  const [p, k, name, idHex, material] = splitPlus(text.trim(), 5);
  if (p !== 'PRIVATE' || k !== 'KEY' || name === undefined || idHex === undefined || material === undefined) {
    throw new TypeError(`${source}: a signing key is PRIVATE+KEY+<name>+<hex key id>+<base64 key>`);
  }
  if (!isValidKeyName(name)) throw new TypeError(`${source}: invalid key name (no spaces or "+")`);
  const bytes = decodeBase64(material);
  if (!bytes || bytes.length !== 33 || bytes[0] !== ED25519_SIGNATURE_TYPE) {
    throw new TypeError(`${source}: the key must be base64 of 0x01 followed by a 32-byte Ed25519 seed`);
  }
  const privateKey = ed25519PrivateKeyFromSeed(bytes.subarray(1));
  if (ed25519KeyId(name, rawEd25519PublicKey(privateKey)).toString(16).padStart(8, '0') !== idHex) {
    throw new TypeError(`${source}: the key id does not match the key`);
  }
  return { name, privateKey };
}

/** Where the signing key comes from, first match wins. */
export interface SigningKeySource {
  /** The key text itself (e.g. from `AUDIT_TRAIL_SIGNING_KEY`). */
  key?: string;
  /** A file holding the key text (e.g. `--signing-key FILE`). */
  keyFile?: string;
  /** The data directory: `<dataDir>/checkpoint-signing.key`, created on first start. */
  dataDir?: string;
  /** Name for a key created on first start. @default {@link DEFAULT_KEY_NAME} */
  name?: string;
}

/** Whether the source names a key itself (text or file), which then wins over any stored one. */
export function isConfigured(source: SigningKeySource): boolean {
  return (source.key !== undefined && source.key.trim() !== '') || source.keyFile !== undefined;
}

/** Name of the signing key among the database's settings. */
export const SHARED_SIGNING_KEY_SETTING = 'checkpoint-signing-key';

/**
 * The deployment's key kept in a database every process shares (used when none is configured). The first process
 * to start stores its candidate (the data directory's key file when there is one, so a deployment that signed with
 * it keeps its pinned key; a new key otherwise) with insert-if-absent, and every process uses the stored one.
 * Whoever can read that database can then sign checkpoints: see docs/server.md, "Signing key".
 */
export async function loadSharedSigningKey(settings: SettingsRepository, source: SigningKeySource): Promise<SigningKey & { created: boolean; location: string }> {
  let candidate: SigningKey | undefined;
  if (source.dataDir !== undefined) {
    const file = join(source.dataDir, SIGNING_KEY_FILE);
    try {
      candidate = parseSigningKey(readFileSync(file, 'utf8'), file);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  const name = source.name ?? DEFAULT_KEY_NAME;
  if (!candidate && !isValidKeyName(name)) throw new TypeError(`invalid signing key name "${name}" (no spaces or "+")`);
  candidate ??= { name, privateKey: generateKeyPairSync('ed25519').privateKey };
  const proposed = formatSigningKey(candidate);
  const stored = await settings.keepFirst(SHARED_SIGNING_KEY_SETTING, proposed);
  return { ...parseSigningKey(stored, 'the signing key stored in the database'), created: stored === proposed, location: 'database' };
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Loads the signing key from configuration, or from (creating when needed) the data directory's key file. */
export function loadSigningKey(source: SigningKeySource): SigningKey & { created: boolean; location: string } {
  if (source.key !== undefined && source.key.trim() !== '') {
    return { ...parseSigningKey(source.key, 'the configured signing key'), created: false, location: 'configuration' };
  }
  if (source.keyFile !== undefined) {
    return { ...parseSigningKey(readFileSync(source.keyFile, 'utf8'), source.keyFile), created: false, location: source.keyFile };
  }
  if (source.dataDir === undefined) {
    throw new TypeError('no checkpoint signing key: configure one (signingKey / signingKeyFile) or give a data directory');
  }
  mkdirSync(source.dataDir, { recursive: true, mode: 0o700 });
  const file = join(source.dataDir, SIGNING_KEY_FILE);
  try {
    return { ...parseSigningKey(readFileSync(file, 'utf8'), file), created: false, location: file };
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  const name = source.name ?? DEFAULT_KEY_NAME;
  if (!isValidKeyName(name)) throw new TypeError(`invalid signing key name "${name}" (no spaces or "+")`);
  const key: SigningKey = { name, privateKey: generateKeyPairSync('ed25519').privateKey };
  // The directory may hold the database already (created with the default mode): tighten it to owner-only.
  chmodSync(source.dataDir, 0o700);
  // Written whole to a private temporary file, then linked into place: when two processes start together on one
  // data dir, exactly one link succeeds and the other reads a complete key.
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temporary, `${formatSigningKey(key)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { ...parseSigningKey(readFileSync(file, 'utf8'), file), created: false, location: file };
  } finally {
    unlinkSync(temporary);
  }
  return { ...key, created: true, location: file };
}
