/** The published test vectors (docs/hash-chain-vectors.json, quoted in docs/hash-chain.md) against sdk/chain.ts. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredEntry } from '../../sdk/src/contract/schemas.js';
import {
  GENESIS_HASH,
  HASH_DOMAIN,
  HASH_DOMAINS,
  HASH_VERSION,
  canonicalEntry,
  chainHash,
  standaloneHash,
  verifyChain,
  type HashVersion,
} from '../../sdk/src/contract/chain.js';

interface Vector {
  description: string;
  entry: StoredEntry;
  canonical: string;
  standaloneHash: string;
  chainInputHex: string;
  previousHash: string;
  hash: string;
}
interface VectorSet {
  hashVersion: HashVersion;
  domain: string;
  genesisHash: string;
  vectors: Vector[];
}
const docs = join(__dirname, '../../docs');
const published = JSON.parse(readFileSync(join(docs, 'hash-chain-vectors.json'), 'utf8')) as VectorSet & { legacy: VectorSet[] };
const sets: VectorSet[] = [published, ...published.legacy];

describe('hash-chain test vectors', () => {
  test('describe the current recipe version, domain and genesis hash, and keep the version-1 vectors', () => {
    expect(published).toMatchObject({ hashVersion: HASH_VERSION, domain: HASH_DOMAIN, genesisHash: GENESIS_HASH });
    expect(published.legacy.map((set) => set.hashVersion)).toEqual([1]);
    for (const set of sets) {
      expect(set.domain).toBe(HASH_DOMAINS[set.hashVersion]);
      expect(set.vectors.length).toBeGreaterThanOrEqual(3);
    }
  });

  const cases = sets.flatMap((set) => set.vectors.map((v) => [`v${set.hashVersion}: ${v.description}`, set, v] as const));
  test.each(cases)('%s', (_description, set, vector) => {
    const domain = set.domain;
    expect(vector.entry.hashVersion).toBe(set.hashVersion);
    expect(canonicalEntry(vector.entry)).toBe(vector.canonical);
    expect(standaloneHash(vector.entry)).toBe(vector.standaloneHash);
    // The documented recipe, byte for byte, independently of chainHash.
    expect(createHash('sha256').update(vector.canonical, 'utf8').digest('hex')).toBe(vector.standaloneHash);
    const input = Buffer.from(vector.chainInputHex, 'hex');
    expect(input.subarray(0, domain.length + 1).toString('latin1')).toBe(`${domain}\0`);
    expect(input.readBigUInt64BE(domain.length + 1)).toBe(BigInt(vector.entry.sequence));
    expect(input.length).toBe(domain.length + 1 + 8 + 32 + 32);
    expect(createHash('sha256').update(input).digest('hex')).toBe(vector.hash);
    expect(chainHash(vector.entry.sequence, vector.previousHash, vector.standaloneHash, set.hashVersion)).toBe(vector.hash);
  });

  test.each(sets.map((set) => [set.hashVersion, set] as const))('version %s vectors chain together and pass verifyChain', (_version, set) => {
    const entries = set.vectors.map((v) => v.entry);
    expect(verifyChain(entries)).toEqual({ valid: true, checked: entries.length, lastHash: set.vectors[entries.length - 1]?.hash });
  });

  test('version 2 canonical form covers the idempotency key, the sequence and the version', () => {
    const keyed = published.vectors.find((v) => v.entry.idempotencyKey !== null);
    expect(keyed?.canonical).toContain(`"idempotencyKey":${JSON.stringify(keyed?.entry.idempotencyKey)}`);
    for (const vector of published.vectors) {
      expect(vector.canonical).toContain('"hashVersion":2');
      expect(vector.canonical).toContain(`"sequence":${vector.entry.sequence}`);
    }
  });

  test('are quoted in docs/hash-chain.md', () => {
    const doc = readFileSync(join(docs, 'hash-chain.md'), 'utf8');
    for (const vector of sets.flatMap((set) => set.vectors)) {
      expect(doc).toContain(vector.standaloneHash);
      expect(doc).toContain(vector.hash);
      expect(doc).toContain(vector.canonical);
    }
  });
});
