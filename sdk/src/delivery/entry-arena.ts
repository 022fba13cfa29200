/**
 * Where queued entries keep their JSON: UTF-8 bytes written once, at `enqueue`, into large shared buffers, each
 * entry followed by a comma. A batch body is then a copy of whole runs of consecutive entries (commas included)
 * between `{"entries":[` and `]}`, instead of joining 500 strings into one and encoding that again into a Buffer
 * (which cost more than validating and serialising the entries). The writing also gives the exact byte length, so
 * the entry is measured and copied in one pass, and the JSON string itself dies young instead of being held (and
 * copied by every young-generation GC) until its batch is delivered.
 *
 * A chunk is freed by the garbage collector once no queued entry refers to it; nothing is ever reused in place, so
 * an entry's bytes never change while it is held.
 */

/** The bytes of one entry: `chunk[start, start + bytes)`, followed in the chunk by a comma. */
export interface ArenaSlot {
  /** The buffer holding the bytes (shared with neighbouring entries). */
  readonly chunk: Buffer;
  /** Offset of the first byte. */
  readonly start: number;
  /** UTF-8 byte length of the entry's JSON (the comma not included). */
  readonly bytes: number;
}

/**
 * Size of a fresh chunk: about 400 typical entries; an entry larger than this gets a chunk of its own size. Kept
 * below glibc's mmap threshold (128 KiB), so chunks come from the malloc heap: 256 KiB chunks were each a fresh
 * mapping, and faulting its pages in cost more than writing the entries into them.
 */
const CHUNK_BYTES = 64 * 1024;
const COMMA = 0x2c;
const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;
const KEY_MEMBER = Buffer.from(',"idempotencyKey":"');

/** Appends entries' JSON as UTF-8 into shared chunks. One per publisher. */
export class EntryArena {
  #chunk: Buffer | undefined;
  #used = 0;

  /** Writes `json` (and a comma after it) and returns where it lies. */
  write(json: string): ArenaSlot {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes; one more for the comma.
    const chunk = this.#room(json.length * 3 + 1);
    const start = this.#used;
    const bytes = chunk.write(json, start, 'utf8');
    chunk[start + bytes] = COMMA;
    this.#used = start + bytes + 1;
    return { chunk, start, bytes };
  }

  /**
   * Writes the JSON of an object, `json` (from `JSON.stringify`, so ending with its closing brace), with a last
   * member `"idempotencyKey":"<key>"` added, and a comma after it: byte for byte the JSON of the object with that
   * member appended, without building that object or that string. `key` must be JSON-safe ASCII (a minted UUID).
   */
  writeWithKey(json: string, key: string): ArenaSlot {
    const room = json.length * 3 + KEY_MEMBER.length + key.length + 3;
    const chunk = this.#room(room);
    const start = this.#used;
    let at = start + chunk.write(json, start, 'utf8') - 1; // over the closing brace
    at += KEY_MEMBER.copy(chunk, at);
    at += chunk.write(key, at, 'latin1');
    chunk[at++] = QUOTE;
    chunk[at++] = CLOSE_BRACE;
    chunk[at] = COMMA;
    this.#used = at + 1;
    return { chunk, start, bytes: at - start };
  }

  /** The current chunk if it has `room` bytes left, else a fresh one. */
  #room(room: number): Buffer {
    let chunk = this.#chunk;
    if (chunk === undefined || chunk.length - this.#used < room) {
      // Zero-filled: no byte of the process' old memory can ever sit in a chunk, written or not.
      chunk = Buffer.alloc(Math.max(CHUNK_BYTES, room));
      this.#chunk = chunk;
      this.#used = 0;
    }
    return chunk;
  }

  /** Gives back the space of the slot written last (an entry refused after it was written); else does nothing. */
  unwrite(slot: ArenaSlot): void {
    if (slot.chunk === this.#chunk && slot.start + slot.bytes + 1 === this.#used) this.#used = slot.start;
  }
}

/** The entry's JSON text back from its bytes (for event payloads and reports: never on the delivery path). */
export function slotText(slot: ArenaSlot): string {
  return slot.chunk.toString('utf8', slot.start, slot.start + slot.bytes);
}

const HEAD = Buffer.from('{"entries":[');
const TAIL = Buffer.from(']}');

/**
 * The body of `POST /api/log/batch` for these slots, in order: `{"entries":[a,b,…]}` as UTF-8, byte for byte what
 * `batchBody` (contract/wire.ts) gives for their JSON. `bodyBytes` is its exact length (checked).
 */
export function batchBodyBytes(slots: readonly ArenaSlot[], bodyBytes: number): Buffer {
  // Every byte of the (uninitialised) buffer must be written: a wrong length would send garbage or cut the JSON.
  let expected = HEAD.length + TAIL.length + Math.max(0, slots.length - 1);
  for (let index = 0; index < slots.length; index += 1) expected += (slots[index] as ArenaSlot).bytes;
  if (expected !== bodyBytes) throw new Error(`batch body is ${expected} bytes, not the ${bodyBytes} expected`);
  const body = Buffer.allocUnsafe(bodyBytes);
  let at = HEAD.copy(body, 0);
  let index = 0;
  while (index < slots.length) {
    // A run: entries written one after the other into the same chunk, the commas between them included.
    const first = slots[index] as ArenaSlot;
    let last = first;
    index += 1;
    for (; index < slots.length; index += 1) {
      const next = slots[index] as ArenaSlot;
      if (next.chunk !== first.chunk || next.start !== last.start + last.bytes + 1) break;
      last = next;
    }
    if (first !== slots[0]) body[at++] = COMMA;
    at += first.chunk.copy(body, at, first.start, last.start + last.bytes);
  }
  TAIL.copy(body, at);
  return body;
}
