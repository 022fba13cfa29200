/**
 * prepareEntry writes each entry's JSON once into the arena; with a minted key it serialises the caller's object
 * as given and writes the key member after it. These check that the queued bytes are exactly the JSON of the entry
 * with its key, as serializeEntry (the contract) makes it, for any valid entry.
 */
import fc from 'fast-check';
import { EntryArena, slotText } from '../../src/delivery/entry-arena.js';
import { prepareEntry } from '../../src/delivery/prepare-entry.js';
import { isValidationIssue, isWellFormedText, serializeEntry } from '../../src/contract/validation.js';
import { ValidationError } from '../../src/errors.js';

const printable = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }).filter((text) => !/[\u0000-\u001f\u007f]/.test(text) && isWellFormedText(text));
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
})).value.filter((value) => { try { return JSON.stringify(value) !== undefined; } catch { return false; } });
const entry = fc.record(
  {
    actorId: printable,
    action: printable,
    details: fc.oneof(fc.string({ maxLength: 40 }), fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 5 })),
    entityType: printable,
    entityId: printable,
    actorRoles: fc.array(printable.filter((role) => !role.includes(',')), { maxLength: 3 }),
  },
  { requiredKeys: ['actorId', 'action'] },
).filter((value) => (value.entityType === undefined) === (value.entityId === undefined));

const expectedJson = (value: object, key: string): string => {
  const serialized = serializeEntry({ ...value, idempotencyKey: key });
  if (isValidationIssue(serialized)) throw new Error(serialized.message);
  return serialized.json;
};

describe('prepareEntry', () => {
  it('queues, byte for byte, the JSON the contract gives for the entry with its key', () => {
    const arena = new EntryArena();
    fc.assert(
      fc.property(entry, (value) => {
        if (isValidationIssue(serializeEntry(value))) return; // e.g. an integer beyond 2^53: refused either way
        const prepared = prepareEntry(value, [], arena);
        expect(prepared.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(slotText(prepared)).toBe(expectedJson(value, prepared.key));
        expect(prepared.bytes).toBe(Buffer.byteLength(slotText(prepared)));
        expect(value).not.toHaveProperty('idempotencyKey'); // the caller's object is never changed
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a given key where it is, and serialises entries that are not plain objects as their copy', () => {
    const arena = new EntryArena();
    const given = prepareEntry({ idempotencyKey: 'mine-1', actorId: 'a', action: 'B' }, [], arena);
    expect(given.key).toBe('mine-1');
    expect(slotText(given)).toBe('{"idempotencyKey":"mine-1","actorId":"a","action":"B"}');
    // An own member that is undefined keeps its place, as in a copy with the key set.
    const undefinedKey = prepareEntry({ actorId: 'a', idempotencyKey: undefined, action: 'B' }, [], arena);
    expect(slotText(undefinedKey)).toBe(`{"actorId":"a","idempotencyKey":"${undefinedKey.key}","action":"B"}`);
    // A class instance with toJSON on its prototype: its own members are what is sent (as before), not toJSON's.
    class Event {
      actorId = 'a';
      action = 'B';
      toJSON(): unknown {
        return { something: 'else' };
      }
    }
    const instance = prepareEntry(new Event(), [], arena);
    expect(slotText(instance)).toBe(`{"actorId":"a","action":"B","idempotencyKey":"${instance.key}"}`);
  });

  it('names the field of an invalid or too large entry and gives its space back', () => {
    const arena = new EntryArena();
    const before = arena.write('{"x":1}');
    expect(() => prepareEntry({ actorId: '', action: 'B' }, [], arena)).toThrow(/actorId/);
    expect(arena.write('{"y":2}').start).toBe(before.start + before.bytes + 1);
    // Too large (checked once its bytes are written, in a chunk of its own): the next entry takes its place.
    expect(() => prepareEntry({ actorId: 'a', action: 'B', details: { big: 'x'.repeat(70_000) } }, [], arena)).toThrow(/details must be at most/);
    const next = arena.write('{"z":3}');
    expect(next.start).toBe(0);
    expect(next.chunk.length).toBeGreaterThan(70_000);
  });
});
