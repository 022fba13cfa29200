/** The shared contract helpers: entry validation (sdk/validation.ts) and the wire format (sdk/wire.ts). */
import { LIMITS, type Entry } from '../src/contract/schemas.js';
import { detailsBytes, isValidationIssue, serializeEntry, validateEntry } from '../src/contract/validation.js';
import {
  authHeaders,
  basicAuthorization,
  batchBody,
  batchOverheadBytes,
  buildLogRequest,
  queryString,
} from '../src/contract/wire.js';
import { parseDetailsText } from '../src/contract/details-text.js';
import { listQueryIssue, verifyQueryIssue } from '../src/contract/query-validation.js';
import { parseBaseUrl } from '../src/contract/base-url.js';
import { readErrorBody } from '../src/contract/error-body.js';

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
  test('Basic authorization is organizationId:apiSecret in base64, secrets with colons included', () => {
    const header = basicAuthorization('org', 'se:cr:et');
    expect(header).toBe(`Basic ${Buffer.from('org:se:cr:et').toString('base64')}`);
  });

  test('authHeaders gives Authorization and Application-Id', () => {
    expect(authHeaders({ organizationId: 'o', apiSecret: 's', applicationId: 'a' })).toEqual({
      Authorization: basicAuthorization('o', 's'),
      'Application-Id': 'a',
    });
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

describe('details typed as text (Zapier field, CLI argument)', () => {
  it.each([
    ['{"a":1,"b":{"c":[1]}}', { ok: true, details: { a: 1, b: { c: [1] } } }],
    ['  {"a":1}\n', { ok: true, details: { a: 1 } }],
    ['[1,2]', { ok: false, problem: 'not_an_object' }],
    ['{"amount": 5,}', { ok: false, problem: 'malformed_json', parserMessage: expect.any(String) }],
    ['"just a string"', { ok: true, details: '"just a string"' }],
    ['plain text', { ok: true, details: 'plain text' }],
  ])('parseDetailsText(%j)', (text, expected) => expect(parseDetailsText(text)).toEqual(expected));

});

describe('the one rule of the read queries', () => {
  test.each<[string, unknown, { field: string; code: string; message?: RegExp } | undefined]>([
    ['an empty query', {}, undefined],
    ['every filter', { actorId: 'a', action: 'b', entityType: 't', entityId: 'i', idempotencyKey: 'k', from: '2026-01-31T12:00:00Z', to: '2026-02-01T00:00+02:00', limit: 1000, order: 'asc', cursor: 'c' }, undefined],
    ['a date without a time zone', { from: '2026-01-31T12:00:00' }, { field: 'from', code: 'invalid_field', message: /^from must be an ISO-8601 date-time with a time zone/ }],
    ['a date that does not exist', { to: '2026-02-30T00:00:00Z' }, { field: 'to', code: 'invalid_field' }],
    ['a page size of 0', { limit: 0 }, { field: 'limit', code: 'invalid_field', message: /^limit must be an integer from 1 to 1000$/ }],
    ['an empty filter', { actorId: '' }, { field: 'actorId', code: 'invalid_field', message: /^actorId must be non-empty text$/ }],
    ['a filter longer than the field', { actorId: 'x'.repeat(LIMITS.actorId + 1) }, { field: 'actorId', code: 'field_too_long' }],
    ['an unknown key', { colour: 'red' }, { field: 'colour', code: 'invalid_field', message: /^colour is not a filter of the entry list$/ }],
    ['not an object', 'actorId=a', { field: 'query', code: 'invalid_field' }],
  ])('listQueryIssue: %s', (_name, query, expected) => {
    const issue = listQueryIssue(query);
    if (expected === undefined) return expect(issue).toBeUndefined();
    expect(issue).toMatchObject({ field: expected.field, code: expected.code });
    if (expected.message) expect(issue?.message).toMatch(expected.message);
  });

  test('verifyQueryIssue: positive safe integers, from ≤ to', () => {
    expect(verifyQueryIssue({ fromSequence: 2, toSequence: 2 })).toBeUndefined();
    expect(verifyQueryIssue({ fromSequence: 0 })).toMatchObject({ field: 'fromSequence', message: 'fromSequence must be a positive integer' });
    expect(verifyQueryIssue({ toSequence: 2 ** 60 })).toMatchObject({ field: 'toSequence' });
    expect(verifyQueryIssue({ fromSequence: 3, toSequence: 2 })).toMatchObject({ field: 'toSequence', message: 'toSequence must not be smaller than fromSequence' });
  });
});

describe('the one base URL rule', () => {
  test.each([
    [' http://127.0.0.1:8080/ ', 'http://127.0.0.1:8080'],
    ['https://audit.example.com/tenant-a//', 'https://audit.example.com/tenant-a'],
    ['HTTPS://Audit.Example.com', 'https://audit.example.com'],
  ])('%j → %j', (raw, expected) => expect(parseBaseUrl(raw)).toEqual({ ok: true, baseUrl: expected }));

  test.each([
    [undefined, 'missing'],
    ['', 'missing'],
    [42, 'not_text'],
    ['localhost:8080', 'no_scheme'],
    ['http://exa mple.com', 'malformed'],
    ['ftp://audit.example.com', 'scheme'],
    ['https://user:pw@audit.example.com', 'credentials'],
    ['https://audit.example.com/#x', 'query'],
  ])('%j is refused: %s', (raw, problem) => expect(parseBaseUrl(raw)).toMatchObject({ ok: false, problem }));
});

describe('the one error-body reader', () => {
  test('reads parsed JSON and JSON text, keeps only well-formed members', () => {
    const body = { error: { code: 'invalid_field', message: ' actorId is required ', field: 'actorId' } };
    expect(readErrorBody(body)).toEqual({ code: 'invalid_field', message: 'actorId is required', field: 'actorId' });
    expect(readErrorBody(JSON.stringify(body))).toEqual({ code: 'invalid_field', message: 'actorId is required', field: 'actorId' });
    expect(readErrorBody({ error: { code: 'made_up', message: 'm', field: '' } })).toEqual({ message: 'm' });
    expect(readErrorBody('<html>Bad gateway</html>')).toBeUndefined();
    expect(readErrorBody({ message: 'no error object' })).toBeUndefined();
    expect(readErrorBody(null)).toBeUndefined();
  });
});
