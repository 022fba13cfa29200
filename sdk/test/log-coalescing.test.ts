/** Concurrent `log()` calls sharing batch requests (the `coalesce` option), checked on the wire with nock. */
import nock from 'nock';
import { AuditTrailError, AuthenticationError, ConflictError, ValidationError } from '../src/errors.js';
import { LIMITS, PATHS, type BatchResponse, type Entry, type Receipt } from '../src/contract/schemas.js';
import { api, makeClient, receipt } from './support/fixtures.js';
import { useNock } from './support/use-nock.js';

useNock();
// A client per test: a group's slot is freed only after its callers' continuations ran (a macrotask later).
let client: ReturnType<typeof makeClient>;
beforeEach(() => {
  client = makeClient({ maxRetries: 1, delivery: { retry: { baseDelayMs: 1, maxDelayMs: 2 } } });
});
afterEach(() => client.close());

const entry = (n: number): Entry => ({ actorId: `user-${n}`, action: 'LOGIN', details: { n } });

/** What the wire saw: single-entry posts (by actor) and batch posts (their entries' actors, in body order). */
interface Wire {
  singles: string[];
  batches: Array<Array<{ actorId: string; idempotencyKey?: string }>>;
}

/** Answers single posts with a receipt naming the actor, and batches with `answer` (default: all stored). */
function serve(wire: Wire, answer?: (entries: Array<{ actorId: string }>) => [number, unknown]): void {
  api()
    .persist()
    .post(/^\/api\/log\/user-\d+\/LOGIN$/)
    .reply(201, (uri) => {
      const actorId = decodeURIComponent(uri.split('/')[3] ?? '');
      wire.singles.push(actorId);
      return receipt({ logEntryId: `single-${actorId}` });
    });
  api()
    .persist()
    .post(PATHS.batch)
    .reply((_uri, body) => {
      const { entries } = body as { entries: Array<{ actorId: string; idempotencyKey?: string }> };
      wire.batches.push(entries);
      if (answer) return answer(entries);
      const response: BatchResponse = {
        results: entries.map((e, index) => ({ index, status: 'stored', receipt: receipt({ logEntryId: `batch-${e.actorId}` }) })),
        failedLogIndexes: [],
      };
      return [200, response];
    });
}

const newWire = (): Wire => ({ singles: [], batches: [] });

test('a lone awaited log() goes out at once on the single-entry route, every time', async () => {
  const wire = newWire();
  serve(wire);
  for (let n = 0; n < 3; n++) expect((await client.log(entry(n))).logEntryId).toBe(`single-user-${n}`);
  expect(wire).toEqual({ singles: ['user-0', 'user-1', 'user-2'], batches: [] });
});

test('calls made while a log() request is in flight share one batch, in call order, each caller with its own receipt', async () => {
  const wire = newWire();
  serve(wire);
  const receipts = await Promise.all([0, 1, 2, 3, 4].map((n) => client.log(entry(n))));
  expect(receipts.map((r) => r.logEntryId)).toEqual(['single-user-0', 'batch-user-1', 'batch-user-2', 'batch-user-3', 'batch-user-4']);
  expect(wire.singles).toEqual(['user-0']);
  expect(wire.batches.map((b) => b.map((e) => e.actorId))).toEqual([['user-1', 'user-2', 'user-3', 'user-4']]);
  // Each coalesced entry carries the idempotency key minted for it: a retried batch stores nothing twice.
  const keys = wire.batches[0]?.map((e) => e.idempotencyKey) ?? [];
  expect(new Set(keys).size).toBe(4);
  for (const key of keys) expect(key).toMatch(/^[0-9a-f-]{36}$/);
});

test('a per-entry rejection reaches only its caller, as the typed error the single route would raise', async () => {
  const wire = newWire();
  serve(wire, (entries) => [
    200,
    {
      results: entries.map((e, index) =>
        index === 2
          ? { index, status: 'rejected', error: { code: 'idempotency_conflict', message: 'The idempotency key k is already in use' } }
          : index === 3
            ? { index, status: 'rejected', error: { code: 'field_too_long', message: 'actorId is too long', field: 'actorId' } }
            : { index, status: 'stored', receipt: receipt({ logEntryId: `batch-${e.actorId}` }) },
      ),
      failedLogIndexes: [2, 3],
    },
  ]);
  const outcomes = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((n) => client.log(entry(n))));
  expect(wire.batches.map((b) => b.length)).toEqual([5]);
  const [, , ok, conflict, invalid, ok2] = outcomes;
  expect(ok).toEqual({ status: 'fulfilled', value: expect.objectContaining({ logEntryId: 'batch-user-2' }) });
  expect(ok2).toEqual({ status: 'fulfilled', value: expect.objectContaining({ logEntryId: 'batch-user-5' }) });
  const conflictError = (conflict as PromiseRejectedResult).reason as ConflictError;
  expect(conflictError).toBeInstanceOf(ConflictError);
  expect(conflictError).toMatchObject({ code: 'idempotency_conflict', status: 409 });
  expect(conflictError.message).toContain('The idempotency key k is already in use');
  const validationError = (invalid as PromiseRejectedResult).reason as ValidationError;
  expect(validationError).toBeInstanceOf(ValidationError);
  expect(validationError).toMatchObject({ code: 'field_too_long', field: 'actorId', status: 400 });
});

test('a failure of the whole batch request rejects every caller in it with that typed error', async () => {
  const wire = newWire();
  serve(wire, () => [401, { error: { code: 'unauthorized', message: 'Missing or invalid credentials' } }]);
  const outcomes = await Promise.allSettled([0, 1, 2, 3].map((n) => client.log(entry(n))));
  expect(outcomes[0]?.status).toBe('fulfilled');
  for (const outcome of outcomes.slice(1)) {
    expect(outcome.status).toBe('rejected');
    expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(AuthenticationError);
  }
  expect(wire.batches).toHaveLength(1);
});

test('a batch that got a 503 is retried with the same entries and keys, and then settles every caller', async () => {
  const wire = newWire();
  let calls = 0;
  serve(wire, (entries) => {
    calls += 1;
    if (calls === 1) return [503, { error: { code: 'service_unavailable', message: 'busy' } }];
    return [200, { results: entries.map((e, index) => ({ index, status: 'stored', receipt: receipt({ logEntryId: `batch-${e.actorId}` }) })), failedLogIndexes: [] }];
  });
  const receipts = await Promise.all([0, 1, 2, 3].map((n) => client.log(entry(n))));
  expect(receipts.map((r) => r.logEntryId).slice(1)).toEqual(['batch-user-1', 'batch-user-2', 'batch-user-3']);
  expect(wire.batches).toHaveLength(2);
  expect(wire.batches[1]).toEqual(wire.batches[0]);
});

test('a batch reply that does not answer every entry fails every caller in it instead of guessing', async () => {
  const wire = newWire();
  serve(wire, () => [200, { results: [{ index: 0, status: 'stored', receipt: receipt() }], failedLogIndexes: [] }]);
  const outcomes = await Promise.allSettled([0, 1, 2, 3].map((n) => client.log(entry(n))));
  for (const outcome of outcomes.slice(1)) {
    expect(outcome.status).toBe('rejected');
    const reason = (outcome as PromiseRejectedResult).reason as AuditTrailError;
    expect(reason).toBeInstanceOf(AuditTrailError);
    expect(reason.message).toContain('unexpected reply');
  }
});

test('groups respect the contract: more waiting calls than a batch may hold go out in several requests', async () => {
  const wire = newWire();
  serve(wire);
  const count = 1 + LIMITS.batchEntries + 1;
  const receipts = await Promise.all(Array.from({ length: count }, (_, n) => client.log(entry(n))));
  expect(receipts).toHaveLength(count);
  for (const batch of wire.batches) expect(batch.length).toBeLessThanOrEqual(LIMITS.batchEntries);
  const sent = [...wire.singles, ...wire.batches.flat().map((e) => e.actorId)];
  expect(sent.sort()).toEqual(Array.from({ length: count }, (_, n) => `user-${n}`).sort());
  expect(wire.batches[0]).toHaveLength(LIMITS.batchEntries);
});

test('a call with options of its own is sent by itself, even while others are in flight', async () => {
  const wire = newWire();
  serve(wire);
  const calls = [client.log(entry(0)), client.log(entry(1), { timeoutMs: 5000 }), client.log(entry(2)), client.log(entry(3)), client.log(entry(4))];
  await Promise.all(calls);
  expect(wire.singles.sort()).toEqual(['user-0', 'user-1']);
  expect(wire.batches.map((b) => b.map((e) => e.actorId))).toEqual([['user-2', 'user-3', 'user-4']]);
});

test('callers that log again as soon as their group settles form the next group together (no requests of one)', async () => {
  const wire = newWire();
  serve(wire);
  let next = 0;
  const total = 64;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < total) await client.log(entry(next++));
    }),
  );
  // The first call goes alone; the other 7 wait, and the first caller's next call joins them: from then on all 8
  // callers share each request (the last one carries what is left of the 64).
  expect(wire.singles).toHaveLength(1);
  expect(wire.batches.map((b) => b.length)).toEqual([8, 8, 8, 8, 8, 8, 8, 7]);
});

test('coalesce: false sends one request per log()', async () => {
  const plain = makeClient({ coalesce: false });
  const wire = newWire();
  serve(wire);
  const receipts: Receipt[] = await Promise.all([0, 1, 2, 3, 4].map((n) => plain.log(entry(n))));
  expect(receipts.map((r) => r.logEntryId)).toEqual([0, 1, 2, 3, 4].map((n) => `single-user-${n}`));
  expect(wire.batches).toEqual([]);
  await plain.close();
});

test('the coalesce option must be a boolean', () => {
  expect(() => makeClient({ coalesce: 'yes' as unknown as boolean })).toThrow('AuditTrailClient option "coalesce" must be true or false');
});

test('close() lets log() calls that wait for a group go out and settle before it releases the pool', async () => {
  const closing = makeClient();
  const wire = newWire();
  serve(wire);
  const calls = [0, 1, 2].map((n) => closing.log(entry(n)));
  const closed = closing.close();
  const receipts = await Promise.all(calls);
  await closed;
  expect(receipts.map((r) => r.logEntryId)).toEqual(['single-user-0', 'batch-user-1', 'batch-user-2']);
  await expect(closing.log(entry(3))).rejects.toMatchObject({ name: 'ClientClosedError' });
});
