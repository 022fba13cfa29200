import { HEADERS, PATHS, type Receipt, type StoredEntry } from '../../sdk/src/contract/schemas.js';
import { GENESIS_HASH, verifyChain } from '../../sdk/src/contract/chain.js';
import { buildLogRequest } from '../../sdk/src/contract/wire.js';
import { useServer } from './support/use-server.js';
import { api } from './support/http.js';

const server = useServer();

const byId = (id: string) => api<StoredEntry>(server, `${PATHS.entryById}?entryId=${id}`);

describe('POST /api/log/{actorId}/{action}', () => {
  test('stores a JSON-details entry and returns a 201 receipt chained to the previous entry', async () => {
    const first = await api<Receipt>(server, PATHS.log('alice', 'LOGIN'), { body: { browser: 'firefox', n: 1 } });
    const second = await api<Receipt>(server, PATHS.log('alice', 'LOGOUT'), { body: { n: 2 } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(Object.keys(first.body).sort()).toEqual(['checkpoint', 'hash', 'logEntryId', 'previousHash', 'sequence', 'standaloneHash', 'timestamp', 'treeSize']);
    expect(second.body.sequence).toBe(first.body.sequence + 1);
    expect(second.body.previousHash).toBe(first.body.hash);
    expect(first.body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const stored = await byId(first.body.logEntryId);
    expect(stored.body).toMatchObject({ actorId: 'alice', action: 'LOGIN', details: { browser: 'firefox', n: 1 }, hash: first.body.hash });
  });

  test('the first entry of an application follows the genesis hash', async () => {
    const other = await server.createTenant('Genesis');
    const receipt = await api<Receipt>(server, PATHS.log('bob', 'SIGNUP'), { credentials: other, body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(receipt.body).toMatchObject({ sequence: 1, previousHash: GENESIS_HASH });
  });

  test('takes text/plain details as text, stored exactly', async () => {
    const text = '  free text, with "quotes" and ünïcödé\n';
    const receipt = await api<Receipt>(server, PATHS.log('alice', 'NOTE'), { body: text, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(receipt.status).toBe(201);
    expect((await byId(receipt.body.logEntryId)).body.details).toBe(text);
  });

  test('treats a missing or other content type as text', async () => {
    const missing = await api<Receipt>(server, PATHS.log('alice', 'RAW'), { body: Buffer.from('{"not":"parsed"}') });
    const other = await api<Receipt>(server, PATHS.log('alice', 'RAW'), { body: '<xml/>', headers: { 'content-type': 'application/xml' } });
    expect([missing.status, other.status]).toEqual([201, 201]);
    expect((await byId(missing.body.logEntryId)).body.details).toBe('{"not":"parsed"}');
    expect((await byId(other.body.logEntryId)).body.details).toBe('<xml/>');
  });

  test('an empty body means no details, whatever the content type', async () => {
    for (const contentType of ['application/json', 'text/plain']) {
      const receipt = await api<Receipt>(server, PATHS.log('alice', 'EMPTY'), { body: '', headers: { 'content-type': contentType } });
      expect(receipt.status).toBe(201);
      expect((await byId(receipt.body.logEntryId)).body.details).toBeNull();
    }
  });

  test('records entity type and id from the longer path, and the metadata headers', async () => {
    const request = buildLogRequest({
      actorId: 'alice',
      action: 'UPDATE',
      entityType: 'invoice',
      entityId: 'inv_1',
      details: { total: 10 },
      actorDisplayName: 'Ada Lövelace',
      actorRoles: ['admin', 'billing ops'],
      occurredAt: '2026-01-31T12:00:00+01:00',
      ip: '2001:db8::1',
    });
    const receipt = await api<Receipt>(server, request.path, { body: request.body, headers: request.headers });
    expect(receipt.status).toBe(201);
    expect((await byId(receipt.body.logEntryId)).body).toMatchObject({
      entityType: 'invoice',
      entityId: 'inv_1',
      actorDisplayName: 'Ada Lövelace',
      actorRoles: ['admin', 'billing ops'],
      occurredAt: '2026-01-31T12:00:00+01:00',
      ip: '2001:db8::1',
      details: { total: 10 },
    });
  });

  test.each([
    ['an encoded slash', 'team/alice', 'files/delete'],
    ['spaces', 'Ada Lovelace', 'ROW UPDATED'],
    ['unicode', 'José 🙂 中文', 'ÄNDERUNG'],
    ['percent signs and plus', '100%+x', 'a?b#c&d=e'],
  ])('path segments with %s round-trip', async (_name, actorId, action) => {
    const entity = { type: 'doc/folder ü', id: 'id with / and 🙂' };
    const request = buildLogRequest({ actorId, action, entityType: entity.type, entityId: entity.id });
    const receipt = await api<Receipt>(server, request.path, { body: request.body, headers: request.headers });
    expect(receipt.status).toBe(201);
    expect((await byId(receipt.body.logEntryId)).body).toMatchObject({ actorId, action, entityType: entity.type, entityId: entity.id });
  });

  test('a retry with a stored Idempotency-Key returns the original receipt with 200 and stores nothing', async () => {
    const headers = { [HEADERS.idempotencyKey]: 'retry-key-1', 'content-type': 'application/json' };
    const first = await api<Receipt>(server, PATHS.log('alice', 'PAY'), { body: '{"amount":5}', headers });
    const countBefore = (await api<{ entries: StoredEntry[] }>(server, `${PATHS.entries}?limit=1000`)).body.entries.length;
    const retry = await api<Receipt>(server, PATHS.log('alice', 'PAY'), { body: '{"amount":5}', headers });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // The stored receipt, plus the stored entry (never the request's copy).
    const { entry, ...receipt } = retry.body;
    expect(receipt).toEqual(first.body);
    expect(entry).toMatchObject({ id: first.body.logEntryId, actorId: 'alice', action: 'PAY', details: { amount: 5 }, idempotencyKey: 'retry-key-1' });
    expect(entry?.hash).toBe(first.body.hash);
    const countAfter = (await api<{ entries: StoredEntry[] }>(server, `${PATHS.entries}?limit=1000`)).body.entries.length;
    expect(countAfter).toBe(countBefore);
  });

  test('idempotency keys are per application: another application may reuse one', async () => {
    const other = await server.createTenant('Keys');
    const headers = { [HEADERS.idempotencyKey]: 'shared-key' };
    const mine = await api<Receipt>(server, PATHS.log('alice', 'X'), { body: 'a', headers });
    const theirs = await api<Receipt>(server, PATHS.log('alice', 'X'), { body: 'a', headers, credentials: other });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.logEntryId).not.toBe(mine.body.logEntryId);
  });

  test('everything stored through this file forms a valid chain', async () => {
    const list = await api<{ entries: StoredEntry[] }>(server, `${PATHS.entries}?order=asc&limit=1000`);
    expect(list.body.entries.length).toBeGreaterThan(10);
    expect(verifyChain(list.body.entries)).toMatchObject({ valid: true, checked: list.body.entries.length });
  });
});

describe('concurrent appends', () => {
  test('single and batch appends racing on one application form one unbroken chain', async () => {
    const tenant = await server.createTenant('Race');
    const singles = Array.from({ length: 30 }, (_, i) => api(server, PATHS.log('racer', `SINGLE_${i}`), { credentials: tenant, body: { i } }));
    const batches = Array.from({ length: 5 }, (_, b) =>
      api(server, PATHS.batch, { credentials: tenant, body: { entries: Array.from({ length: 20 }, (_, i) => ({ actorId: 'racer', action: `BATCH_${b}_${i}` })) } }),
    );
    const replies = await Promise.all([...singles, ...batches]);
    expect(replies.map((reply) => reply.status).sort()).toEqual([...Array(30).fill(201), ...Array(5).fill(200)].sort());
    const listed = await api<{ entries: StoredEntry[] }>(server, `${PATHS.entries}?order=asc&limit=1000`, { credentials: tenant });
    expect(listed.body.entries.map((entry) => entry.sequence)).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));
    expect(verifyChain(listed.body.entries)).toMatchObject({ valid: true, checked: 130 });
  });
});
