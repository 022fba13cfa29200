/** Every failure class the client reports, from HTTP statuses and from the network. */
import nock from 'nock';
import {
  AuditTrailError,
  AuthenticationError,
  ConflictError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../src/errors.js';
import { api, makeClient } from './support/fixtures.js';
import { failure } from './support/failure.js';
import { useNock } from './support/use-nock.js';

// One attempt per call: these tests map a single reply to its error (retries are tested in client-retries.test.ts).
const client = makeClient({ maxRetries: 0 });
const entry = { actorId: 'alice', action: 'LOGIN', details: { ok: true } };
const logPath = '/api/log/alice/LOGIN';
const errorBody = (code: string, message: string, field?: string) => ({ error: { code, message, ...(field ? { field } : {}) } });

useNock(() => client.close());

describe('HTTP statuses map to typed errors', () => {
  test.each([
    [401, AuthenticationError, 'unauthorized', /organization ID or API secret was not accepted/],
    [403, AuthenticationError, 'unauthorized', /may not be used for this application/],
    [404, NotFoundError, 'not_found', /not found/],
    [409, ConflictError, 'idempotency_conflict', /conflicts with what is already stored/],
    [413, ValidationError, 'body_too_large', /rejected the input/],
    [415, ValidationError, 'unsupported_media_type', /rejected the input/],
    [422, ValidationError, 'invalid_field', /rejected the input/],
    [500, ServerError, 'internal_error', /had a problem.*Retrying later may help/],
    [503, ServerError, 'internal_error', /had a problem/],
  ] as const)('%i → %p with the server code', async (status, type, code, message) => {
    api().post(logPath).reply(status, errorBody(code, 'Server says so'));
    const error = await failure(client.log(entry));
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(AuditTrailError);
    expect(error.name).toBe(type.name);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.operation).toBe('log');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`log (POST ${logPath}) failed with HTTP ${status}`);
    expect(error.message).toContain('Server says so.');
  });

  test('400 carries the server code and field on the ValidationError', async () => {
    api().post(logPath).reply(400, errorBody('field_too_long', 'actorId must be at most 256 characters', 'actorId'));
    const error = await failure(client.log(entry));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'field_too_long', field: 'actorId', status: 400 });
  });

  test('statuses without our error body still get a class and a default code', async () => {
    api().post(logPath).reply(401, 'nope', { 'Content-Type': 'text/plain' });
    const error = await failure(client.log(entry));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe('unauthorized');
    // A text body is not echoed: it may be anything (a proxy page).
    expect(error.message).not.toContain('nope');
  });

  test('an unknown server code is not passed through as a typed code', async () => {
    api().post(logPath).reply(422, errorBody('made_up', 'odd'));
    const error = await failure(client.log(entry));
    expect(error.code).toBe('invalid_field');
  });

  test('a redirect is not followed and is reported', async () => {
    api().post(logPath).reply(302, '', { Location: 'http://elsewhere.test/steal' });
    const error = await failure(client.log(entry));
    expect(error.constructor).toBe(AuditTrailError);
    expect(error.status).toBe(302);
    expect(error.message).toContain('redirected to http://elsewhere.test/steal, which is not followed');
  });

  test('a 404 from getEntry is a NotFoundError', async () => {
    api().get('/api/getEntryById').query({ entryId: 'missing' }).reply(404, errorBody('not_found', 'No entry missing'));
    const error = await failure(client.getEntry('missing'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.operation).toBe('getEntry');
    expect(error.message).toContain('getEntry (GET /api/getEntryById)');
  });
});

describe('429 Retry-After', () => {
  test('delay-seconds become retryAfterMs', async () => {
    api().post(logPath).reply(429, errorBody('rate_limited', 'Slow down'), { 'Retry-After': '7' });
    const error = await failure(client.log(entry));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
    expect(error.message).toMatch(/Try again in 7 s/);
  });

  test('an HTTP date becomes the time left until it', async () => {
    const at = new Date(Date.now() + 30_000);
    api().post(logPath).reply(429, errorBody('rate_limited', 'Slow down'), { 'Retry-After': at.toUTCString() });
    const error = (await failure(client.log(entry))) as RateLimitError;
    // HTTP dates have whole seconds, and some time passes before parsing.
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  test('no Retry-After leaves retryAfterMs undefined', async () => {
    api().post(logPath).reply(429, errorBody('rate_limited', 'Slow down'));
    const error = (await failure(client.log(entry))) as RateLimitError;
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toMatch(/Try again later/);
  });
});

describe('network failures are NetworkErrors with a code and a sanitised cause', () => {
  test.each([
    ['ECONNRESET', 'socket hang up', /connection was reset/],
    ['ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443', /connection was refused/],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND audit.test', /host name was not found/],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN audit.test', /could not be resolved/],
  ])('%s', async (code, rawMessage, message) => {
    // nock 14 needs an Error instance here: a plain object breaks its response handling (nock/nock#2789).
    api().post(logPath).replyWithError(Object.assign(new Error(rawMessage), { code }));
    const error = await failure(client.log(entry));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe(code);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`log failed: POST ${logPath}`);
    const cause = error.cause as Error & { code?: string };
    expect(cause).toBeInstanceOf(Error);
    expect(cause.code).toBe(code);
    expect(Object.keys(cause)).toEqual(['code']);
    expect(cause).not.toHaveProperty('config');
    expect(cause).not.toHaveProperty('request');
  });

  test('no response within timeoutMs is ETIMEDOUT', async () => {
    const quick = makeClient({ timeoutMs: 50, maxRetries: 0 });
    api().post(logPath).delay(2_000).reply(201, {});
    const error = await failure(quick.log(entry));
    await quick.close();
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.message).toMatch(/no response in time/);
    expect((error.cause as Error).message).toBe('no response within 50 ms');
  });

  test('a transport that throws something else is still a NetworkError without the raw error', async () => {
    const raw = Object.assign(new Error('boom\nstack-ish detail'), { config: { headers: { Authorization: 'x' } } });
    const custom = makeClient({ transport: { send: () => Promise.reject(raw), close: () => undefined } });
    const error = await failure(custom.checkAuth());
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe('ENETWORK');
    expect(error.message).toBe('checkAuth failed: the transport failed (boom)');
    expect(error.cause).toBeUndefined();
  });
});

describe('after close', () => {
  test('calls fail without a request', async () => {
    const closed = makeClient();
    await closed.close();
    await closed.close();
    const scope = api().get('/api/auth/check').reply(200, {});
    await expect(closed.checkAuth()).rejects.toMatchObject({ name: 'ClientClosedError', message: 'checkAuth: the client is closed' });
    expect(scope.isDone()).toBe(false);
  });
});
