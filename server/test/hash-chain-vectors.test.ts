/** The published test vectors (docs/hash-chain-vectors.json, quoted in docs/hash-chain.md) against sdk/chain.ts. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredEntry } from '../../sdk/src/contract/schemas.js';
import { GENESIS_HASH, HASH_DOMAIN, HASH_VERSION, canonicalEntry, chainHash, standaloneHash, verifyChain } from '../../sdk/src/contract/chain.js';

interface Vector {
  description: string;
  entry: StoredEntry;
  canonical: string;
  standaloneHash: string;
  chainInputHex: string;
  previousHash: string;
  hash: string;
}
const docs = join(__dirname, '../../docs');
const published = JSON.parse(readFileSync(join(docs, 'hash-chain-vectors.json'), 'utf8')) as {
  hashVersion: number;
  domain: string;
  genesisHash: string;
  vectors: Vector[];
};

describe('hash-chain test vectors', () => {
  test('describe the recipe version, domain and genesis hash in use', () => {
    expect(published).toMatchObject({ hashVersion: HASH_VERSION, domain: HASH_DOMAIN, genesisHash: GENESIS_HASH });
    expect(published.vectors.length).toBeGreaterThanOrEqual(3);
  });

  test.each(published.vectors.map((v) => [v.description, v] as const))('%s', (_description, vector) => {
    expect(canonicalEntry(vector.entry)).toBe(vector.canonical);
    expect(standaloneHash(vector.entry)).toBe(vector.standaloneHash);
    // The documented recipe, byte for byte, independently of chainHash.
    expect(createHash('sha256').update(vector.canonical, 'utf8').digest('hex')).toBe(vector.standaloneHash);
    const input = Buffer.from(vector.chainInputHex, 'hex');
    expect(input.subarray(0, HASH_DOMAIN.length + 1).toString('latin1')).toBe(`${HASH_DOMAIN}\0`);
    expect(input.readBigUInt64BE(HASH_DOMAIN.length + 1)).toBe(BigInt(vector.entry.sequence));
    expect(input.length).toBe(HASH_DOMAIN.length + 1 + 8 + 32 + 32);
    expect(createHash('sha256').update(input).digest('hex')).toBe(vector.hash);
    expect(chainHash(vector.entry.sequence, vector.previousHash, vector.standaloneHash)).toBe(vector.hash);
  });

  test('chain together and pass verifyChain', () => {
    const entries = published.vectors.map((v) => v.entry);
    expect(verifyChain(entries)).toEqual({ valid: true, checked: entries.length, lastHash: published.vectors[entries.length - 1]?.hash });
  });

  test('are quoted in docs/hash-chain.md', () => {
    const doc = readFileSync(join(docs, 'hash-chain.md'), 'utf8');
    for (const vector of published.vectors) {
      expect(doc).toContain(vector.standaloneHash);
      expect(doc).toContain(vector.hash);
      expect(doc).toContain(vector.canonical);
    }
  });
});
