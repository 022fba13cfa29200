/**
 * Attack and bad-input reproductions of issue 8, against a real server and direct edits of its SQLite file (as
 * someone holding the database would make them).
 */
import type { DatabaseSync } from 'node:sqlite';
import { HEADERS, PATHS, type BatchResponse, type ListResponse, type Receipt, type StoredEntry, type VerifyResult } from '../../sdk/src/contract/schemas.js';
import { verifyChain } from '../../sdk/src/contract/chain.js';
import type { Credentials } from '../../sdk/src/contract/wire.js';
import { sqlite } from '../src/store/sqlite-module.js';
import { startServer, type TestServer } from './support/start-server.js';
import { api, expectError } from './support/http.js';

let server: TestServer;
let db: DatabaseSync;

beforeAll(async () => {
  server = await startServer();
  db = new sqlite.DatabaseSync(server.dbPath);
});
afterAll(async () => {
  db.close();
  await server.close();
});

async function listAsc(credentials: Credentials): Promise<StoredEntry[]> {
  return (await api<ListResponse>(server, `${PATHS.entries}?order=asc&limit=1000`, { credentials })).body.entries;
}

describe('hash version 2 covers the idempotency key', () => {
  test("swapping two entries' idempotency keys in the database is detected on both entries", async () => {
    const credentials = await server.createTenant('KeySwap');
    const entries = [
      { actorId: 'ada', action: 'REFUND', details: { amount: 100 }, idempotencyKey: 'refund-ada' },
      { actorId: 'bob', action: 'REFUND', details: { amount: 5 }, idempotencyKey: 'refund-bob' },
    ];
    await api(server, PATHS.batch, { body: { entries }, credentials });
    const [ada, bob] = await listAsc(credentials);
    if (!ada || !bob) throw new Error('entries missing');
    db.exec('BEGIN');
    const setKey = db.prepare('UPDATE entries SET idempotency_key = ? WHERE id = ?');
    setKey.run('swap-tmp', ada.id);
    setKey.run('refund-ada', bob.id);
    setKey.run('refund-bob', ada.id);
    db.exec('COMMIT');
    const expected = {
      valid: false,
      breaks: [
        { sequence: 1, entryId: ada.id, reason: 'standalone_hash_mismatch' },
        { sequence: 2, entryId: bob.id, reason: 'standalone_hash_mismatch' },
      ],
    };
    expect((await api<VerifyResult>(server, PATHS.verifyChain, { credentials })).body).toMatchObject(expected);
    expect(verifyChain(await listAsc(credentials))).toMatchObject(expected);
  });

  test('editing the stored hash version to an unknown one is a verification failure, not a skip', async () => {
    const credentials = await server.createTenant('Version');
    await api(server, PATHS.batch, { body: { entries: [{ actorId: 'a', action: 'X' }, { actorId: 'a', action: 'Y' }] }, credentials });
    const [, second] = await listAsc(credentials);
    db.prepare('UPDATE entries SET hash_version = 9 WHERE id = ?').run(second?.id ?? '');
    const listed = await listAsc(credentials);
    expect(listed[1]?.hashVersion).toBe(9);
    expect((await api<VerifyResult>(server, PATHS.verifyChain, { credentials })).body).toMatchObject({
      valid: false,
      firstBadSequence: 2,
      reason: 'unknown_hash_version',
    });
  });
});

describe('unsound input is a 400 naming the field, never a 500 or a silent change', () => {
  const json = { 'content-type': 'application/json' };

  test.each([
    ['a lone surrogate in details (JSON escape)', '{"name":"Zo\\u00eb \\ud83d"}', 'invalid_unicode'],
    ['a lone surrogate in a details key', '{"\\udc00":1}', 'invalid_unicode'],
    ['1e400 (overflows to Infinity)', '{"x":1e400}', 'invalid_number'],
    ['2^53+1 (would be rounded)', '{"x":9007199254740993}', 'invalid_number'],
    ['2^53 (outside ±(2^53−1))', '{"x":9007199254740992}', 'invalid_number'],
    ['a decimal with more digits than a double holds', '{"x":0.10000000000000000001}', 'invalid_number'],
    ['1e-400 (underflows to 0)', '{"x":[1e-400]}', 'invalid_number'],
    ['a duplicate key', '{"amount":1,"amount":1000}', 'duplicate_key'],
    ['a duplicate key, nested', '{"a":{"b":1,"c":[{"d":1,"d":2}]}}', 'duplicate_key'],
  ])('single entry: %s', async (_name, body, code) => {
    const response = await api(server, PATHS.log('ada', 'PAY'), { body, headers: json });
    expectError(response, 400, code, 'details');
  });

  test('a body that is not valid UTF-8 is refused instead of stored with U+FFFD', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]); // {"a":"\xff"}
    expectError(await api(server, PATHS.log('ada', 'PAY'), { body: bytes, headers: json }), 400, 'invalid_unicode', 'body');
    expectError(await api(server, PATHS.log('ada', 'PAY'), { body: bytes, headers: { 'content-type': 'text/plain' } }), 400, 'invalid_unicode', 'body');
  });

  test('in a batch only the bad entries are rejected, each with its code and field; the others are stored', async () => {
    const credentials = await server.createTenant('BatchInput');
    const body =
      '{"entries":[' +
      '{"actorId":"ok","action":"A"},' +
      '{"actorId":"x","action":"B","details":{"x":1e400}},' +
      '{"actorId":"x","action":"C","details":{"n":9007199254740993}},' +
      '{"actorId":"x","action":"D","action":"E"},' +
      '{"actorId":"\\ud800","action":"F"},' +
      '{"actorId":"ok","action":"G","details":{"big":9007199254740991,"small":-9007199254740991,"f":0.1}}' +
      ']}';
    const response = await api<BatchResponse>(server, PATHS.batch, { body, headers: json, credentials });
    expect(response.status).toBe(200);
    expect(response.body.failedLogIndexes).toEqual([1, 2, 3, 4]);
    const errors = response.body.results.map((r) => (r.status === 'rejected' ? [r.error.code, r.error.field] : r.status));
    expect(errors).toEqual([
      'stored',
      ['invalid_number', 'details'],
      ['invalid_number', 'details'],
      ['duplicate_key', 'action'],
      ['invalid_unicode', 'actorId'],
      'stored',
    ]);
    const stored = await listAsc(credentials);
    expect(stored.map((e) => e.action)).toEqual(['A', 'G']);
    expect(stored[1]?.details).toEqual({ big: 9007199254740991, small: -9007199254740991, f: 0.1 });
  });

  test('a duplicate key in the batch envelope fails the batch', async () => {
    const response = await api(server, PATHS.batch, { body: '{"entries":[],"entries":[]}', headers: json });
    expectError(response, 400, 'duplicate_key', 'entries');
  });
});

describe('idempotency tells the truth', () => {
  test('the same key with a different entry is a 409 idempotency_conflict, and nothing is stored', async () => {
    const credentials = await server.createTenant('Conflict');
    const headers = { [HEADERS.idempotencyKey]: 'refund-1', 'content-type': 'application/json' };
    const first = await api<Receipt>(server, PATHS.log('ada', 'REFUND'), { body: '{"amount":100}', headers, credentials });
    expect(first.status).toBe(201);
    const other = await api(server, PATHS.log('ada', 'REFUND'), { body: '{"amount":999}', headers, credentials });
    expectError(other, 409, 'idempotency_conflict', 'idempotencyKey');
    const otherActor = await api(server, PATHS.log('bob', 'REFUND'), { body: '{"amount":100}', headers, credentials });
    expectError(otherActor, 409, 'idempotency_conflict', 'idempotencyKey');
    expect(await listAsc(credentials)).toHaveLength(1);
  });

  test('the same key with the same entry (keys reordered, number respelled) replays the stored receipt and entry', async () => {
    const credentials = await server.createTenant('Replay');
    const headers = { [HEADERS.idempotencyKey]: 'pay-1', 'content-type': 'application/json' };
    const first = await api<Receipt>(server, PATHS.log('ada', 'PAY'), { body: '{"a":1,"b":"x"}', headers, credentials });
    const retry = await api<Receipt>(server, PATHS.log('ada', 'PAY'), { body: '{"b":"x","a":1.0}', headers, credentials });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ logEntryId: first.body.logEntryId, hash: first.body.hash });
    expect(retry.body.entry).toMatchObject({ id: first.body.logEntryId, details: { a: 1, b: 'x' }, idempotencyKey: 'pay-1' });
  });

  test('in a batch, a conflicting entry is rejected on its own', async () => {
    const credentials = await server.createTenant('BatchConflict');
    const response = await api<BatchResponse>(server, PATHS.batch, {
      body: {
        entries: [
          { actorId: 'a', action: 'X', idempotencyKey: 'k' },
          { actorId: 'a', action: 'Y', idempotencyKey: 'k' },
          { actorId: 'a', action: 'X', idempotencyKey: 'k' },
        ],
      },
      credentials,
    });
    expect(response.body.results.map((r) => r.status)).toEqual(['stored', 'rejected', 'duplicate']);
    expect(response.body.results[1]).toMatchObject({ error: { code: 'idempotency_conflict', field: 'idempotencyKey' } });
  });
});
