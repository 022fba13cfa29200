/** Shared fixtures of the SDK tests: credentials, a nock scope with them, and hand-built chains. */
import { randomUUID } from 'node:crypto';
import nock from 'nock';
import { AuditTrailClient } from '../../src/client.js';
import { GENESIS_HASH, chainHash, standaloneHash, type HashVersion } from '../../src/contract/chain.js';
import type { ClientOptions } from '../../src/options.js';
import type { Receipt, StoredEntry } from '../../src/contract/schemas.js';

import { APP, BASE_URL, BASIC, ORG, SECRET } from './credentials.js';

export { APP, BASE_URL, BASIC, BASIC_B64, ORG, SECRET } from './credentials.js';

export function makeClient(overrides: Partial<ClientOptions> = {}): AuditTrailClient {
  return new AuditTrailClient({ baseUrl: BASE_URL, organizationId: ORG, apiSecret: SECRET, applicationId: APP, ...overrides });
}

/** A nock scope that only matches requests carrying the client's credentials. */
export function api(): nock.Scope {
  return nock(BASE_URL, { reqheaders: { authorization: BASIC, 'application-id': APP } });
}

export const receipt = (overrides: Partial<Receipt> = {}): Receipt => ({
  logEntryId: '6f1c2a9e-0000-4000-8000-000000000001',
  sequence: 1,
  hash: 'a'.repeat(64),
  previousHash: GENESIS_HASH,
  standaloneHash: 'b'.repeat(64),
  timestamp: '2026-01-31T12:00:00.000Z',
  treeSize: 1,
  checkpoint: 'audit-trail.local/app/app-1\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n',
  ...overrides,
});

type EntryData = Partial<Omit<StoredEntry, 'sequence' | 'previousHash' | 'hash' | 'standaloneHash' | 'hashVersion'>>;

/** A correctly chained list of stored entries, sequence 1..n, built with the recipe of sdk/chain.ts. */
export function buildChain(count: number, data: (i: number) => EntryData = () => ({}), hashVersion: HashVersion = 2): StoredEntry[] {
  const entries: StoredEntry[] = [];
  let previousHash = GENESIS_HASH;
  for (let i = 0; i < count; i += 1) {
    const sequence = i + 1;
    const base = {
      id: randomUUID(),
      applicationId: APP,
      timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString(),
      actorId: `user-${sequence}`,
      action: 'LOGIN',
      details: { n: sequence },
      actorDisplayName: null,
      actorRoles: null,
      entityType: null,
      entityId: null,
      occurredAt: null,
      ip: null,
      idempotencyKey: null,
      ...data(i),
      sequence,
      hashVersion,
    };
    const standalone = standaloneHash(base);
    const hash = chainHash(sequence, previousHash, standalone, hashVersion);
    entries.push({ ...base, previousHash, hash, standaloneHash: standalone });
    previousHash = hash;
  }
  return entries;
}
