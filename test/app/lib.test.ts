import { normalizeBaseUrl } from '../../zapier/base-url';
import { entryFromInput } from '../../zapier/entry-input';
import { entryField, withFieldLabels } from '../../zapier/entry-fields';
import { problemFromResponse, retryAfterSeconds } from '../../zapier/response-errors';
import { pollSize } from '../../zapier/list-entries';
import { EntrySchema } from '../../sdk/src/contract/schemas';

describe('normalizeBaseUrl', () => {
  it.each([
    [' http://127.0.0.1:8080/ ', 'http://127.0.0.1:8080'],
    ['https://audit.example.com/tenant-a//', 'https://audit.example.com/tenant-a'],
    ['HTTPS://Audit.Example.com', 'https://audit.example.com'],
  ])('%j → %j', (raw, expected) => expect(normalizeBaseUrl(raw)).toBe(expected));

  it.each([
    ['', /missing/],
    ['127.0.0.1:8080', /must start with http:\/\/ or https:\/\/, e\.g\. http:\/\/127\.0\.0\.1:8080\./],
    ['localhost:8080', /must start with http:\/\/ or https:\/\//],
    ['ftp://audit.example.com', /got "ftp:"/],
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
      message: 'The audit-trail service refused the request (HTTP 409): Idempotency Key was used for another entry.',
    });
    expect(problemFromResponse(400, '<html>', noHeaders)).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/no reason given/) });
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
