/**
 * Owner-only files: the data directory is 0700 and every file in it (database, WAL, shared memory, credentials,
 * keys) 0600, whatever the process umask, because they hold secrets' hashes, signing keys and the audit data.
 * SQLite gives its -wal and -shm files the mode of the database file, so creating that one 0600 covers them.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

/** Creates `dir` (and parents) when missing and makes it 0700. */
export function ensurePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Creates `path` empty when missing (never truncates) and makes it 0600. */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}
