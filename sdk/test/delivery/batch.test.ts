import { Batch, type QueuedEntry } from '../../src/delivery/batch.js';
import { EntryArena } from '../../src/delivery/entry-arena.js';
import { batchBody } from '../../src/contract/wire.js';

let seq = 0;
const arena = new EntryArena();
const queued = (json: string, into = arena): QueuedEntry => ({ key: `k${++seq}`, ...into.write(json), seq, acceptedAt: 0, segment: -1 });
const small = (text = 'x'): QueuedEntry => queued(JSON.stringify({ actorId: text, action: 'A' }));

describe('Batch', () => {
  it('refuses the entry past the count limit', () => {
    const batch = new Batch({ maxEntries: 2, maxBytes: 10_000 });
    expect(batch.tryAdd(small())).toEqual({ added: true });
    expect(batch.tryAdd(small())).toEqual({ added: true });
    expect(batch.tryAdd(small())).toEqual({ added: false, reason: 'count' });
    expect(batch.size).toBe(2);
  });

  it('counts the exact bytes of the body it sends, multi-byte characters included', () => {
    const batch = new Batch({ maxEntries: 100, maxBytes: 1024 });
    let result;
    do result = batch.tryAdd(small('Zoë – 日本語 ✓')); while (result.added);
    expect(result).toEqual({ added: false, reason: 'bytes' });
    expect(batch.bodyBytes).toBe(batch.body().length);
    expect(batch.bodyBytes).toBe(Buffer.byteLength(batch.bodyText()));
    expect(batch.bodyBytes).toBeLessThanOrEqual(1024);
    // One more entry would have crossed the limit.
    expect(batch.bodyBytes + small('Zoë – 日本語 ✓').bytes + 1).toBeGreaterThan(1024);
  });

  it('builds the body from the entries\' own JSON, in order', () => {
    const batch = new Batch({ maxEntries: 10, maxBytes: 10_000 });
    batch.tryAdd(small('a'));
    batch.tryAdd(small('b'));
    expect(JSON.parse(batch.bodyText())).toEqual({ entries: [{ actorId: 'a', action: 'A' }, { actorId: 'b', action: 'A' }] });
  });

  it('always takes a first entry, even one larger than the byte limit', () => {
    const batch = new Batch({ maxEntries: 10, maxBytes: 1024 });
    expect(batch.tryAdd(small('x'.repeat(2000)))).toEqual({ added: true });
    expect(batch.tryAdd(small())).toEqual({ added: false, reason: 'bytes' });
  });

  it('splits into two ordered halves', () => {
    const entries = [small('1'), small('2'), small('3')];
    const [first, second] = new Batch({ maxEntries: 10, maxBytes: 10_000 }, entries).split();
    expect(first.entries).toEqual(entries.slice(0, 2));
    expect(second.entries).toEqual(entries.slice(2));
  });

  it('sends, byte for byte, what joining the entries\' JSON gives, however their bytes lie in the arena', () => {
    // Consecutive entries of one chunk, entries of several arenas interleaved, a multi-byte entry, one large
    // enough to need a chunk of its own: every body equals the contract's batchBody of the same JSON.
    const other = new EntryArena();
    const texts = ['a', 'Zoë – 日本語 ✓', 'b', '😀'.repeat(10), 'x'.repeat(300_000), 'c', 'd', 'e'];
    const entries = texts.map((text, index) => queued(JSON.stringify({ actorId: text, action: 'A' }), index % 3 === 1 ? other : arena));
    const json = (entry: QueuedEntry): string => entry.chunk.toString('utf8', entry.start, entry.start + entry.bytes);
    const limits = { maxEntries: 100, maxBytes: 10_000_000 };
    for (const group of [entries, entries.slice(1, 4), entries.slice(5), [entries[7]!, entries[0]!, entries[6]!], entries.slice(2, 3)]) {
      const batch = new Batch(limits, group);
      const expected = batchBody(group.map(json));
      expect(batch.bodyText()).toBe(expected);
      expect(batch.body().equals(Buffer.from(expected))).toBe(true);
      expect(batch.bodyBytes).toBe(Buffer.byteLength(expected));
    }
    const [first, second] = new Batch(limits, entries).split();
    expect(JSON.parse(first.bodyText()).entries.length + JSON.parse(second.bodyText()).entries.length).toBe(entries.length);
    expect(new Batch(limits, entries).without(new Set([entries[3]!])).bodyText()).toBe(batchBody(entries.filter((_, i) => i !== 3).map(json)));
  });
});
