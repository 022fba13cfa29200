import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { HEADERS, LIMITS, PATHS } from '../../sdk/src/contract/schemas.js';
import { basicAuthorization } from '../../sdk/src/contract/wire.js';
import { buildServer } from '../src/app.js';
import { ERROR_TABLE } from '../src/errors.js';
import { createTenant } from '../src/tenants.js';
import { useServer } from './support/use-server.js';
import { api, expectError } from './support/http.js';

const server = useServer();

const log = PATHS.log('alice', 'LOGIN');

describe('credentials', () => {
  test.each([
    ['no Authorization header', {}],
    ['a Bearer token', { authorization: 'Bearer abc' }],
    ['Basic with garbage', { authorization: 'Basic !!!' }],
    ['Basic without a colon', { authorization: `Basic ${Buffer.from('justuser').toString('base64')}` }],
  ])('%s → 401 unauthorized with a Basic challenge', async (_name, headers) => {
    const response = await api(server, PATHS.authCheck, { credentials: null, headers: { [HEADERS.applicationId]: server.credentials.applicationId, ...headers } });
    expectError(response, 401, 'unauthorized');
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="audit-trail"/);
  });

  test('a wrong secret → 401, and the reply never echoes the secret', async () => {
    const response = await api(server, log, { credentials: { ...server.credentials, apiSecret: 'wrong-secret-123' }, body: 'x' });
    expectError(response, 401, 'unauthorized');
    expect(response.text).not.toContain('wrong-secret-123');
    expect(response.text).not.toContain(server.credentials.apiSecret);
  });

  test('an unknown organization → 401', async () => {
    expectError(await api(server, PATHS.authCheck, { credentials: { ...server.credentials, organizationId: 'org_nope' } }), 401, 'unauthorized');
  });

  test('a missing Application-Id → 403 unknown_application', async () => {
    const response = await api(server, PATHS.authCheck, {
      credentials: null,
      headers: { authorization: basicAuthorization(server.credentials.organizationId, server.credentials.apiSecret) },
    });
    expectError(response, 403, 'unknown_application');
  });

  test('an Application-Id of no application, or of another organization → 403 unknown_application', async () => {
    const other = await server.createTenant('Elsewhere');
    expectError(await api(server, PATHS.authCheck, { credentials: { ...server.credentials, applicationId: 'app_nope' } }), 403, 'unknown_application');
    expectError(await api(server, log, { credentials: { ...server.credentials, applicationId: other.applicationId }, body: 'x' }), 403, 'unknown_application');
  });

  test('credentials are checked before the body is read: a huge body without them is 401, not 413', async () => {
    const response = await api(server, log, { credentials: null, body: 'x'.repeat(LIMITS.bodyBytes + 10) });
    expectError(response, 401, 'unauthorized');
  });
});

describe('entry fields', () => {
  test.each([
    ['an over-long actor id', PATHS.log('a'.repeat(LIMITS.actorId + 1), 'X'), {}, 'field_too_long', 'actorId'],
    ['an over-long action', PATHS.log('a', 'X'.repeat(LIMITS.action + 1)), {}, 'field_too_long', 'action'],
    ['a control character in the actor id', PATHS.log('a\u0007b', 'X'), {}, 'invalid_field', 'actorId'],
    ['a bad Occurred-At', log, { [HEADERS.occurredAt]: 'last tuesday' }, 'invalid_field', 'occurredAt'],
    ['a bad Actor-Ip', log, { [HEADERS.ip]: '999.1.1.1' }, 'invalid_field', 'ip'],
    ['an over-long Idempotency-Key', log, { [HEADERS.idempotencyKey]: 'k'.repeat(LIMITS.idempotencyKey + 1) }, 'field_too_long', 'idempotencyKey'],
    ['too many roles', log, { [HEADERS.actorRoles]: Array.from({ length: LIMITS.actorRoles + 1 }, (_, i) => `r${i}`).join(',') }, 'field_too_long', 'actorRoles'],
    ['an entity type with an empty id', `${PATHS.log('a', 'b')}/invoice/`, {}, 'missing_field', 'entityId'],
  ])('%s → 4xx %s', async (_name, path, headers, code, field) => {
    const response = await api(server, path, { body: 'details', headers: { 'content-type': 'text/plain', ...headers } });
    expectError(response, ERROR_TABLE[code as keyof typeof ERROR_TABLE].status, code, field);
  });

  test('details larger than the limit → 413 details_too_large', async () => {
    const response = await api(server, log, { body: 'x'.repeat(LIMITS.detailsBytes + 1), headers: { 'content-type': 'text/plain' } });
    expectError(response, 413, 'details_too_large', 'details');
  });

  test('JSON details that are not an object → 400 invalid_field details', async () => {
    expectError(await api(server, log, { body: '[1,2]', headers: { 'content-type': 'application/json' } }), 400, 'invalid_field', 'details');
    expectError(await api(server, log, { body: '42', headers: { 'content-type': 'application/json' } }), 400, 'invalid_field', 'details');
  });
});

describe('bodies and routes', () => {
  test('malformed JSON → 400 malformed_json', async () => {
    expectError(await api(server, log, { body: '{"a":', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
    expectError(await api(server, PATHS.batch, { body: '{entries:[]}', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
  });

  test('a body over the limit → 413 body_too_large', async () => {
    const response = await api(server, PATHS.batch, { body: `{"entries":[],"pad":"${'x'.repeat(LIMITS.bodyBytes)}"}`, headers: { 'content-type': 'application/json' } });
    expectError(response, 413, 'body_too_large');
  });

  test('a JSON-only route with another content type → 415', async () => {
    expectError(await api(server, PATHS.hooks, { body: 'targetUrl=http://x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
  });

  test('an unknown route → 404 not_found, with or without credentials', async () => {
    expectError(await api(server, '/api/nope'), 404, 'not_found');
    expectError(await api(server, '/nope', { credentials: null }), 404, 'not_found');
  });

  test('a known route with another method → 405 method_not_allowed with Allow', async () => {
    const response = await api(server, PATHS.entries, { method: 'DELETE' });
    expectError(response, 405, 'method_not_allowed');
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('unexpected errors', () => {
  test('a failing store → 500 internal_error with a masked message; the log has the error but no secret', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => { lines.push(chunk.toString()); done(); } });
    const app = await buildServer({ dataDir: server.dataDir + '-masked', logger: { level: 'info', stream } });
    try {
      const credentials = await createTenant(app.store);
      app.store.entries.listJson = () => {
        throw new Error('disk on fire at /secret/path');
      };
      // A real listener: light-my-request (inject) loads an ESM-only module that jest cannot require.
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const response = await fetch(`${address}${PATHS.entries}`, {
        headers: { authorization: basicAuthorization(credentials.organizationId, credentials.apiSecret), [HEADERS.applicationId]: credentials.applicationId },
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
      const logged = lines.join('');
      expect(logged).toContain('disk on fire');
      expect(logged).not.toContain(credentials.apiSecret);
      expect(logged).not.toContain(Buffer.from(`${credentials.organizationId}:${credentials.apiSecret}`).toString('base64'));
    } finally {
      await app.close();
      rmSync(server.dataDir + '-masked', { recursive: true, force: true });
    }
  });
});
