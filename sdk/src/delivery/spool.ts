/**
 * The durable spool: an append-only directory of segment files.
 *
 * Layout of `dir`:
 * - `spool.lock`: who uses the spool (host, pid), taken by exclusive create; a live owner is refused, a stale lock
 *   (dead process on this host, or not refreshed for `staleLockMs` by another host) is taken over: spool-lock.ts.
 * - `seg-<n>.ndjson`: accepted entries, one JSON line each (the exact text sent, idempotency key included).
 * - `seg-<n>.acks`: idempotency keys of that segment's entries that are settled (receipt received, or given up on).
 *
 * A segment whose every entry is acknowledged is deleted (that is the compaction); appends then start a new one.
 * On open, every segment is read back and the entries without an ack are returned for sending. Acks are never
 * fsync'd: a lost ack only means the entry is sent again, and the service answers `duplicate` for its key.
 * A torn last line (power loss mid-write) is skipped: its `enqueue` never returned.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SpoolOptions } from './options.js';
import { SpoolLock } from './spool-lock.js';

/** An entry read back from the spool. */
export interface SpooledRecord {
  /** Idempotency key. */
  key: string;
  /** The JSON line. */
  json: string;
  /** Its UTF-8 byte length. */
  bytes: number;
  /** The segment it lives in. */
  segment: number;
}

interface Segment {
  /** Entries appended and not yet acknowledged. */
  pending: number;
  /** Open file descriptor of the ack file, opened on first ack. */
  ackFd: number | undefined;
}

const SEGMENT = /^seg-(\d+)\.ndjson$/;
const NEWLINE = Buffer.from('\n');
const segmentFile = (dir: string, id: number): string => path.join(dir, `seg-${String(id).padStart(8, '0')}.ndjson`);
const ackFile = (dir: string, id: number): string => path.join(dir, `seg-${String(id).padStart(8, '0')}.acks`);

/** A spool directory opened by one client. */
export class Spool {
  readonly #dir: string;
  readonly #fsync: Required<SpoolOptions>['fsync'];
  readonly #lock: SpoolLock;
  readonly #segments = new Map<number, Segment>();
  #nextId: number;
  #activeId = -1;
  #activeFd: number | undefined;
  #dirty = false;
  #syncTimer: NodeJS.Timeout | undefined;

  private constructor(options: Required<SpoolOptions>, lock: SpoolLock, nextId: number) {
    this.#dir = options.dir;
    this.#fsync = options.fsync;
    this.#lock = lock;
    this.#nextId = nextId;
    if (options.fsync === 'batch') {
      this.#syncTimer = setInterval(() => this.sync(), options.fsyncIntervalMs);
      // Syncing is housekeeping; it must not keep the process alive.
      this.#syncTimer.unref();
    }
  }

  /** Opens (creating) the directory, takes the lock and reads back the unacknowledged entries, oldest first. */
  static open(options: Required<SpoolOptions>): { spool: Spool; restored: SpooledRecord[] } {
    fs.mkdirSync(options.dir, { recursive: true });
    const lock = SpoolLock.acquire(options.dir, options.staleLockMs);
    const ids = fs
      .readdirSync(options.dir)
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const spool = new Spool(options, lock, (ids.at(-1) ?? 0) + 1);
    const restored: SpooledRecord[] = [];
    for (const id of ids) restored.push(...spool.#restoreSegment(id));
    return { spool, restored };
  }

  #restoreSegment(id: number): SpooledRecord[] {
    let acked: Set<string>;
    try {
      acked = new Set(fs.readFileSync(ackFile(this.#dir, id), 'utf8').split('\n'));
    } catch {
      acked = new Set();
    }
    const records: SpooledRecord[] = [];
    const text = fs.readFileSync(segmentFile(this.#dir, id), 'utf8');
    const lines = text.split('\n');
    // Only newline-terminated lines were fully written.
    lines.pop();
    for (const json of lines) {
      let key: unknown;
      try {
        key = (JSON.parse(json) as { idempotencyKey?: unknown }).idempotencyKey;
      } catch {
        continue;
      }
      if (typeof key !== 'string' || acked.has(key)) continue;
      records.push({ key, json, bytes: Buffer.byteLength(json), segment: id });
    }
    if (records.length === 0) this.#remove(id);
    else this.#segments.set(id, { pending: records.length, ackFd: undefined });
    return records;
  }

  /** Appends one entry (with `fsync: 'always'`, synced) before returning the segment that holds it. */
  append(entryBytes: Uint8Array): number {
    if (this.#activeFd === undefined) this.#openSegment();
    // The entry's UTF-8 bytes as the queue holds them (entry-arena.ts), written as they are (no decoding to text and
    // encoding again), with the newline in the same write.
    fs.writevSync(this.#activeFd as number, [entryBytes, NEWLINE]);
    const segment = this.#segments.get(this.#activeId) as Segment;
    segment.pending += 1;
    if (this.#fsync === 'always') fs.fdatasyncSync(this.#activeFd as number);
    else this.#dirty = true;
    return this.#activeId;
  }

  /** With `fsync: 'batch'`: flushes what was appended since the last sync. */
  sync(): void {
    if (!this.#dirty || this.#activeFd === undefined || this.#fsync === 'never') return;
    fs.fdatasyncSync(this.#activeFd);
    this.#dirty = false;
  }

  /** Marks entries settled; deletes each segment left with nothing pending. */
  ack(entries: ReadonlyArray<{ key: string; segment: number }>): void {
    const bySegment = new Map<number, string[]>();
    for (const { key, segment } of entries) {
      const keys = bySegment.get(segment);
      if (keys) keys.push(key);
      else bySegment.set(segment, [key]);
    }
    for (const [id, keys] of bySegment) {
      const segment = this.#segments.get(id);
      if (!segment) continue;
      segment.pending -= keys.length;
      if (segment.pending <= 0) {
        this.#remove(id);
        continue;
      }
      segment.ackFd ??= fs.openSync(ackFile(this.#dir, id), 'a');
      fs.writeSync(segment.ackFd, `${keys.join('\n')}\n`);
    }
  }

  /** Syncs, closes the files and releases the lock; unsent entries stay for the next start. */
  close(): void {
    if (this.#syncTimer) clearInterval(this.#syncTimer);
    this.sync();
    if (this.#activeFd !== undefined) fs.closeSync(this.#activeFd);
    this.#activeFd = undefined;
    for (const segment of this.#segments.values()) {
      if (segment.ackFd !== undefined) fs.closeSync(segment.ackFd);
      segment.ackFd = undefined;
    }
    this.#lock.release();
  }

  #openSegment(): void {
    this.#activeId = this.#nextId++;
    this.#activeFd = fs.openSync(segmentFile(this.#dir, this.#activeId), 'a');
    this.#segments.set(this.#activeId, { pending: 0, ackFd: undefined });
    // The new file's directory entry must be durable too, or a power loss could lose the whole segment.
    if (this.#fsync === 'always') syncDirectory(this.#dir);
  }

  #remove(id: number): void {
    const segment = this.#segments.get(id);
    if (segment?.ackFd !== undefined) fs.closeSync(segment.ackFd);
    if (id === this.#activeId && this.#activeFd !== undefined) {
      fs.closeSync(this.#activeFd);
      this.#activeFd = undefined;
      this.#dirty = false;
    }
    this.#segments.delete(id);
    fs.rmSync(segmentFile(this.#dir, id), { force: true });
    fs.rmSync(ackFile(this.#dir, id), { force: true });
  }
}

function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
