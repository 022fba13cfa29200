/**
 * Property (fast-check): the full pass's canonical form built from stored column values
 * (server/src/verification/row-canonical.ts) is byte-identical to the contract's `canonicalEntry` of the same
 * entry, for both hash versions, any JSON details (keys in any order, integer-like keys, text with lone
 * surrogates, every kind of number), with every optional field present or absent; and so is the ledger's form of
 * a fresh entry given as values (canonicalFromEntry).
 */
import fc from 'fast-check';
import { canonicalEntry } from '../../sdk/src/contract/chain.js';
import type { StoredEntry } from '../../sdk/src/contract/schemas.js';
import { canonicalFromColumns, canonicalFromEntry } from '../src/verification/row-canonical.js';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
/** Keys that JCS and `Object.keys` order differently (integer-like, case, non-BMP) beside arbitrary ones. */
const key = fc.oneof(text, fc.constantFrom('10', '9', '0', '-1', '01', 'a', 'B', '\u{1F600}', '\uFFFF', '__proto__', ''));
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.uniqueArray(fc.tuple(key, tie('json')), { maxLength: 5, selector: ([k]) => k }).map((pairs) => {
      // Built the way JSON.parse builds objects (own data properties, `__proto__` included).
      const object: Record<string, unknown> = {};
      for (const [k, v] of pairs) Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
      return object;
    }),
  ),
}));

const entry = fc.record({
  id: text,
  applicationId: text,
  sequence: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  timestamp: text,
  actorId: text,
  action: text,
  details: optional(json),
  actorDisplayName: optional(text),
  actorRoles: optional(fc.array(text, { maxLength: 3 })),
  entityType: optional(text),
  entityId: optional(text),
  occurredAt: optional(text),
  ip: optional(text),
  idempotencyKey: optional(text),
  hashVersion: fc.constantFrom(1, 2),
});

test('canonical bytes from stored columns equal the contract canonicalEntry of the same entry', () => {
  fc.assert(
    fc.property(entry, (e) => {
      const stored = e as unknown as StoredEntry;
      // What both stores write: details and roles as JSON text, NULL when absent.
      const columns = {
        ...e,
        details: e.details === null ? null : JSON.stringify(e.details),
        actorRoles: e.actorRoles === null ? null : JSON.stringify(e.actorRoles),
      };
      expect(canonicalFromColumns(columns)).toBe(canonicalEntry(stored));
    }),
    { numRuns: 3000 },
  );
});

test('canonical bytes of an entry given as values (the ledger) equal the contract canonicalEntry', () => {
  fc.assert(
    fc.property(entry, (e) => {
      expect(canonicalFromEntry(e)).toBe(canonicalEntry(e as unknown as StoredEntry));
    }),
    { numRuns: 3000 },
  );
});

test('details whose keys are out of JCS order are reordered (the native fast path is not taken blindly)', () => {
  const columns = {
    id: 'i', applicationId: 'a', sequence: 1, timestamp: 't', actorId: 'x', action: 'y',
    details: '{"b":1,"a":{"d":[{"z":1,"y":2}],"c":2},"10":0,"9":0}', actorDisplayName: null, actorRoles: null,
    entityType: null, entityId: null, occurredAt: null, ip: null, idempotencyKey: null, hashVersion: 2,
  };
  expect(canonicalFromColumns(columns)).toContain('"details":{"10":0,"9":0,"a":{"c":2,"d":[{"y":2,"z":1}]},"b":1}');
});
