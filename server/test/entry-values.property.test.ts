/**
 * Property (fast-check): the list route's JSON written straight from a row's column values
 * (server/src/store/entry-values.ts) is byte for byte `JSON.stringify` of the entry built from the same row, for
 * rows as the stores write them (details and roles as `JSON.stringify` text, any JSON, text with lone surrogates
 * and control characters); and a row whose JSON column is not JSON fails as the object route does.
 */
import fc from 'fast-check';
import { entryFromValues, entryJson, type EntryValues } from '../src/store/entry-values.js';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
const key = fc.oneof(text, fc.constantFrom('10', '9', '0', '__proto__', ''));
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.uniqueArray(fc.tuple(key, tie('json')), { maxLength: 5, selector: ([k]) => k }).map((pairs) => {
      const object: Record<string, unknown> = {};
      for (const [k, v] of pairs) Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
      return object;
    }),
  ),
}));

/** A row as both stores write it (see the repositories' insert). */
const row: fc.Arbitrary<EntryValues> = fc
  .tuple(
    text,
    text,
    fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    text,
    text,
    text,
    optional(json),
    optional(text),
    optional(fc.array(text, { maxLength: 3 })),
    fc.tuple(optional(text), optional(text), optional(text), optional(text), optional(text)),
    fc.tuple(text, text, text, fc.constantFrom(1, 2, 7)),
  )
  .map(([id, app, sequence, timestamp, actor, action, details, name, roles, [entityType, entityId, occurredAt, ip, key], [previous, hash, standalone, version]]) => [
    id, app, sequence, timestamp, actor, action,
    details === null ? null : JSON.stringify(details),
    name,
    roles === null ? null : JSON.stringify(roles),
    entityType, entityId, occurredAt, ip, key, previous, hash, standalone, version,
  ]);

test('entryJson(row) is byte for byte JSON.stringify(entryFromValues(row))', () => {
  fc.assert(
    fc.property(row, (values) => {
      expect(entryJson(values)).toBe(JSON.stringify(entryFromValues(values)));
    }),
    { numRuns: 3000 },
  );
});

test('a JSON column that is not JSON fails the row instead of making a malformed page', () => {
  const values = ['i', 'a', 1, 't', 'x', 'y', '{"a":', null, null, null, null, null, null, null, 'p', 'h', 's', 2];
  expect(() => entryFromValues(values)).toThrow(SyntaxError);
  expect(() => entryJson(values)).toThrow(SyntaxError);
});
