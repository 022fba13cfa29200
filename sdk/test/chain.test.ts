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

  test('chainHash equals the hand-written recipe for sequences beyond 2^32, both versions, and malformed (tampered) hex', () => {
    const byHand = (sequence: number, previous: string, standalone: string, version: 1 | 2): string => {
      const seq = Buffer.alloc(8);
      seq.writeBigUInt64BE(BigInt(sequence));
      return createHash('sha256')
        .update(Buffer.concat([Buffer.from(`audit-trail/v${version}/entry\u0000`, 'utf8'), seq, Buffer.from(previous, 'hex'), Buffer.from(standalone, 'hex')]))
        .digest('hex');
    };
    const hex = (seed: string): string => createHash('sha256').update(seed).digest('hex');
    const previousValues = [hex('p'), hex('q').toUpperCase(), `${hex('r').slice(0, 62)}zz`, `${hex('s')}00`, hex('t').slice(0, 63), ''];
    for (const sequence of [1, 2, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      for (const version of [1, 2] as const) {
        for (const previous of previousValues) {
          // The reused input buffer must not carry anything over from the call before.
          expect(chainHash(sequence, previous, hex(`${sequence}`), version)).toBe(byHand(sequence, previous, hex(`${sequence}`), version));
          expect(chainHash(sequence, hex('x'), previous, version)).toBe(byHand(sequence, hex('x'), previous, version));
        }
      }
    }
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
    expect(verifyChain(entries)).toEqual({
      valid: false,
      checked: 2,
      firstBadEntryId: target.id,
      firstBadSequence: 3,
      reason: 'standalone_hash_mismatch',
      breaks: [{ sequence: 3, entryId: target.id, reason: 'standalone_hash_mismatch' }],
      breaksTruncated: false,
    });
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

  test('swapped entries with renumbered sequences: version 2 hashes the sequence, version 1 only chains it', () => {
    const swap = (entries: StoredEntry[]): StoredEntry[] => {
      const [third, fourth] = [entries[2], entries[3]];
      if (!third || !fourth) throw new Error('no entries');
      entries[2] = { ...fourth, sequence: 3 };
      entries[3] = { ...third, sequence: 4 };
      return entries;
    };
    expect(verifyChain(swap(clone()))).toMatchObject({ valid: false, firstBadSequence: 3, reason: 'standalone_hash_mismatch' });
    expect(verifyChain(swap(buildChain(5, () => ({}), 1)))).toMatchObject({ valid: false, firstBadSequence: 3, reason: 'previous_hash_mismatch' });
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

describe('hash versions', () => {
  const keyed = (): StoredEntry[] => buildChain(4, (i) => ({ idempotencyKey: `key-${i + 1}` }));

  test('version 2 covers the idempotency key: swapping two keys breaks both entries', () => {
    const entries = keyed();
    const [a, b] = [entries[1], entries[2]];
    if (!a || !b) throw new Error('no entries');
    [a.idempotencyKey, b.idempotencyKey] = [b.idempotencyKey, a.idempotencyKey];
    expect(verifyChain(entries)).toMatchObject({
      valid: false,
      breaks: [
        { sequence: 2, entryId: a.id, reason: 'standalone_hash_mismatch' },
        { sequence: 3, entryId: b.id, reason: 'standalone_hash_mismatch' },
      ],
    });
  });

  test('version 1 entries stay verifiable with the version-1 recipe (which did not cover the key)', () => {
    const v1 = buildChain(3, (i) => ({ idempotencyKey: `k${i}` }), 1);
    expect(verifyChain(v1)).toMatchObject({ valid: true, checked: 3 });
    expect(canonicalEntry(v1[0] as StoredEntry)).not.toContain('idempotencyKey');
    expect(canonicalEntry(v1[0] as StoredEntry)).not.toContain('hashVersion');
    const canonical = canonicalEntry(buildChain(1, () => ({ idempotencyKey: 'k' }))[0] as StoredEntry);
    expect(canonical).toContain('"hashVersion":2');
    expect(canonical).toContain('"idempotencyKey":"k"');
    expect(canonical).toContain('"sequence":1');
  });

  test('a chain may go from version 1 to version 2, never back', () => {
    const v1 = buildChain(2, () => ({}), 1);
    const last = v1[1] as StoredEntry;
    const next = { ...buildChain(1)[0], sequence: 3, hashVersion: 2 } as StoredEntry;
    next.standaloneHash = standaloneHash(next);
    next.previousHash = last.hash;
    next.hash = chainHash(3, last.hash, next.standaloneHash, 2);
    expect(verifyChain([...v1, next])).toMatchObject({ valid: true, checked: 3 });
    const back = { ...next, sequence: 4, hashVersion: 1 } as StoredEntry;
    back.standaloneHash = standaloneHash(back);
    back.previousHash = next.hash;
    back.hash = chainHash(4, next.hash, back.standaloneHash, 1);
    expect(verifyChain([...v1, next, back])).toMatchObject({ valid: false, firstBadSequence: 4, reason: 'unknown_hash_version' });
  });

  test('an unknown stored version is a failure, not a skip', () => {
    const entries = buildChain(3);
    (entries[1] as { hashVersion: number }).hashVersion = 7;
    expect(verifyChain(entries)).toMatchObject({ valid: false, firstBadSequence: 2, reason: 'unknown_hash_version', breaks: [{ sequence: 2 }] });
    expect(() => canonicalEntry(entries[1] as StoredEntry)).toThrow(RangeError);
  });

  test('verification goes on past a break: two independent edits are two breaks, bounded by maxBreaks', () => {
    const entries = buildChain(10);
    (entries[2] as StoredEntry).actorId = 'mallory';
    (entries[7] as StoredEntry).details = { n: -1 };
    const result = verifyChain(entries);
    expect(result).toMatchObject({ valid: false, checked: 2, firstBadSequence: 3, breaksTruncated: false });
    expect(result.valid ? [] : result.breaks.map((b) => b.sequence)).toEqual([3, 8]);
    expect(verifyChain(entries, { maxBreaks: 1 })).toMatchObject({ breaks: [{ sequence: 3 }], breaksTruncated: true });
  });

  test('an edited hash alone is one break, not two', () => {
    const entries = buildChain(5);
    (entries[2] as StoredEntry).hash = 'f'.repeat(64);
    const result = verifyChain(entries);
    expect(result.valid ? [] : result.breaks).toEqual([{ sequence: 3, entryId: entries[2]?.id, reason: 'hash_mismatch' }]);
  });
});
