/**
 * The build-time copies of the contract's TypeBox schemas (sdk/src/contract/generated/, made by
 * sdk/scripts/generate-contract.cjs) must be the schemas of schemas.ts exactly, and the generated entry check must
 * give TypeBox's own verdict: the SDK and the Zapier app load these instead of TypeBox.
 */
import fc from 'fast-check';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import * as source from '../src/contract/schemas';
import * as generated from '../src/contract/generated/schemas';
import { checkEntry } from '../src/contract/generated/validators';

const Kind = Symbol.for('TypeBox.Kind');
const isSchema = (value: unknown): boolean => typeof value === 'object' && value !== null && Kind in value;

describe('generated contract', () => {
  const names = Object.keys(source).filter((name) => isSchema((source as Record<string, unknown>)[name]));

  it('has every schema of schemas.ts, equal to it (TypeBox symbols included)', () => {
    expect(names).toContain('EntrySchema');
    for (const name of names) {
      const copy = (generated as Record<string, unknown>)[name];
      expect(copy).toStrictEqual((source as Record<string, unknown>)[name]);
      expect((copy as Record<symbol, unknown>)[Kind]).toBe(((source as Record<string, unknown>)[name] as Record<symbol, unknown>)[Kind]);
    }
  });

  it('shares objects exactly where schemas.ts does (the OpenAPI document turns shared schemas into $refs)', () => {
    const toGenerated = new Map<object, object>();
    const toSource = new Map<object, object>();
    const walk = (a: unknown, b: unknown, where: string): void => {
      if (typeof a !== 'object' || a === null) return;
      expect([where, typeof b]).toEqual([where, 'object']);
      const seen = toGenerated.get(a);
      if (seen !== undefined) {
        expect([where, seen === b]).toEqual([where, true]);
        return;
      }
      expect([where, toSource.has(b as object)]).toEqual([where, false]);
      toGenerated.set(a, b as object);
      toSource.set(b as object, a);
      for (const key of [...Object.keys(a), ...Object.getOwnPropertySymbols(a)]) {
        walk((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key], `${where}.${String(key)}`);
      }
    };
    for (const name of names) walk((source as Record<string, unknown>)[name], (generated as Record<string, unknown>)[name], name);
    expect(toGenerated.size).toBeGreaterThan(names.length);
  });

  it('exports the same names as schemas.ts', () => {
    expect(Object.keys(generated).sort()).toEqual(Object.keys(source).sort());
  });

  it('checks entries exactly as TypeBox compiled at run time does', () => {
    const compiled = TypeCompiler.Compile(source.EntrySchema);
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('', ' ', 'a,b', '\u0000', '2026-01-31T12:00:00Z'));
    const entryLike = fc.record(
      {
        actorId: text,
        action: text,
        details: fc.oneof(text, fc.object(), fc.constant(null), fc.array(text)),
        actorDisplayName: text,
        actorRoles: fc.oneof(fc.array(text, { maxLength: 40 }), text),
        entityType: text,
        entityId: text,
        occurredAt: text,
        ip: fc.oneof(text, fc.constantFrom('127.0.0.1', '::1')),
        idempotencyKey: text,
        extra: text,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(entryLike, fc.anything()), (value) => {
        expect(checkEntry(value)).toBe(compiled.Check(value));
      }),
      { numRuns: 2000 },
    );
    expect(checkEntry({ actorId: 'ada', action: 'LOGIN', actorRoles: ['admin'], details: { a: 1 } })).toBe(true);
  });
});
