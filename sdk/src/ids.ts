/**
 * Time-ordered ids (UUIDv7, RFC 9562 §5.7): 48 bits of Unix milliseconds, then random bits. The service indexes
 * entry ids and idempotency keys; ids that grow with time land at the end of those B-trees instead of on random
 * pages, which made batch inserts about 3 times faster on a 50k-entry chain. Written here rather than taken from
 * the `uuid` package because it sits on `enqueue`'s hot path, where `uuid`'s `v7()` cost 0.6 µs.
 */
import { randomFillSync } from 'node:crypto';

/** ASCII codes of the hex digits. */
const HEX = Buffer.from('0123456789abcdef');
const DASH = 0x2d;
const RANDOM_BYTES = 10;
const POOL_IDS = 512;
const pool = Buffer.alloc(RANDOM_BYTES * POOL_IDS);
let next = POOL_IDS;
/**
 * The id being written, as ASCII: the 13 characters of the timestamp part stay from one id to the next within a
 * millisecond; the rest is written from the random pool. Read out as one flat string: building it by joining 20
 * hex pairs left about 550 bytes of intermediate strings per id for the garbage collector.
 */
const text = Buffer.alloc(36);
let textMs = -1;

/** Writes `byte` as two hex digits at `at`. */
function putHex(at: number, byte: number): void {
  text[at] = HEX[byte >>> 4] as number;
  text[at + 1] = HEX[byte & 0x0f] as number;
}

/** A new UUIDv7, e.g. `0190b6f2-4c2a-7d3e-8f10-2b6c1f0e9a77`. Ids made in different milliseconds sort by time. */
export function uuidv7(now: number = Date.now()): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const r = RANDOM_BYTES * next++;
  if (now !== textMs) {
    textMs = now;
    const high = Math.floor(now / 0x1_0000_0000) & 0xffff; // bitwise operators reach only 32 bits
    const low = now >>> 0;
    putHex(0, high >>> 8);
    putHex(2, high & 0xff);
    putHex(4, low >>> 24);
    putHex(6, (low >>> 16) & 0xff);
    text[8] = DASH;
    putHex(9, (low >>> 8) & 0xff);
    putHex(11, low & 0xff);
    text[13] = DASH;
    text[18] = DASH;
    text[23] = DASH;
  }
  putHex(14, 0x70 | ((pool[r] as number) & 0x0f)); // version 7
  putHex(16, pool[r + 1] as number);
  putHex(19, 0x80 | ((pool[r + 2] as number) & 0x3f)); // RFC 9562 variant
  putHex(21, pool[r + 3] as number);
  for (let i = 0; i < 6; i += 1) putHex(24 + 2 * i, pool[r + 4 + i] as number);
  return text.toString('latin1', 0, 36);
}
