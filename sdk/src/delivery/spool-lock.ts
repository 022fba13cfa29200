/**
 * The spool's lock, `spool.lock`: one client at a time per spool directory, also when the directory is a volume
 * that several containers (hosts) share.
 *
 * - Taking it is an exclusive create (`open` with `wx`, O_CREAT|O_EXCL), so of two clients starting at once
 *   exactly one gets it. The file names its owner: `{"host","pid","token"}`.
 * - The owner touches the file (its mtime) every `staleLockMs / 3`, so other hosts can tell a live owner from a
 *   dead one.
 * - A lock found on start is stale, and taken over, when its owner is on this host and its process is gone
 *   (crash, SIGKILL), or when it is on another host and was not touched for `staleLockMs`. A live owner on this
 *   host, or a recently touched lock of another host, makes the open fail with an error naming the owner.
 * - Taking over is itself race-free: only the client that creates `spool.lock.takeover` (again `wx`) may remove
 *   a stale lock, and only after reading it again under that guard and finding the very lock it judged stale;
 *   the others are refused. A takeover guard older than `staleLockMs` (its client died mid-takeover) is removed.
 * - A lock that names no owner yet is being written by the client that just created it (create and write are two
 *   steps): refused like a live one, and stale only once untouched for `staleLockMs`.
 * - A lock left by this very process (a client that was never closed) is taken over, as before.
 * Not covered: hosts whose clocks disagree by more than `staleLockMs` (mtimes are the file server's, but the
 * comparison uses the local clock), and file systems without O_EXCL (NFSv2).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Who holds a lock. */
export interface LockOwner {
  host: string;
  pid: number;
  /** Unique per acquisition, so a replaced lock is never mistaken for ours. */
  token: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What a lock file says: its owner, or `undefined` when it does not name one yet. The exclusive create and the
 * write of the owner are two steps, so a client reading in between sees an empty (or, in principle, partial) file:
 * that lock is being taken right now, not abandoned. A lock of the old format (a bare pid) was written on this host.
 */
function readOwner(file: string): { owner: LockOwner | undefined; mtimeMs: number; text: string } | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (/^\s*\d+\s*$/.test(text)) {
    return { owner: { host: os.hostname(), pid: Number.parseInt(text, 10), token: `legacy:${text}` }, mtimeMs, text };
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.host === 'string' && typeof parsed.pid === 'number' && typeof parsed.token === 'string') {
      return { owner: parsed as LockOwner, mtimeMs, text };
    }
  } catch {
    // Not (yet) an owner.
  }
  return { owner: undefined, mtimeMs, text };
}

/** Why a lock is not stale (the error message), or `undefined` when it may be taken over. */
function liveOwner(dir: string, found: { owner: LockOwner | undefined; mtimeMs: number }, staleLockMs: number, now: number): string | undefined {
  const { owner, mtimeMs } = found;
  if (owner === undefined) {
    // Being written by the client that just created it; abandoned only if it stays so for staleLockMs.
    return now - mtimeMs > staleLockMs ? undefined : BEING_TAKEN(dir);
  }
  const where = `${dir} is in use by process ${owner.pid} on host ${owner.host}`;
  if (owner.host === os.hostname()) {
    if (!Number.isInteger(owner.pid) || owner.pid === process.pid || !isAlive(owner.pid)) return undefined;
    return `The spool directory ${where}; give each client its own directory`;
  }
  const age = now - mtimeMs;
  if (age > staleLockMs) return undefined;
  return (
    `The spool directory ${where} (lock touched ${Math.round(age / 1000)} s ago); give each container its own ` +
    `directory, or wait ${Math.ceil((staleLockMs - age) / 1000)} s if that host is gone`
  );
}

const BEING_TAKEN = (dir: string): string =>
  `The spool directory ${dir} is being taken by another client at the same time; give each client its own directory`;

/** A held lock: keeps itself fresh until released. */
export class SpoolLock {
  readonly #file: string;
  readonly #token: string;
  readonly #heartbeat: NodeJS.Timeout;

  private constructor(file: string, token: string, staleLockMs: number) {
    this.#file = file;
    this.#token = token;
    this.#heartbeat = setInterval(() => this.#touch(), Math.max(1, Math.floor(staleLockMs / 3)));
    // Housekeeping: must not keep the process alive.
    this.#heartbeat.unref();
  }

  /** Takes the lock of `dir`, taking over a stale one; throws when a live owner holds it. */
  static acquire(dir: string, staleLockMs: number, now: () => number = Date.now): SpoolLock {
    const file = path.join(dir, 'spool.lock');
    const owner: LockOwner = { host: os.hostname(), pid: process.pid, token: randomUUID() };
    // Two rounds: a takeover may lose the race to another client, which then holds a fresh lock.
    for (let round = 0; round < 2; round++) {
      try {
        const fd = fs.openSync(file, 'wx');
        try {
          fs.writeSync(fd, JSON.stringify(owner));
        } finally {
          fs.closeSync(fd);
        }
        return new SpoolLock(file, owner.token, staleLockMs);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const found = readOwner(file);
      if (!found) continue;
      const refusal = liveOwner(dir, found, staleLockMs, now());
      if (refusal) throw new Error(refusal);
      if (!SpoolLock.#takeOver(file, found, staleLockMs, now())) break;
    }
    throw new Error(BEING_TAKEN(dir));
  }

  /** Removes the stale lock judged by its content, under the takeover guard; `false` when another client is at it. */
  static #takeOver(file: string, stale: { text: string; mtimeMs: number }, staleLockMs: number, now: number): boolean {
    const guard = `${file}.takeover`;
    try {
      fs.closeSync(fs.openSync(guard, 'wx'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (now - fs.statSync(guard).mtimeMs > staleLockMs) fs.rmSync(guard, { force: true });
      } catch {
        // Gone meanwhile: the other client finished.
      }
      return false;
    }
    try {
      // The very lock judged stale: same text (an owner's token is unique per acquisition) and not touched since
      // (an empty lock another client has just created has the same text, but a fresh mtime).
      const again = readOwner(file);
      if (again?.text === stale.text && again.mtimeMs === stale.mtimeMs) fs.rmSync(file, { force: true });
      return true;
    } finally {
      fs.rmSync(guard, { force: true });
    }
  }

  #touch(): void {
    try {
      const now = new Date();
      fs.utimesSync(this.#file, now, now);
    } catch (error) {
      // Said once, then the heartbeat stops: the lock file (or its directory) is gone or out of reach.
      clearInterval(this.#heartbeat);
      process.emitWarning(`audit-trail spool: could not refresh ${this.#file}; other hosts may take it as stale (${(error as Error).message})`);
    }
  }

  /** Stops the heartbeat and removes the lock, if it is still ours. */
  release(): void {
    clearInterval(this.#heartbeat);
    const found = readOwner(this.#file);
    if (found?.owner?.token === this.#token) fs.rmSync(this.#file, { force: true });
  }
}
