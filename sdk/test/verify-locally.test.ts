/** verifyLocally: fetches the chain in ascending order, page by page, and recomputes it on the client. */
import nock from 'nock';
import { GENESIS_HASH } from '../src/contract/chain.js';
import { LIMITS, type StoredEntry } from '../src/contract/schemas.js';
import { api, buildChain, makeClient } from './support/fixtures.js';
import { useNock } from './support/use-nock.js';

// One attempt per call: these tests map a single reply to its error (retries are tested in client-retries.test.ts).
const client = makeClient({ maxRetries: 0 });

/** Serves `entries` as /api/entries pages of `pageSize`, ascending, like the service with order=asc. */
function serve(entries: StoredEntry[], pageSize: number): void {
  api()
    .get('/api/entries')
    .query(true)
    .times(Math.ceil(entries.length / pageSize) + 1)
    .reply(function (uri) {
      const query = new URL(uri, 'http://x').searchParams;
      if (query.get('order') !== 'asc' || query.get('limit') !== String(LIMITS.pageSize)) return [400, { error: { code: 'invalid_field', message: 'bad query' } }];
      const start = Number(query.get('cursor') ?? 0);
      const page = entries.slice(start, start + pageSize);
      const next = start + pageSize < entries.length ? String(start + pageSize) : null;
      return [200, { entries: page, nextCursor: next }];
    });
}

useNock(() => client.close());

const chain = buildChain(7);

test('a valid chain over several pages passes', async () => {
  serve(chain, 3);
  await expect(client.verifyLocally()).resolves.toEqual({ valid: true, checked: 7, lastHash: chain[6]?.hash });
});

test('an empty chain is valid', async () => {
  serve([], 3);
  await expect(client.verifyLocally()).resolves.toEqual({ valid: true, checked: 0, lastHash: GENESIS_HASH });
});

test('an altered entry is reported with the count checked before it', async () => {
  const tampered = chain.map((entry) => (entry.sequence === 5 ? { ...entry, actorId: 'mallory' } : entry));
  serve(tampered, 3);
  await expect(client.verifyLocally()).resolves.toEqual({
    valid: false,
    checked: 4,
    firstBadEntryId: chain[4]?.id,
    firstBadSequence: 5,
    reason: 'standalone_hash_mismatch',
    breaks: [{ sequence: 5, entryId: chain[4]?.id, reason: 'standalone_hash_mismatch' }],
    breaksTruncated: false,
  });
});

test('an entry removed at a page boundary is a sequence gap', async () => {
  serve(chain.filter((entry) => entry.sequence !== 4), 3);
  await expect(client.verifyLocally()).resolves.toMatchObject({ valid: false, checked: 3, firstBadSequence: 5, reason: 'sequence_gap' });
});

test('a removed first entry is a sequence gap at the start', async () => {
  serve(chain.slice(1), 3);
  await expect(client.verifyLocally()).resolves.toMatchObject({ valid: false, checked: 0, firstBadSequence: 2, reason: 'sequence_gap' });
});

test('a range is checked from its own start to its end', async () => {
  serve(chain, 3);
  await expect(client.verifyLocally({ fromSequence: 3, toSequence: 5 })).resolves.toEqual({ valid: true, checked: 3, lastHash: chain[4]?.hash });
});

test('a tampered entry outside the range does not fail the range', async () => {
  serve(chain.map((entry) => (entry.sequence === 7 ? { ...entry, action: 'X' } : entry)), 10);
  await expect(client.verifyLocally({ toSequence: 6 })).resolves.toMatchObject({ valid: true, checked: 6 });
});

test('a failing page is an error, not a verdict', async () => {
  api().get('/api/entries').query(true).reply(500, { error: { code: 'internal_error', message: 'Internal error' } });
  await expect(client.verifyLocally()).rejects.toMatchObject({ name: 'ServerError', operation: 'listEntries' });
});
