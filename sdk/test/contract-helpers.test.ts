/** The shared contract helpers: entry validation (sdk/validation.ts) and the wire format (sdk/wire.ts). */
import { LIMITS, type Entry } from '../src/contract/schemas.js';
import { detailsBytes, isValidationIssue, serializeEntry, validateEntry } from '../src/contract/validation.js';
import {
  authHeaders,
  basicAuthorization,
  batchBody,
  batchOverheadBytes,
  buildLogRequest,
  entryFromLogRequest,
  parseBasicAuthorization,
  queryString,
  type LogRouteParams,
} from '../src/contract/wire.js';

describe('validateEntry / serializeEntry', () => {
  test('a full valid entry passes and is serialised once', () => {
    const entry: Entry = {
      actorId: 'ada@example.com',
      action: 'REFUND_ISSUED',
      details: { amount: 12.5, currency: 'EUR' },
      actorDisplayName: 'Ada',
      actorRoles: ['admin'],
      entityType: 'invoice',
      entityId: 'inv_1',
      occurredAt: '2026-01-31T12:00:00.123+02:00',
      ip: '192.0.2.1',
      idempotencyKey: 'abc-123',
    };
    const result = serializeEntry(entry);
    if (isValidationIssue(result)) throw new Error(result.message);
    expect(result.json).toBe(JSON.stringify(entry));
    expect(result.bytes).toBe(Buffer.byteLength(result.json));
    expect(validateEntry(entry)).toBeUndefined();
  });

  test.each<[string, unknown, Partial<{ field: string; code: string }>]>([
    ['not an object', 'x', { field: 'body', code: 'invalid_field' }],
    ['missing action', { actorId: 'a' }, { field: 'action', code: 'missing_field' }],
    ['action too long', { actorId: 'a', action: 'x'.repeat(LIMITS.action + 1) }, { field: 'action', code: 'field_too_long' }],
    ['too many roles', { actorId: 'a', action: 'b', actorRoles: new Array(LIMITS.actorRoles + 1).fill('r') }, { field: 'actorRoles', code: 'field_too_long' }],
    ['a role with a comma', { actorId: 'a', action: 'b', actorRoles: ['a,b'] }, { field: 'actorRoles', code: 'invalid_field' }],
    ['an idempotency key with a space', { actorId: 'a', action: 'b', idempotencyKey: 'a b' }, { field: 'idempotencyKey', code: 'invalid_field' }],
    ['entityId without entityType', { actorId: 'a', action: 'b', entityId: 'x' }, { field: 'entityType', code: 'missing_field' }],
    ['details as an array', { actorId: 'a', action: 'b', details: [1, 2] }, { field: 'details', code: 'invalid_field' }],
    ['multi-byte details just over the limit', { actorId: 'a', action: 'b', details: 'é'.repeat(LIMITS.detailsBytes / 2 + 1) }, { field: 'details', code: 'details_too_large' }],
  ])('%s', (_name, value, expected) => {
    expect(validateEntry(value)).toMatchObject(expected);
  });

  test('details exactly at the byte limit pass', () => {
    expect(validateEntry({ actorId: 'a', action: 'b', details: 'x'.repeat(LIMITS.detailsBytes) })).toBeUndefined();
    expect(detailsBytes('x'.repeat(LIMITS.detailsBytes))).toBe(LIMITS.detailsBytes);
    expect(detailsBytes({ a: 'é' })).toBe(Buffer.byteLength('{"a":"é"}'));
    expect(detailsBytes(undefined)).toBe(0);
  });
});

describe('credentials on the wire', () => {
  test('Basic authorization round-trips, secrets with colons included', () => {
    const header = basicAuthorization('org', 'se:cr:et');
    expect(header).toBe(`Basic ${Buffer.from('org:se:cr:et').toString('base64')}`);
    expect(parseBasicAuthorization(header)).toEqual({ organizationId: 'org', apiSecret: 'se:cr:et' });
    expect(parseBasicAuthorization('Bearer x')).toBeUndefined();
    expect(parseBasicAuthorization(undefined)).toBeUndefined();
    expect(parseBasicAuthorization(`Basic ${Buffer.from(':nouser').toString('base64')}`)).toBeUndefined();
  });

  test('authHeaders gives Authorization and Application-Id', () => {
    expect(authHeaders({ organizationId: 'o', apiSecret: 's', applicationId: 'a' })).toEqual({
      Authorization: basicAuthorization('o', 's'),
      'Application-Id': 'a',
    });
  });
});

describe('buildLogRequest → entryFromLogRequest round trip', () => {
  /** What a router does with the request: decode the path segments, lower-case the headers, parse the body. */
  function receive(entry: Entry): Record<string, unknown> {
    const request = buildLogRequest(entry);
    const segments = request.path.split('/').slice(3).map(decodeURIComponent);
    const [actorId = '', action = '', entityType, entityId] = segments;
    const params: LogRouteParams = { actorId, action };
    if (entityType !== undefined) params.entityType = entityType;
    if (entityId !== undefined) params.entityId = entityId;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
    const isJson = headers['content-type'] === 'application/json';
    const body = request.body === '' || request.body === undefined ? undefined : isJson ? (JSON.parse(request.body) as unknown) : request.body;
    return entryFromLogRequest(params, headers, body);
  }

  test.each<[string, Entry]>([
    ['minimal', { actorId: 'a', action: 'b' }],
    ['JSON details', { actorId: 'a/b', action: 'c d', details: { nested: { x: [1, 'two'] } } }],
    ['text details', { actorId: 'ü', action: '?#%', details: 'free text, "quoted"' }],
    [
      'every field',
      {
        actorId: 'ada',
        action: 'UPDATE',
        details: { k: 1 },
        actorDisplayName: 'Ada, Countess — Lovelace',
        actorRoles: ['admin', 'über user', 'a%b'],
        entityType: 'in voice',
        entityId: 'inv/1',
        occurredAt: '2026-01-31T12:00:00Z',
        ip: '::1',
        idempotencyKey: 'k-1',
      },
    ],
  ])('%s', (_name, entry) => {
    const received = receive(entry);
    expect(received).toEqual(entry);
    expect(validateEntry(received)).toBeUndefined();
  });

  test('an empty body means no details', () => {
    const request = buildLogRequest({ actorId: 'a', action: 'b' });
    expect(request.body).toBe('');
    expect(entryFromLogRequest({ actorId: 'a', action: 'b' }, {}, '')).toEqual({ actorId: 'a', action: 'b' });
  });
});

describe('batch bodies and query strings', () => {
  test('batchBody wraps serialised entries, and batchOverheadBytes measures the wrapping', () => {
    const parts = ['{"actorId":"a","action":"b"}', '{"actorId":"c","action":"d"}'];
    const body = batchBody(parts);
    expect(JSON.parse(body)).toEqual({ entries: [{ actorId: 'a', action: 'b' }, { actorId: 'c', action: 'd' }] });
    expect(Buffer.byteLength(body)).toBe(batchOverheadBytes(2) + parts.join('').length);
    expect(batchBody([])).toBe('{"entries":[]}');
    expect(batchOverheadBytes(0)).toBe('{"entries":[]}'.length);
  });

  test('queryString skips undefined and empty values and encodes the rest', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ a: undefined, b: '' })).toBe('');
    expect(queryString({ actorId: 'a b&c', limit: 5 })).toBe('?actorId=a+b%26c&limit=5');
  });
});
