import { HEADERS, LIMITS, PREFER_MINIMAL } from '../../src/contract/schemas.js';
import { ClientClosedError, QueueFullError } from '../../src/delivery/errors.js';
import type { DeliveryEvents } from '../../src/delivery/events.js';
import { normalizeDeliveryOptions, type DeliveryOptions } from '../../src/delivery/options.js';
import { Publisher } from '../../src/delivery/publisher.js';
import { ValidationError } from '../../src/errors.js';
import { FakeTransport, entry } from './fake-transport.js';

/** Keys are minted as UUIDv7 (sdk/ids.ts): time-ordered, so the service indexes them cheaply. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(options: DeliveryOptions = {}): { transport: FakeTransport; publisher: Publisher } {
  const transport = new FakeTransport();
  const publisher = new Publisher({
    transport,
    options: normalizeDeliveryOptions({ flushIntervalMs: 100, retry: { baseDelayMs: 100, maxDelayMs: 1000 }, ...options }),
    random: () => 0.5,
  });
  return { transport, publisher };
}

function collect<K extends keyof DeliveryEvents>(publisher: Publisher, name: K): Array<DeliveryEvents[K]> {
  const seen: Array<DeliveryEvents[K]> = [];
  publisher.on(name, (payload) => seen.push(payload));
  return seen;
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('enqueue', () => {
  it('returns at once and sends nothing until the batch interval has passed', async () => {
    const { transport, publisher } = setup();
    expect(publisher.enqueue(entry(1))).toBeUndefined();
    publisher.enqueue(entry(2));
    await jest.advanceTimersByTimeAsync(99);
    expect(transport.requests).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(transport.batches).toEqual([[expect.objectContaining(entry(1)), expect.objectContaining(entry(2))]]);
    expect(transport.requests[0]?.request).toMatchObject({ method: 'POST', path: '/api/log/batch' });
  });

  it('mints a UUID idempotency key per entry and keeps a key the caller gave', async () => {
    const { transport, publisher } = setup();
    publisher.enqueue(entry(1));
    publisher.enqueue(entry(2, { idempotencyKey: 'order-42' }));
    await publisher.flush();
    const [first, second] = transport.batches[0] ?? [];
    expect(first?.idempotencyKey).toMatch(UUID);
    expect(second?.idempotencyKey).toBe('order-42');
  });

  it('leaves the caller\'s entry object untouched', async () => {
    const { transport, publisher } = setup();
    const original = entry(1);
    publisher.enqueue(original);
    await publisher.flush();
    expect(original).toEqual(entry(1));
    expect(transport.batches[0]?.[0]).toEqual({ ...entry(1), idempotencyKey: expect.stringMatching(UUID) });
  });

  it('throws a ValidationError for an invalid entry and queues nothing', async () => {
    const { transport, publisher } = setup();
    expect(() => publisher.enqueue({ action: 'A' })).toThrow(ValidationError);
    expect(() => publisher.enqueue({ actorId: 'a', action: 'A', ip: 'nope' })).toThrow(/ip must be an IPv4 or IPv6 address/);
    await publisher.flush();
    expect(transport.requests).toHaveLength(0);
    expect(publisher.stats.enqueued).toBe(0);
  });

  it('sends a full batch at once, without waiting for the interval', async () => {
    const { transport, publisher } = setup({ maxBatchEntries: 3 });
    for (let i = 0; i < 7; i++) publisher.enqueue(entry(i));
    await jest.advanceTimersByTimeAsync(0);
    expect(transport.batches.map((b) => b.length)).toEqual([3, 3]);
    await jest.advanceTimersByTimeAsync(100);
    expect(transport.batches.map((b) => b.length)).toEqual([3, 3, 1]);
  });

  it('by default fills batches up to the service\'s limit of entries per request', async () => {
    const { transport, publisher } = setup();
    for (let i = 0; i < LIMITS.batchEntries + 1; i++) publisher.enqueue(entry(i));
    await jest.advanceTimersByTimeAsync(0);
    expect(transport.batches.map((b) => b.length)).toEqual([LIMITS.batchEntries]);
    await publisher.flush();
    expect(transport.batches.map((b) => b.length)).toEqual([LIMITS.batchEntries, 1]);
  });

  it('keeps every batch body within maxBatchBytes', async () => {
    const { transport, publisher } = setup({ maxBatchBytes: 2048 });
    for (let i = 0; i < 60; i++) publisher.enqueue(entry(i, { details: { text: 'é'.repeat(100 + i) } }));
    await publisher.flush();
    const sizes = transport.requests.map((r) => Buffer.byteLength(r.request.body ?? ''));
    expect(sizes.length).toBeGreaterThan(1);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(2048);
    expect(transport.batches.flat()).toHaveLength(60);
  });

  it('keeps at most maxConcurrentRequests batches in flight', async () => {
    const { transport, publisher } = setup({ maxBatchEntries: 1, maxConcurrentRequests: 2 });
    let open!: () => void;
    transport.gate = new Promise((resolve) => (open = resolve));
    for (let i = 0; i < 6; i++) publisher.enqueue(entry(i));
    await jest.advanceTimersByTimeAsync(0);
    expect(transport.inFlight).toBe(2);
    open();
    await publisher.flush();
    expect(transport.maxInFlight).toBe(2);
    expect(transport.stored.size).toBe(6);
  });
});

describe('retries', () => {
  it('retries 503 and 429 with the same body and keys, honouring Retry-After', async () => {
    const { transport, publisher } = setup();
    const retrying = collect(publisher, 'retrying');
    transport.script.push({ status: 503 }, { status: 429, headers: { 'retry-after': '3' } });
    publisher.enqueue(entry(1));
    publisher.enqueue(entry(2));
    const flushed = publisher.flush();
    await jest.advanceTimersByTimeAsync(0);
    expect(transport.requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(50); // attempt 0: 0.5 * 100 ms
    expect(transport.requests).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(2999); // Retry-After 3 s beats the 100 ms backoff
    expect(transport.requests).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    await flushed;
    const bodies = transport.requests.map((r) => r.request.body);
    expect(new Set(bodies).size).toBe(1);
    expect(retrying.map((r) => [r.attempt, r.status, r.delayMs, r.entries])).toEqual([
      [1, 503, 50, 2],
      [2, 429, 3000, 2],
    ]);
    expect(publisher.stats).toMatchObject({ delivered: 2, retries: 2, requests: 3, pending: 0 });
  });

  it('retries network errors', async () => {
    const { transport, publisher } = setup();
    transport.script.push({ network: 'ECONNREFUSED' }, { network: 'ECONNRESET' });
    publisher.enqueue(entry(1));
    const flushed = publisher.flush();
    await jest.advanceTimersByTimeAsync(10_000);
    await flushed;
    expect(transport.requests).toHaveLength(3);
    expect(transport.stored.size).toBe(1);
  });

  it('asks for a compact reply when nobody listens to delivered, and settles from its counts', async () => {
    const { transport, publisher } = setup();
    const failed = collect(publisher, 'failed');
    transport.script.push({ rejectIndexes: [1] });
    publisher.enqueue(entry(1));
    publisher.enqueue(entry(2));
    publisher.enqueue(entry(3, { idempotencyKey: 'k-3' }));
    await publisher.flush();
    publisher.enqueue(entry(3, { idempotencyKey: 'k-3' }));
    await publisher.flush();
    expect(transport.requests.map((r) => r.request.headers[HEADERS.prefer])).toEqual([PREFER_MINIMAL, PREFER_MINIMAL]);
    expect(failed[0]?.entries.map((f) => [f.reason, f.code, f.entry.actorId])).toEqual([['rejected', 'invalid_field', 'user-2']]);
    expect(publisher.stats).toMatchObject({ delivered: 3, duplicates: 1, failed: 1, pending: 0 });
  });

  it('asks for receipts when someone listens to delivered', async () => {
    const { transport, publisher } = setup();
    const delivered = collect(publisher, 'delivered');
    publisher.enqueue(entry(1));
    await publisher.flush();
    expect(transport.requests[0]?.request.headers[HEADERS.prefer]).toBeUndefined();
    expect(delivered[0]?.entries.map((d) => d.receipt.logEntryId)).toEqual(['id-1']);
  });

  it('sends other 4xx to the failed event with the server\'s code, without retrying', async () => {
    const { transport, publisher } = setup();
    const failed = collect(publisher, 'failed');
    transport.script.push({ status: 401, body: { error: { code: 'unauthorized', message: 'bad credentials' } } });
    publisher.enqueue(entry(1));
    publisher.enqueue(entry(2));
    await publisher.flush();
    expect(transport.requests).toHaveLength(1);
    expect(failed[0]?.entries.map((f) => [f.reason, f.code, f.status, f.entry.actorId])).toEqual([
      ['client_error', 'unauthorized', 401, 'user-1'],
      ['client_error', 'unauthorized', 401, 'user-2'],
    ]);
    expect(publisher.stats).toMatchObject({ failed: 2, delivered: 0, pending: 0 });
  });

  it('splits a batch answered 413 into halves, and fails a single entry that is still too large', async () => {
    const { transport, publisher } = setup();
    const failed = collect(publisher, 'failed');
    transport.script.push({ status: 413 }, { status: 413 }, { status: 413 });
    for (let i = 0; i < 4; i++) publisher.enqueue(entry(i));
    await publisher.flush();
    // [0..3] → 413; [0,1] → 413; [0] → 413 (fails); [1], [2,3] → stored.
    expect(transport.batches.map((b) => b.map((e) => e.actorId))).toEqual([
      ['user-0', 'user-1', 'user-2', 'user-3'],
      ['user-0', 'user-1'],
      ['user-0'],
      ['user-1'],
      ['user-2', 'user-3'],
    ]);
    expect(failed.flatMap((f) => f.entries.map((e) => [e.entry.actorId, e.reason, e.code]))).toEqual([
      ['user-0', 'too_large', 'body_too_large'],
    ]);
    expect(publisher.stats).toMatchObject({ delivered: 3, failed: 1 });
  });

  it('gives up on entries past their time budget with reason budget_exhausted', async () => {
    const { transport, publisher } = setup({ entryBudgetMs: 1000 });
    const failed = collect(publisher, 'failed');
    for (let i = 0; i < 20; i++) transport.script.push({ status: 500 });
    publisher.enqueue(entry(1));
    const flushed = publisher.flush();
    await jest.advanceTimersByTimeAsync(5000);
    await flushed;
    expect(failed[0]?.entries[0]).toMatchObject({ reason: 'budget_exhausted', status: 500 });
    expect(transport.requests.length).toBeGreaterThan(1);
    expect(publisher.stats).toMatchObject({ failed: 1, pending: 0 });
  });
});

describe('per-entry results', () => {
  it('fails only the rejected entries of a batch and delivers the others with their receipts', async () => {
    const { transport, publisher } = setup();
    const delivered = collect(publisher, 'delivered');
    const failed = collect(publisher, 'failed');
    transport.script.push({ rejectIndexes: [1] });
    for (let i = 0; i < 3; i++) publisher.enqueue(entry(i));
    await publisher.flush();
    expect(delivered[0]?.entries.map((d) => [d.receipt.logEntryId, d.duplicate])).toEqual([
      ['id-1', false],
      ['id-2', false],
    ]);
    expect(failed[0]?.entries.map((f) => [f.entry.actorId, f.reason, f.code])).toEqual([['user-1', 'rejected', 'invalid_field']]);
  });

  it('counts duplicates (a key the service already had) as delivered', async () => {
    const { transport, publisher } = setup();
    publisher.enqueue(entry(1, { idempotencyKey: 'same' }));
    await publisher.flush();
    publisher.enqueue(entry(1, { idempotencyKey: 'same' }));
    await publisher.flush();
    expect(transport.stored.size).toBe(1);
    expect(publisher.stats).toMatchObject({ delivered: 2, duplicates: 1 });
  });

  it('retries a 2xx reply that lacks a result per entry', async () => {
    const { transport, publisher } = setup();
    transport.script.push({ status: 200, body: { results: [] } });
    publisher.enqueue(entry(1));
    const flushed = publisher.flush();
    await jest.advanceTimersByTimeAsync(1000);
    await flushed;
    expect(transport.requests).toHaveLength(2);
    expect(publisher.stats.delivered).toBe(1);
  });
});

describe('bounded memory', () => {
  const full = { maxQueuedEntries: 2, maxBatchEntries: 1, maxConcurrentRequests: 1 } as const;

  it('throws QueueFullError when full with whenFull: throw', () => {
    const { publisher } = setup({ ...full, whenFull: 'throw' });
    publisher.enqueue(entry(1));
    publisher.enqueue(entry(2));
    expect(() => publisher.enqueue(entry(3))).toThrow(QueueFullError);
  });

  it('drops with a counted dropped event when full with whenFull: drop', () => {
    const { publisher } = setup({ ...full, whenFull: 'drop' });
    const dropped = collect(publisher, 'dropped');
    for (let i = 0; i < 4; i++) publisher.enqueue(entry(i));
    expect(publisher.stats.dropped).toBe(2);
    expect(dropped.map((d) => [d.entry.actorId, d.reason])).toEqual([
      ['user-2', 'queue_full'],
      ['user-3', 'queue_full'],
    ]);
    expect(dropped[0]?.idempotencyKey).toMatch(UUID);
  });

  it('makes enqueue wait for room with whenFull: block, accepting in call order', async () => {
    const { transport, publisher } = setup({ ...full, whenFull: 'block' });
    publisher.enqueue(entry(1));
    publisher.enqueue(entry(2));
    const third = publisher.enqueue(entry(3));
    const fourth = publisher.enqueue(entry(4));
    expect(third).toBeInstanceOf(Promise);
    expect(publisher.stats.blocked).toBe(2);
    await publisher.flush();
    await Promise.all([third, fourth]);
    expect(transport.batches.flat().map((e) => e.actorId)).toEqual(['user-1', 'user-2', 'user-3', 'user-4']);
  });

  it('bounds the bytes held', () => {
    const { publisher } = setup({ maxQueuedBytes: 1024, whenFull: 'throw' });
    const big = entry(0, { details: { text: 'x'.repeat(300) } });
    publisher.enqueue(big);
    publisher.enqueue(big);
    expect(() => publisher.enqueue(big)).toThrow(/queue is full/);
  });
});

describe('flush and close', () => {
  it('joins concurrent flushes and resolves after delivery', async () => {
    const { transport, publisher } = setup();
    publisher.enqueue(entry(1));
    const a = publisher.flush();
    const b = publisher.flush();
    expect(a).toBe(b);
    await a;
    expect(transport.stored.size).toBe(1);
    await expect(publisher.flush()).resolves.toBeUndefined();
  });

  it('a flush waits for entries enqueued before it, not for later ones', async () => {
    const { transport, publisher } = setup({ maxBatchEntries: 1, maxConcurrentRequests: 1 });
    let open!: () => void;
    transport.gate = new Promise((resolve) => (open = resolve));
    publisher.enqueue(entry(1));
    let flushed = false;
    void publisher.flush().then(() => (flushed = true));
    publisher.enqueue(entry(2));
    await jest.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(false);
    open();
    await jest.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(true);
    await publisher.flush();
  });

  it('close drains, then refuses new entries', async () => {
    const { transport, publisher } = setup();
    const drained = collect(publisher, 'drained');
    publisher.enqueue(entry(1));
    await expect(publisher.close()).resolves.toEqual({ drained: true, undelivered: [], failed: [], keptInSpool: false });
    expect(transport.stored.size).toBe(1);
    expect(drained).toHaveLength(1);
    expect(() => publisher.enqueue(entry(2))).toThrow(ClientClosedError);
  });

  it('close reports exactly the entries not delivered when it times out', async () => {
    const { transport, publisher } = setup({ maxBatchEntries: 2, maxConcurrentRequests: 1 });
    transport.script.push({ hang: true });
    for (let i = 0; i < 3; i++) publisher.enqueue(entry(i));
    const closing = publisher.close({ timeoutMs: 1000 });
    await jest.advanceTimersByTimeAsync(1000);
    const result = await closing;
    expect(result.drained).toBe(false);
    expect(result.keptInSpool).toBe(false);
    expect(result.undelivered.map((u) => u.entry.actorId)).toEqual(['user-0', 'user-1', 'user-2']);
    expect(result.undelivered.map((u) => u.idempotencyKey)).toEqual(transport.batches[0]?.map((e) => e.idempotencyKey).concat(result.undelivered[2]?.idempotencyKey ?? ''));
    expect(transport.requests[0]?.options?.signal?.aborted).toBe(true);
  });
});

describe('beforeSend hooks', () => {
  it('redact what is sent but cannot change the idempotency key', async () => {
    const { transport, publisher } = setup({
      beforeSend: [
        (e) => ({ ...e, details: { redacted: true } }),
        (e) => ({ ...e, idempotencyKey: 'forged' }),
      ],
    });
    publisher.enqueue(entry(1, { idempotencyKey: 'original' }));
    publisher.enqueue(entry(2));
    await publisher.flush();
    const [first, second] = transport.batches[0] ?? [];
    expect(first).toMatchObject({ details: { redacted: true }, idempotencyKey: 'original' });
    expect(second?.idempotencyKey).toMatch(UUID);
  });

  it('get a frozen copy, and an invalid result is a ValidationError', () => {
    const original = entry(1);
    const { publisher } = setup({
      beforeSend: (e) => {
        expect(Object.isFrozen(e)).toBe(true);
        return { ...e, actorId: '' };
      },
    });
    expect(() => publisher.enqueue(original)).toThrow(/beforeSend hook returned an invalid entry/);
    expect(original.actorId).toBe('user-1');
  });
});
