/** verifyChain on hand-built chains, and the recipe checked against an independent computation. */
import { createHash } from 'node:crypto';
import { GENESIS_HASH, HASH_DOMAIN, canonicalEntry, chainHash, standaloneHash, verifyChain } from '../src/contract/chain.js';
import type { StoredEntry } from '../src/contract/schemas.js';
import { buildChain } from './support/fixtures.js';

describe('the recipe', () => {
  const [first, second] = buildChain(2, (i) => ({ details: i === 0 ? { b: 2, a: 'é' } : 'text', actorRoles: i === 0 ? ['x'] : null }));

  test('canonical form: sorted keys, nulls and non-hashed fields left out', () => {
    if (!first) throw new Error('no entry');
    const canonical = canonicalEntry(first);
    const parsed = JSON.parse(canonical) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed).not.toHaveProperty('entityType');
    expect(parsed).not.toHaveProperty('hash');
    expect(parsed).not.toHaveProperty('idempotencyKey');
    expect(canonical).toContain('"details":{"a":"é","b":2}');
  });

  test('hashes match a computation written out by hand', () => {
    if (!first || !second) throw new Error('no entries');
    const sha = (...parts: Buffer[]): string => createHash('sha256').update(Buffer.concat(parts)).digest('hex');
    const standalone = sha(Buffer.from(canonicalEntry(second), 'utf8'));
    expect(second.standaloneHash).toBe(standalone);
    const sequence = Buffer.alloc(8);
    sequence.writeUInt32BE(2, 4);
    const expected = sha(
      Buffer.from(`${HASH_DOMAIN}\u0000`, 'utf8'),
      sequence,
      Buffer.from(first.hash, 'hex'),
      Buffer.from(standalone, 'hex'),
    );
    expect(second.hash).toBe(expected);
    expect(first.previousHash).toBe(GENESIS_HASH);
    expect(chainHash(1, GENESIS_HASH, first.standaloneHash)).toBe(first.hash);
    expect(() => chainHash(0, GENESIS_HASH, first.standaloneHash)).toThrow(RangeError);
  });
});

describe('verifyChain', () => {
  const chain = buildChain(5);
  const clone = (): StoredEntry[] => chain.map((entry) => ({ ...entry }));

  test('a valid chain passes and reports its head', () => {
    expect(verifyChain(chain)).toEqual({ valid: true, checked: 5, lastHash: chain[4]?.hash });
  });

  test('an empty list is valid', () => {
    expect(verifyChain([])).toEqual({ valid: true, checked: 0, lastHash: GENESIS_HASH });
  });

  test('an altered field is a standalone hash mismatch at that entry', () => {
    const entries = clone();
    const target = entries[2];
    if (!target) throw new Error('no entry');
    target.details = { n: 999 };
    expect(verifyChain(entries)).toEqual({ valid: false, checked: 2, firstBadEntryId: target.id, firstBadSequence: 3, reason: 'standalone_hash_mismatch' });
  });

  test('an altered field with a recomputed standalone hash is a chained hash mismatch', () => {
    const entries = clone();
    const target = entries[1];
    if (!target) throw new Error('no entry');
    target.action = 'LOGOUT';
    target.standaloneHash = standaloneHash(target);
    expect(verifyChain(entries)).toMatchObject({ valid: false, firstBadSequence: 2, reason: 'hash_mismatch' });
  });

  test('a removed entry is a sequence gap at the entry after it', () => {
    const entries = clone();
    entries.splice(2, 1);
    expect(verifyChain(entries)).toMatchObject({ valid: false, checked: 2, firstBadSequence: 4, reason: 'sequence_gap' });
  });

  test('swapped entries are caught', () => {
    const entries = clone();
    const [third, fourth] = [entries[2], entries[3]];
    if (!third || !fourth) throw new Error('no entries');
    entries[2] = fourth;
    entries[3] = third;
    expect(verifyChain(entries)).toMatchObject({ valid: false, checked: 2, firstBadEntryId: fourth.id, reason: 'sequence_gap' });
  });

  test('swapped entries with renumbered sequences are a previous-hash mismatch', () => {
    const entries = clone();
    const [third, fourth] = [entries[2], entries[3]];
    if (!third || !fourth) throw new Error('no entries');
    entries[2] = { ...fourth, sequence: 3 };
    entries[3] = { ...third, sequence: 4 };
    expect(verifyChain(entries)).toMatchObject({ valid: false, firstBadSequence: 3, reason: 'previous_hash_mismatch' });
  });

  test('a range is checked relative to its start, or to a given anchor', () => {
    const range = chain.slice(2);
    expect(verifyChain(range)).toMatchObject({ valid: true, checked: 3 });
    expect(verifyChain(range, { anchorHash: chain[1]?.hash ?? '' })).toMatchObject({ valid: true });
    expect(verifyChain(range, { anchorHash: chain[0]?.hash ?? '' })).toMatchObject({ valid: false, reason: 'previous_hash_mismatch' });
  });

  test('a chain whose first entry was removed fails against the genesis anchor', () => {
    expect(verifyChain(chain.slice(1), { anchorHash: GENESIS_HASH })).toMatchObject({ valid: false, firstBadSequence: 2 });
  });
});
