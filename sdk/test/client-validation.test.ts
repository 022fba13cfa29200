/** Bad input fails with a specific error before anything is sent; bad options fail at construction. */
import nock from 'nock';
import { LIMITS, type Entry, type ListQuery } from '../src/contract/schemas.js';
import { AuditTrailClient } from '../src/client.js';
import { ValidationError, isAuditTrailError } from '../src/errors.js';
import { BASE_URL, makeClient } from './support/fixtures.js';
import { useNock } from './support/use-nock.js';

const client = makeClient();
/** Matches any request the client can make: if one is consumed, something was sent. */
const anyRequest = (): nock.Scope =>
  nock(BASE_URL).get(/.*/).reply(200, {}).post(/.*/).reply(200, {}).delete(/.*/).reply(200, {});

useNock(() => client.close());

async function rejectsBeforeSending(call: () => Promise<unknown>): Promise<ValidationError> {
  const scope = anyRequest();
  const error: unknown = await call().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(scope.isDone()).toBe(false);
  expect(nock.pendingMocks()).toHaveLength(3);
  nock.cleanAll();
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`);
  expect(isAuditTrailError(error)).toBe(true);
  expect(error.status).toBeUndefined();
  return error;
}

describe('log validates the entry before sending', () => {
  test.each<[string, unknown, string, string]>([
    ['missing actorId', { action: 'X' }, 'actorId', 'missing_field'],
    ['empty action', { actorId: 'a', action: '' }, 'action', 'missing_field'],
    ['oversized actorId', { actorId: 'a'.repeat(LIMITS.actorId + 1), action: 'X' }, 'actorId', 'field_too_long'],
    ['control characters in action', { actorId: 'a', action: 'X\nY' }, 'action', 'invalid_field'],
    ['details over the size limit', { actorId: 'a', action: 'X', details: 'x'.repeat(LIMITS.detailsBytes + 1) }, 'details', 'details_too_large'],
    ['entityType without entityId', { actorId: 'a', action: 'X', entityType: 'invoice' }, 'entityId', 'missing_field'],
    ['a bad IP address', { actorId: 'a', action: 'X', ip: '999.1.1.1' }, 'ip', 'invalid_field'],
    ['a date without time zone', { actorId: 'a', action: 'X', occurredAt: '2026-01-31T12:00:00' }, 'occurredAt', 'invalid_field'],
    ['an unknown field', { actorId: 'a', action: 'X', colour: 'red' }, 'colour', 'invalid_field'],
    // I-JSON (RFC 7493): rejected with a ValidationError, never a URIError from percent-encoding a header.
    ['a name cut mid-emoji (lone surrogate, sent as a header)', { actorId: 'a', action: 'X', actorDisplayName: 'Zoë 😀'.slice(0, 5) }, 'actorDisplayName', 'invalid_unicode'],
    ['a lone surrogate in a role', { actorId: 'a', action: 'X', actorRoles: ['ok', '\udc00'] }, 'actorRoles', 'invalid_unicode'],
    ['a lone surrogate in the actor id (a path segment)', { actorId: '\ud800', action: 'X' }, 'actorId', 'invalid_unicode'],
    ['a lone surrogate deep in details', { actorId: 'a', action: 'X', details: { a: [{ b: 'x\ud83d' }] } }, 'details', 'invalid_unicode'],
    ['a lone surrogate in a details key', { actorId: 'a', action: 'X', details: { '\ud83d': 1 } }, 'details', 'invalid_unicode'],
    ['NaN in details (JSON would write null)', { actorId: 'a', action: 'X', details: { n: NaN } }, 'details', 'invalid_number'],
    ['Infinity in details', { actorId: 'a', action: 'X', details: { n: [1, -Infinity] } }, 'details', 'invalid_number'],
    ['an integer beyond 2^53-1 in details', { actorId: 'a', action: 'X', details: { n: 2 ** 53 } }, 'details', 'invalid_number'],
  ])('%s', async (_name, entry, field, code) => {
    const error = await rejectsBeforeSending(() => client.log(entry as Entry));
    expect(error).toMatchObject({ field, code, operation: 'log' });
    expect(error.message).toContain(field);
  });

  test('the message names the path inside details', async () => {
    const error = await rejectsBeforeSending(() => client.log({ actorId: 'a', action: 'X', details: { items: [{ price: Infinity }] } }));
    expect(error.message).toContain('details.items[0].price');
  });

  // Shallow values are checked by a quick pass; deeper ones (and cycles) by the walk that names the path.
  const nested = (depth: number, leaf: unknown): Record<string, unknown> => {
    let value: Record<string, unknown> = { leaf };
    for (let level = 0; level < depth; level++) value = { a: value };
    return value;
  };

  test('a problem nested 40 levels deep is found and its path named', async () => {
    const error = await rejectsBeforeSending(() => client.log({ actorId: 'a', action: 'X', details: nested(40, NaN) }));
    expect(error).toMatchObject({ field: 'details', code: 'invalid_number' });
    expect(error.message).toContain(`details${'.a'.repeat(40)}.leaf`);
  });

  test('a sound value nested 40 levels deep is accepted; a bad key in an array member is named', async () => {
    const local = makeClient({ disabled: true });
    expect(local.enqueue({ actorId: 'a', action: 'X', details: nested(40, 'ok') })).toBeUndefined();
    await local.close();
    expect(() => client.enqueue({ actorId: 'a', action: 'X', details: { list: [nested(3, 1), { key: '\udfff' }] } })).toThrow(
      expect.objectContaining({ code: 'invalid_unicode', message: expect.stringContaining('details.list[1].key') }),
    );
  });

  test('enqueue rejects unsound input at once, too', () => {
    expect(() => client.enqueue({ actorId: 'a', action: 'X', details: { n: NaN } })).toThrow(ValidationError);
    expect(() => client.enqueue({ actorId: 'a', action: 'X', actorDisplayName: '\ud800' })).toThrow(ValidationError);
  });

  test('details that cannot be serialised (BigInt)', async () => {
    const error = await rejectsBeforeSending(() => client.log({ actorId: 'a', action: 'X', details: { n: 10n } }));
    expect(error).toMatchObject({ field: 'details', code: 'details_not_serializable' });
  });

  test('details with a cycle', async () => {
    const details: Record<string, unknown> = {};
    details['self'] = details;
    const error = await rejectsBeforeSending(() => client.log({ actorId: 'a', action: 'X', details }));
    expect(error).toMatchObject({ field: 'details', code: 'details_not_serializable' });
  });
});

describe('logBatch validates every entry before sending', () => {
  const good: Entry = { actorId: 'a', action: 'X' };

  test('names the index and field of the first invalid entry', async () => {
    const entries = [good, good, good, { actorId: '', action: 'X' }, { action: 'Y' } as Entry];
    const error = await rejectsBeforeSending(() => client.logBatch(entries));
    expect(error.message).toBe('entries[3].actorId must not be empty');
    expect(error).toMatchObject({ index: 3, field: 'actorId', code: 'missing_field', operation: 'logBatch' });
  });

  test('a missing field reads "entries[i].field is required"', async () => {
    const error = await rejectsBeforeSending(() => client.logBatch([good, { action: 'Y' } as Entry]));
    expect(error.message).toBe('entries[1].actorId is required');
  });

  test('an entry that is not an object is named by its index', async () => {
    const error = await rejectsBeforeSending(() => client.logBatch([good, 'nope' as unknown as Entry]));
    expect(error.message).toMatch(/^entries\[1\]: /);
  });

  test(`more than ${LIMITS.batchEntries} entries`, async () => {
    const error = await rejectsBeforeSending(() => client.logBatch(new Array<Entry>(LIMITS.batchEntries + 1).fill(good)));
    expect(error).toMatchObject({ code: 'batch_too_large', field: 'entries' });
  });

  test('a batch whose body would exceed the body limit', async () => {
    const big: Entry = { actorId: 'a', action: 'X', details: 'x'.repeat(LIMITS.detailsBytes - 100) };
    const count = Math.ceil(LIMITS.bodyBytes / LIMITS.detailsBytes) + 1;
    const error = await rejectsBeforeSending(() => client.logBatch(new Array<Entry>(count).fill(big)));
    expect(error).toMatchObject({ code: 'body_too_large', field: 'entries' });
  });

  test('an empty batch and a non-array', async () => {
    await rejectsBeforeSending(() => client.logBatch([]));
    const error = await rejectsBeforeSending(() => client.logBatch({} as unknown as Entry[]));
    expect(error.field).toBe('entries');
  });
});

describe('queries are validated before sending', () => {
  test.each<[string, ListQuery, string]>([
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit above the page size', { limit: LIMITS.pageSize + 1 }, 'limit'],
    ['a fractional limit', { limit: 1.5 }, 'limit'],
    ['a from date that is not ISO-8601', { from: 'yesterday' }, 'from'],
    ['a to date without time zone', { to: '2026-01-01T00:00:00' }, 'to'],
    ['an impossible date', { from: '2026-02-31T00:00:00Z' }, 'from'],
    ['an unknown order', { order: 'up' as 'asc' }, 'order'],
    ['an empty filter', { actorId: '' }, 'actorId'],
    ['an unknown filter', { actor: 'x' } as ListQuery, 'actor'],
  ])('listEntries: %s', async (_name, query, field) => {
    const error = await rejectsBeforeSending(() => client.listEntries(query));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^listEntries: ${field} `));
  });

  test('iterateEntries checks the query before the first page', async () => {
    const error = await rejectsBeforeSending(async () => {
      for await (const _ of client.iterateEntries({ limit: -1 })) void _;
    });
    expect(error.field).toBe('limit');
  });

  test.each([
    [{ fromSequence: 0 }, 'fromSequence'],
    [{ toSequence: 1.5 }, 'toSequence'],
    [{ fromSequence: 5, toSequence: 4 }, 'toSequence'],
  ])('verify %p', async (query, field) => {
    const error = await rejectsBeforeSending(() => client.verify(query));
    expect(error.field).toBe(field);
    const local = await rejectsBeforeSending(() => client.verifyLocally(query));
    expect(local.field).toBe(field);
  });

  test('getEntry and unsubscribeHook need an id', async () => {
    expect((await rejectsBeforeSending(() => client.getEntry(''))).field).toBe('entryId');
    expect((await rejectsBeforeSending(() => client.unsubscribeHook('  '))).field).toBe('id');
  });

  test('subscribeHook needs an http(s) targetUrl', async () => {
    expect((await rejectsBeforeSending(() => client.subscribeHook({ targetUrl: 'ftp://x' }))).field).toBe('targetUrl');
    expect((await rejectsBeforeSending(() => client.subscribeHook({ targetUrl: 'not a url' }))).field).toBe('targetUrl');
    expect((await rejectsBeforeSending(() => client.subscribeHook({ targetUrl: 'https://x', action: '' }))).field).toBe('action');
  });
});

describe('options are checked at construction', () => {
  const valid = { baseUrl: 'https://audit.example.com/', organizationId: 'org', apiSecret: 'secret-value', applicationId: 'app' };

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['missing apiSecret', { apiSecret: undefined }, /"apiSecret" is required/],
    ['empty organizationId', { organizationId: '' }, /"organizationId" is required/],
    ['organizationId with a colon', { organizationId: 'a:b' }, /"organizationId" must not contain ":"/],
    ['missing applicationId', { applicationId: undefined }, /"applicationId" is required/],
    ['non-ASCII applicationId', { applicationId: 'äpp' }, /"applicationId" must be printable ASCII/],
    ['missing baseUrl', { baseUrl: undefined }, /"baseUrl" is required/],
    ['relative baseUrl', { baseUrl: 'audit.example.com' }, /"baseUrl" must be an absolute http/],
    ['ftp baseUrl', { baseUrl: 'ftp://audit.example.com' }, /"baseUrl" must use http/],
    ['baseUrl with credentials', { baseUrl: 'https://u:p@audit.example.com' }, /"baseUrl" must not contain credentials/],
    ['baseUrl with a query', { baseUrl: 'https://audit.example.com/?a=1' }, /"baseUrl" must not have a query/],
    ['zero timeout', { timeoutMs: 0 }, /"timeoutMs" must be an integer from 1/],
    ['string timeout', { timeoutMs: '100' }, /"timeoutMs" must be an integer/],
    ['zero maxSockets', { maxSockets: 0 }, /"maxSockets" must be an integer from 1/],
    ['a transport without send', { transport: { close: () => undefined } }, /"transport" must have send\(\) and close\(\)/],
    ['a misspelt option', { secret: 'x' }, /"secret" is not a known option/],
    ['a secret with a newline', { apiSecret: 'abc\ndef' }, /"apiSecret" must not contain control characters/],
  ])('%s → TypeError', (_name, change, message) => {
    const options = { ...valid, ...change };
    const build = () => new AuditTrailClient(options as unknown as ConstructorParameters<typeof AuditTrailClient>[0]);
    expect(build).toThrow(TypeError);
    expect(build).toThrow(message);
  });

  test('the TypeError for a bad secret does not echo it', () => {
    expect(() => new AuditTrailClient({ ...valid, apiSecret: 'leaky\u0001secret' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('leaky') }),
    );
  });

  test('no options object at all', () => {
    expect(() => new AuditTrailClient(undefined as unknown as ConstructorParameters<typeof AuditTrailClient>[0])).toThrow(TypeError);
  });

  test('a trailing slash and a path prefix of baseUrl are kept right', async () => {
    const prefixed = new AuditTrailClient({ ...valid, baseUrl: 'http://audit.test/tenant-a/' });
    const scope = nock('http://audit.test').get('/tenant-a/api/auth/check').reply(200, { organizationId: 'org', applicationId: 'app' });
    await prefixed.checkAuth();
    await prefixed.close();
    expect(scope.isDone()).toBe(true);
    expect(JSON.stringify(prefixed)).toBe('{"baseUrl":"http://audit.test/tenant-a","organizationId":"org","applicationId":"app"}');
  });
});
