import { Batch, type QueuedEntry } from '../../src/delivery/batch.js';

let seq = 0;
const queued = (json: string): QueuedEntry => ({
  key: `k${++seq}`,
  json,
  bytes: Buffer.byteLength(json),
  seq,
  acceptedAt: 0,
  segment: -1,
});
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
    expect(batch.bodyBytes).toBe(Buffer.byteLength(batch.body()));
    expect(batch.bodyBytes).toBeLessThanOrEqual(1024);
    // One more entry would have crossed the limit.
    expect(batch.bodyBytes + small('Zoë – 日本語 ✓').bytes + 1).toBeGreaterThan(1024);
  });

  it('builds the body from the entries\' own JSON, in order', () => {
    const batch = new Batch({ maxEntries: 10, maxBytes: 10_000 });
    batch.tryAdd(small('a'));
    batch.tryAdd(small('b'));
    expect(JSON.parse(batch.body())).toEqual({ entries: [{ actorId: 'a', action: 'A' }, { actorId: 'b', action: 'A' }] });
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
});
