import { EntryArena, batchBodyBytes, slotText } from '../../src/delivery/entry-arena.js';

describe('EntryArena', () => {
  it('keeps each entry\'s exact UTF-8 bytes, followed by a comma, and gives the text back', () => {
    const arena = new EntryArena();
    const texts = ['{"a":1}', '{"b":"Zoë – 日本語 ✓"}', '{"c":"😀"}'];
    const slots = texts.map((text) => arena.write(text));
    slots.forEach((slot, index) => {
      expect(slot.bytes).toBe(Buffer.byteLength(texts[index]!));
      expect(slotText(slot)).toBe(texts[index]);
      expect(slot.chunk[slot.start + slot.bytes]).toBe(0x2c);
    });
    expect(slots[1]!.start).toBe(slots[0]!.start + slots[0]!.bytes + 1);
  });

  it('never changes the bytes of a written entry: a full chunk is left as it is and a new one started', () => {
    const arena = new EntryArena();
    const first = arena.write('{"first":true}');
    const big = 'x'.repeat(200_000);
    const slots = [arena.write(`"${big}"`), arena.write(`"${big}"`), arena.write(`"${big}"`)];
    expect(new Set(slots.map((slot) => slot.chunk)).size).toBeGreaterThan(1);
    expect(slotText(first)).toBe('{"first":true}');
    for (const slot of slots) expect(slotText(slot)).toBe(`"${big}"`);
    // An entry larger than a chunk gets a chunk of its own.
    const huge = arena.write(`"${'y'.repeat(1_000_000)}"`);
    expect(slotText(huge)).toHaveLength(1_000_002);
  });

  it('unwrite gives back only the space of the slot written last', () => {
    const arena = new EntryArena();
    const a = arena.write('{"a":1}');
    const b = arena.write('{"b":2}');
    arena.unwrite(a); // not the last: nothing happens
    const c = arena.write('{"c":3}');
    expect(slotText(a)).toBe('{"a":1}');
    expect(slotText(b)).toBe('{"b":2}');
    arena.unwrite(c);
    const d = arena.write('{"d":4}');
    expect(d.start).toBe(c.start);
  });

  it('refuses to build a body whose length is not the one announced', () => {
    const arena = new EntryArena();
    const slots = [arena.write('{"a":1}'), arena.write('{"b":2}')];
    const body = '{"entries":[{"a":1},{"b":2}]}';
    expect(batchBodyBytes(slots, body.length).toString()).toBe(body);
    expect(() => batchBodyBytes(slots, body.length + 1)).toThrow(/expected/);
    expect(() => batchBodyBytes(slots, body.length - 1)).toThrow(/expected/);
  });
});

describe('EntryArena.writeWithKey', () => {
  it('writes, byte for byte, the JSON of the object with the key member appended', () => {
    const arena = new EntryArena();
    for (const value of [{ a: 1 }, { actorId: 'Zoë – 日本語 ✓', action: 'A', details: { nested: [1, '😀'] } }, { '2': 'x', b: null }]) {
      const key = '0190b6f2-4c2a-7d3e-8f10-2b6c1f0e9a77';
      const slot = arena.writeWithKey(JSON.stringify(value), key);
      const expected = JSON.stringify(Object.assign({}, value, { idempotencyKey: key }));
      expect(slotText(slot)).toBe(expected);
      expect(slot.bytes).toBe(Buffer.byteLength(expected));
      expect(slot.chunk[slot.start + slot.bytes]).toBe(0x2c);
    }
  });
});
