/** log() and the read methods retry (backoff, Retry-After, a minted idempotency key); per-call signal and timeoutMs. */
import nock from 'nock';
import { HEADERS } from '../src/contract/schemas.js';
import { NetworkError, ServerError, ValidationError } from '../src/errors.js';
import { failure } from './support/failure.js';
import { api, makeClient, receipt } from './support/fixtures.js';
import { useNock } from './support/use-nock.js';

// Small backoff so the tests are quick; the delays' shape is retry-policy.test.ts's business.
const client = makeClient({ delivery: { retry: { baseDelayMs: 10, maxDelayMs: 40 } } });
useNock(() => client.close());

const keyOf = (request: { headers: Record<string, string | string[]> }): string =>
  String(request.headers[HEADERS.idempotencyKey.toLowerCase()]);

test('log() retries a 503 and a reset with the same minted idempotency key, then returns the receipt', async () => {
  const keys: string[] = [];
  api()
    .post('/api/log/ada/LOGIN')
    .times(3)
    .reply(function reply() {
      keys.push(keyOf(this.req));
      if (keys.length === 1) return [503, { error: { code: 'internal_error', message: 'busy' } }];
      if (keys.length === 2) return [500, 'oops'];
      return [201, receipt()];
    });
  await expect(client.log({ actorId: 'ada', action: 'LOGIN' })).resolves.toEqual(receipt());
  expect(keys).toHaveLength(3);
  expect(new Set(keys).size).toBe(1);
});

test('a network error on a read is retried', async () => {
  api().get('/api/entries').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  api().get('/api/entries').reply(200, { entries: [], nextCursor: null });
  await expect(client.listEntries()).resolves.toEqual({ entries: [], nextCursor: null });
});

test('Retry-After of a 429 is honoured as the least wait', async () => {
  api().get('/api/auth/check').reply(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'Retry-After': '0.3' });
  api().get('/api/auth/check').reply(200, { organizationId: 'o', organizationName: 'O', applicationId: 'a', applicationName: 'A' });
  const started = Date.now();
  await expect(client.checkAuth()).resolves.toMatchObject({ organizationId: 'o' });
  expect(Date.now() - started).toBeGreaterThanOrEqual(290);
});

test('gives up after maxRetries (default 2: three attempts) with the last error', async () => {
  const scope = api().get('/api/verification/chain').times(3).reply(503, { error: { code: 'internal_error', message: 'down' } });
  const error = await failure(client.verify());
  expect(error).toBeInstanceOf(ServerError);
  expect(scope.isDone()).toBe(true);
});

test('a 4xx other than 408/425/429 is not retried', async () => {
  const scope = api().post('/api/log/ada/LOGIN').reply(400, { error: { code: 'invalid_field', message: 'no', field: 'ip' } });
  expect(await failure(client.log({ actorId: 'ada', action: 'LOGIN' }))).toBeInstanceOf(ValidationError);
  expect(scope.isDone()).toBe(true);
  expect(nock.pendingMocks()).toEqual([]);
});

test('subscribeHook is never retried (a lost reply would leave a second subscription)', async () => {
  api().post('/api/hooks').reply(503, { error: { code: 'internal_error', message: 'down' } });
  const spare = api().post('/api/hooks').reply(201, {});
  expect(await failure(client.subscribeHook({ targetUrl: 'https://example.com/hook' }))).toBeInstanceOf(ServerError);
  expect(spare.isDone()).toBe(false);
});

test('per call: maxRetries 0 sends once', async () => {
  const scope = api().get('/api/actions').reply(503, {});
  const spare = api().get('/api/actions').reply(200, { actions: [] });
  expect(await failure(client.listActions({ maxRetries: 0 }))).toBeInstanceOf(ServerError);
  expect(scope.isDone()).toBe(true);
  expect(spare.isDone()).toBe(false);
});

test('the client option maxRetries sets the default', async () => {
  const once = makeClient({ maxRetries: 0 });
  api().get('/api/actions').reply(503, {});
  const unused = api().get('/api/actions').reply(200, { actions: [] });
  expect(await failure(once.listActions())).toBeInstanceOf(ServerError);
  expect(unused.isDone()).toBe(false);
  await once.close();
});

test('per call: timeoutMs bounds each attempt', async () => {
  api().get('/api/applications').delay(500).reply(200, { applications: [] });
  const error = await failure(client.listApplications({ timeoutMs: 50, maxRetries: 0 }));
  expect(error).toBeInstanceOf(NetworkError);
  expect(error.code).toBe('ETIMEDOUT');
});

test('per call: an aborted signal stops the request and is not retried', async () => {
  // The reply would take 5 s: well apart from an abort at 30 ms even when the machine is loaded (with a 500 ms
  // reply and a 400 ms bound, the abort took 1.56 s in a full test run under a load average of 5).
  const scope = api().get('/api/applications').delay(5000).times(3).reply(200, { applications: [] });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  const started = Date.now();
  const error = await failure(client.listApplications({ signal: controller.signal }));
  expect(error).toBeInstanceOf(NetworkError);
  expect(error.code).toBe('ABORTED');
  expect(Date.now() - started).toBeLessThan(2500);
  expect(scope.pendingMocks()).toHaveLength(1);
});

test('per call: the signal also cuts the wait before a retry short', async () => {
  const controller = new AbortController();
  // Aborted while the client waits out Retry-After (30 s), not while the request is in flight.
  api()
    .get('/api/actions')
    .reply(() => {
      setTimeout(() => controller.abort(), 50);
      return [429, {}, { 'Retry-After': '30' }];
    });
  const started = Date.now();
  const error = await failure(client.listActions({ signal: controller.signal }));
  expect(error.status).toBe(429);
  expect(Date.now() - started).toBeLessThan(5000);
});

test('per call: bad options are refused before any request, naming the option', async () => {
  const error = await failure(client.log({ actorId: 'a', action: 'b' }, { timeout: 5 } as never));
  expect(error).toBeInstanceOf(ValidationError);
  expect(error.message).toBe('log: option timeout is not an option of a call');
  expect((await failure(client.listEntries({}, { maxRetries: -1 }))).message).toMatch(/maxRetries must be an integer from 0 to 10/);
});
