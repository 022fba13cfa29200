import { HEADERS, LIMITS, PATHS, PREFER_MINIMAL, type BatchResponse, type BatchSummary, type BatchResult, type Entry, type ListResponse } from '../../sdk/src/contract/schemas.js';
import { verifyChain } from '../../sdk/src/contract/chain.js';
import { useServer } from './support/use-server.js';
import { api, expectError } from './support/http.js';

const server = useServer();

const batch = (entries: unknown[]) => api<BatchResponse>(server, PATHS.batch, { body: { entries } });
const count = async () => (await api<ListResponse>(server, `${PATHS.entries}?limit=${LIMITS.pageSize}`)).body.entries.length;

describe('POST /api/log/batch', () => {
  test('stores the entries in order, chained, with a receipt each', async () => {
    const entries: Entry[] = [
      { actorId: 'a', action: 'ONE', details: 'text' },
      { actorId: 'b', action: 'TWO', details: { k: [1, 2] }, entityType: 'doc', entityId: 'd1' },
      { actorId: 'c', action: 'THREE' },
    ];
    const response = await batch(entries);
    expect(response.status).toBe(200);
    expect(response.body.failedLogIndexes).toEqual([]);
    expect(response.body.results.map((r) => [r.index, r.status])).toEqual([[0, 'stored'], [1, 'stored'], [2, 'stored']]);
    const receipts = response.body.results.map((r) => (r.status === 'rejected' ? undefined : r.receipt));
    expect(receipts[1]?.previousHash).toBe(receipts[0]?.hash);
    expect(receipts[2]?.sequence).toBe((receipts[0]?.sequence ?? 0) + 2);
    const listed = await api<ListResponse>(server, `${PATHS.entries}?order=asc&limit=3`);
    expect(listed.body.entries.map((e) => e.action)).toEqual(['ONE', 'TWO', 'THREE']);
    expect(listed.body.entries[1]).toMatchObject({ details: { k: [1, 2] }, entityType: 'doc', entityId: 'd1' });
  });

  test('one bad entry is rejected with its code and the others are stored', async () => {
    const response = await batch([
      { actorId: 'ok', action: 'FIRST' },
      { actorId: 'x'.repeat(LIMITS.actorId + 1), action: 'LONG' },
      { action: 'NO_ACTOR' },
      { actorId: 'ok', action: 'BAD_IP', ip: 'not-an-ip' },
      { actorId: 'ok', action: 'EXTRA', colour: 'red' },
      'not an object',
      { actorId: 'ok', action: 'LAST' },
    ]);
    expect(response.status).toBe(200);
    expect(response.body.failedLogIndexes).toEqual([1, 2, 3, 4, 5]);
    const summary = response.body.results.map((r) => (r.status === 'rejected' ? [r.status, r.error.code, r.error.field] : [r.status]));
    expect(summary).toEqual([
      ['stored'],
      ['rejected', 'field_too_long', 'actorId'],
      ['rejected', 'missing_field', 'actorId'],
      ['rejected', 'invalid_field', 'ip'],
      ['rejected', 'invalid_field', 'colour'],
      ['rejected', 'invalid_field', 'body'],
      ['stored'],
    ]);
    const [first, last] = [response.body.results[0], response.body.results[6]];
    if (first?.status !== 'stored' || last?.status !== 'stored') throw new Error('expected stored');
    expect(last.receipt.previousHash).toBe(first.receipt.hash);
  });

  test('a retried batch stores nothing new and returns the original receipts as duplicates', async () => {
    const entries = [
      { actorId: 'a', action: 'IDEM', idempotencyKey: 'batch-k1' },
      { actorId: 'a', action: 'IDEM', idempotencyKey: 'batch-k2' },
    ];
    const first = await batch(entries);
    const before = await count();
    const retry = await batch(entries);
    expect(first.body.results.map((r) => r.status)).toEqual(['stored', 'stored']);
    expect(retry.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    // The stored receipts, each with the stored entry.
    const withoutEntry = (r: BatchResult) => (r.status === 'rejected' ? null : { ...r.receipt, entry: undefined });
    expect(retry.body.results.map(withoutEntry)).toEqual(first.body.results.map(withoutEntry));
    expect(retry.body.results.map((r) => (r.status === 'rejected' ? null : r.receipt.entry?.idempotencyKey))).toEqual(['batch-k1', 'batch-k2']);
    expect(await count()).toBe(before);
  });

  test('a key repeated within one batch is stored once; the repeat is a duplicate of the first', async () => {
    const response = await batch([
      { actorId: 'a', action: 'IN_BATCH', idempotencyKey: 'same-key' },
      { actorId: 'a', action: 'IN_BATCH', idempotencyKey: 'same-key' },
    ]);
    const [first, second] = response.body.results;
    expect([first?.status, second?.status]).toEqual(['stored', 'duplicate']);
    if (first?.status === 'rejected' || second?.status === 'rejected') throw new Error('unexpected rejection');
    expect({ ...second?.receipt, entry: undefined }).toEqual(first?.receipt);
    expect(second?.receipt.entry).toMatchObject({ id: first?.receipt.logEntryId, action: 'IN_BATCH' });
  });

  test('a key sent earlier to the single-entry route makes the batch entry a duplicate', async () => {
    const single = await api(server, PATHS.log('a', 'MIXED'), { body: 'x', headers: { 'idempotency-key': 'mixed-key' } });
    expect(single.status).toBe(201);
    const response = await batch([{ actorId: 'a', action: 'MIXED', details: 'x', idempotencyKey: 'mixed-key' }]);
    expect(response.body.results[0]).toMatchObject({ status: 'duplicate', receipt: single.body });
  });

  test(`more than ${LIMITS.batchEntries} entries is 413 batch_too_large and stores nothing`, async () => {
    const before = await count();
    const entries = Array.from({ length: LIMITS.batchEntries + 1 }, (_, i) => ({ actorId: 'a', action: `BULK_${i}` }));
    expectError(await batch(entries), 413, 'batch_too_large');
    expect(await count()).toBe(before);
  });

  test(`exactly ${LIMITS.batchEntries} entries are stored in one request`, async () => {
    const entries = Array.from({ length: LIMITS.batchEntries }, (_, i) => ({ actorId: 'bulk', action: 'BULK', details: { i } }));
    const response = await batch(entries);
    expect(response.body.results.filter((r) => r.status === 'stored')).toHaveLength(LIMITS.batchEntries);
  });

  test('a body that is not { entries: [...] } is a 400 naming entries', async () => {
    expectError(await api(server, PATHS.batch, { body: {} }), 400, 'missing_field', 'entries');
    expectError(await api(server, PATHS.batch, { body: { entries: 'nope' } }), 400, 'invalid_field', 'entries');
    expectError(await api(server, PATHS.batch, { body: [] }), 400, 'invalid_field', 'entries');
    expectError(await api(server, PATHS.batch, { body: '', headers: { 'content-type': 'application/json' } }), 400, 'invalid_field', 'entries');
  });

  test('a non-JSON batch is 415', async () => {
    expectError(await api(server, PATHS.batch, { body: '{"entries":[]}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
  });

  test('the whole chain stays valid after everything above', async () => {
    const listed = await api<ListResponse>(server, `${PATHS.entries}?order=asc&limit=${LIMITS.pageSize}`);
    expect(verifyChain(listed.body.entries).valid).toBe(true);
    const verified = await api(server, PATHS.verifyChain);
    expect(verified.body).toMatchObject({ valid: true, checked: listed.body.entries.length });
  });

  test('Prefer: return=minimal answers counts and rejections only, with the checkpoint covering the batch', async () => {
    const key = `minimal-${Date.now()}`;
    const entries = [{ actorId: 'a', action: 'MIN_ONE', idempotencyKey: key }, { action: 'NO_ACTOR' }, { actorId: 'c', action: 'MIN_THREE' }];
    const first = await api<BatchSummary>(server, PATHS.batch, { body: { entries }, headers: { [HEADERS.prefer]: PREFER_MINIMAL } });
    expect(first.status).toBe(200);
    expect(first.headers.get(HEADERS.preferenceApplied)).toBe(PREFER_MINIMAL);
    expect(first.body).toMatchObject({ stored: 2, duplicates: 0, failedLogIndexes: [1], rejected: [{ index: 1, error: { code: 'missing_field', field: 'actorId' } }] });
    expect(first.body.checkpoint).toContain(`\n${first.body.treeSize}\n`);
    expect(first.body).not.toHaveProperty('results');
    const replay = await api<BatchSummary>(server, PATHS.batch, { body: { entries: [entries[0]] }, headers: { [HEADERS.prefer]: `respond-async, ${PREFER_MINIMAL}` } });
    expect(replay.body).toMatchObject({ stored: 0, duplicates: 1, rejected: [] });
    const full = await batch([{ actorId: 'd', action: 'FULL' }]);
    expect(full.headers.get(HEADERS.preferenceApplied)).toBeNull();
    expect(full.body.results).toHaveLength(1);
  });
});
