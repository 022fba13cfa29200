import { normalizeBaseUrl } from '../../zapier/base-url';
import { isNetworkError } from '../../zapier/api';
import { capEntries, RESPONSE_BUDGET_BYTES, type EntryOutput } from '../../zapier/entry-output';
import storedSample from '../../samples/stored_entry.json';
import { entryFromInput, parseDetails } from '../../zapier/entry-input';
import { entryField, withFieldLabels } from '../../zapier/entry-fields';
import { problemFromResponse, retryAfterSeconds } from '../../zapier/response-errors';
import { pollSize } from '../../zapier/list-entries';
import { EntrySchema } from '../../sdk/src/contract/schemas';

describe('normalizeBaseUrl', () => {
  it.each([
    [' http://127.0.0.1:8080/ ', 'http://127.0.0.1:8080'],
    ['http://localhost:8080', 'http://localhost:8080'],
    ['http://[::1]:8080/', 'http://[::1]:8080'],
    ['https://audit.example.com/tenant-a//', 'https://audit.example.com/tenant-a'],
    ['HTTPS://Audit.Example.com', 'https://audit.example.com'],
  ])('%j → %j', (raw, expected) => expect(normalizeBaseUrl(raw)).toBe(expected));

  it.each([
    ['', /missing/],
    ['127.0.0.1:8080', /must be a full address starting with https:\/\/, e\.g\. http:\/\/127\.0\.0\.1:8080\./],
    ['localhost:8080', /e\.g\. http:\/\/localhost:8080/],
    ['audit.example.com/trail', /e\.g\. https:\/\/audit\.example\.com\/trail/],
    ['ftp://audit.example.com', /must start with https:\/\/, not "ftp:\/\/"/],
    ['http://audit.example.com/t', /must start with https:\/\/ so that your API Secret is sent encrypted .* Use https:\/\/audit\.example\.com\/t\./],
    ['http://127.0.0.1.example.com', /must start with https:\/\//],
    ['http://exa mple.com', /not a valid address/],
    ['https://user:pw@audit.example.com', /must not contain a user name or password/],
    ['https://audit.example.com/?x=1', /query/],
  ])('rejects %j with a message the user can act on', (raw, message) => {
    const result = normalizeBaseUrl(raw);
    expect(typeof result).toBe('object');
    expect((result as { problem: string }).problem).toMatch(message);
  });
});

describe('details and entry input', () => {
  it.each([
    ['{"a":1,"b":{"c":[1]}}', { a: 1, b: { c: [1] } }],
    ['  {"a":1}\n', { a: 1 }],
    ['[1,2]', { problem: expect.stringMatching(/^Details must be a JSON object such as/) }],
    ['{broken', { problem: expect.stringMatching(/^Details looks like JSON but is not valid JSON: /) }],
    ['{"amount": 5,}', { problem: expect.stringMatching(/^Details looks like JSON but is not valid JSON: /) }],
    ['"just a string"', '"just a string"'],
    ['plain text', 'plain text'],
    ['moved {row 3}', 'moved {row 3}'],
  ])('parseDetails(%j)', (text, expected) => expect(parseDetails(text)).toEqual(expected));

  it('network failures are recognised by node-fetch type or socket code, other errors are not', () => {
    const fetchError = Object.assign(new Error('request to https://x failed, reason: getaddrinfo ENOTFOUND x'), { name: 'FetchError', type: 'system', code: 'ENOTFOUND' });
    expect(isNetworkError(fetchError)).toBe(true);
    expect(isNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isNetworkError(new Error('{"message":"refused","status":400}'))).toBe(false);
    expect(isNetworkError('ECONNREFUSED')).toBe(false);
  });

  it('capEntries leaves out the largest details first, flags them, and keeps every entry', () => {
    const base = { ...(storedSample as unknown as EntryOutput), detailsOmitted: false };
    const entries: EntryOutput[] = [
      { ...base, id: 'small', details: { note: 'x' } },
      { ...base, id: 'big', details: { blob: 'y'.repeat(3000) } },
      { ...base, id: 'mid', details: { blob: 'z'.repeat(1500) } },
    ];
    const size = (list: EntryOutput[]) => Buffer.byteLength(JSON.stringify(list));
    expect(capEntries(entries, size(entries))).toBe(entries);
    const capped = capEntries(entries, size(entries) - 2000);
    expect(capped.map((e) => [e.id, e.detailsOmitted])).toEqual([['small', false], ['big', true], ['mid', false]]);
    expect(capped[1]?.details).toBeNull();
    expect(size(capped)).toBeLessThanOrEqual(size(entries) - 2000);
    const tight = capEntries(entries, size(entries) - 4000);
    expect(tight.map((e) => e.detailsOmitted)).toEqual([false, true, true]);
    expect(size(tight)).toBeLessThanOrEqual(size(entries) - 4000);
  });

  it('100 entries with 60 KB details (6 MB, over Zapier\'s limit) are cut to under the response budget', () => {
    const base = { ...(storedSample as unknown as EntryOutput), detailsOmitted: false };
    const entries = Array.from({ length: 100 }, (_, i) => ({ ...base, id: `e${i}`, details: { blob: 'x'.repeat(60_000) } }));
    expect(Buffer.byteLength(JSON.stringify(entries))).toBeGreaterThan(6_000_000);
    const capped = capEntries(entries);
    expect(Buffer.byteLength(JSON.stringify(capped))).toBeLessThanOrEqual(RESPONSE_BUDGET_BYTES);
    expect(capped).toHaveLength(100);
    expect(capped.filter((e) => e.detailsOmitted).length).toBeLessThan(20);
  });

  it('trims identifiers but keeps details text exactly as written', () => {
    expect(entryFromInput({ actorId: ' a ', action: ' B ', details: '  spaced  ', entityType: ' t ', entityId: ' 1 ' })).toEqual({
      actorId: 'a',
      action: 'B',
      details: '  spaced  ',
      entityType: 't',
      entityId: '1',
    });
  });
});

describe('fields derived from the contract', () => {
  it('takes label and help text from EntrySchema and keeps the extras', () => {
    const field = entryField('occurredAt', { type: 'datetime', required: false });
    expect(field).toEqual({
      key: 'occurredAt',
      label: EntrySchema.properties.occurredAt.title,
      helpText: EntrySchema.properties.occurredAt.description,
      type: 'datetime',
      required: false,
    });
  });

  it('rewrites contract field names into labels, whole words only', () => {
    expect(withFieldLabels('entityType and entityId must be given together; actorIds is not a field'))
      .toBe('Entity Type and Entity ID must be given together; actorIds is not a field');
  });
});

describe('response problems', () => {
  const noHeaders = () => undefined;
  it('reads Retry-After as seconds, as a date, and treats a past date as 0', () => {
    expect(retryAfterSeconds('30')).toBe(30);
    expect(retryAfterSeconds(new Date(61_000).toUTCString(), 0)).toBe(61);
    expect(retryAfterSeconds(new Date(0).toUTCString(), 5_000)).toBe(0);
    expect(retryAfterSeconds('soon')).toBeUndefined();
  });

  it('reads an error body sent as text, and falls back when there is none', () => {
    const text = JSON.stringify({ error: { code: 'idempotency_conflict', message: 'idempotencyKey was used for another entry' } });
    expect(problemFromResponse(409, text, noHeaders)).toEqual({
      kind: 'client',
      status: 409,
      code: 'idempotency_conflict',
      message: expect.stringMatching(/^This Idempotency Key was already used for a different entry/),
    });
    expect(problemFromResponse(400, '<html>', noHeaders)).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/it gave no reason/) });
  });
});

describe('pollSize', () => {
  it('follows Zapier meta: sample, dedupe, limit, default', () => {
    expect(pollSize({ isLoadingSample: true, limit: 100 })).toBe(3);
    expect(pollSize({ isPopulatingDedupe: true })).toBe(1000);
    expect(pollSize({ limit: 20 })).toBe(20);
    expect(pollSize({ limit: -1 })).toBe(100);
    expect(pollSize(undefined)).toBe(100);
  });
});
