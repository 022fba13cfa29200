/**
 * The server's decoders of what the contract's encoders put on the wire: `entryFromLogRequest` undoes
 * `buildLogRequest`, `parseBasicAuthorization` undoes `basicAuthorization`.
 */
import type { Entry } from '../../sdk/src/contract/schemas.js';
import { validateEntry } from '../../sdk/src/contract/validation.js';
import { basicAuthorization, buildLogRequest } from '../../sdk/src/contract/wire.js';
import { parseBasicAuthorization } from '../src/auth/basic-authorization.js';
import { entryFromLogRequest, type LogRouteParams } from '../src/routes/log-request.js';

describe('parseBasicAuthorization', () => {
  test('round-trips basicAuthorization, secrets with colons included', () => {
    const header = basicAuthorization('org', 'se:cr:et');
    expect(parseBasicAuthorization(header)).toEqual({ organizationId: 'org', apiSecret: 'se:cr:et' });
    expect(parseBasicAuthorization('Bearer x')).toBeUndefined();
    expect(parseBasicAuthorization(undefined)).toBeUndefined();
    expect(parseBasicAuthorization(`Basic ${Buffer.from(':nouser').toString('base64')}`)).toBeUndefined();
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

