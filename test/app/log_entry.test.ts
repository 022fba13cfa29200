import nock from 'nock';
import { perform } from '../../creates/log_entry';
import { PATHS, type Receipt } from '../../sdk/src/contract/schemas';
import sample from '../../samples/log_entry.json';
import { NOCK_BASE_URL, appTester, authData, thrownBy } from '../helpers/app-bundle';
import { useNock } from '../../sdk/test/support/use-nock';

const receiptOf = (logged: typeof sample): Receipt => ({
  logEntryId: logged.logEntryId,
  sequence: logged.sequence,
  hash: logged.hash,
  previousHash: logged.previousHash,
  standaloneHash: logged.standaloneHash,
  timestamp: logged.timestamp,
  treeSize: logged.sequence,
  checkpoint: `audit-trail.local/app/${logged.applicationId}\n${logged.sequence}\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`,
});

/** The sample as a user would have mapped it into the step's fields. */
const sampleInput = {
  actorId: sample.actorId,
  action: sample.action,
  details: JSON.stringify(sample.details),
  actorDisplayName: sample.actorDisplayName,
  actorRoles: sample.actorRoles,
  entityType: sample.entityType,
  entityId: sample.entityId,
  occurredAt: sample.occurredAt,
  ip: sample.ip,
  idempotencyKey: sample.idempotencyKey,
  applicationId: sample.applicationId,
};

describe('create log_entry (wire shape, nock)', () => {
  useNock();

  it('sends every field the way the SDK does and returns receipt + entry (the sample is exactly that)', async () => {
    const scope = nock(NOCK_BASE_URL)
      .post(PATHS.logAboutEntity(sample.actorId, sample.action, sample.entityType, sample.entityId), sample.details)
      .basicAuth({ user: authData.organizationId, pass: authData.apiSecret })
      .matchHeader('Application-Id', sample.applicationId)
      .matchHeader('Content-Type', 'application/json')
      .matchHeader('Idempotency-Key', sample.idempotencyKey)
      .matchHeader('Actor-Display-Name', 'Ada%20Lovelace')
      .matchHeader('Actor-Roles', 'support,refunds')
      .matchHeader('Occurred-At', sample.occurredAt)
      .matchHeader('Actor-Ip', sample.ip)
      .reply(201, receiptOf(sample));
    const result = await appTester(perform, { authData, inputData: sampleInput });
    expect(result).toEqual(sample);
    scope.done();
  });

  it('percent-encodes path segments and sends non-JSON details as text', async () => {
    let body: unknown;
    const scope = nock(NOCK_BASE_URL)
      .post('/api/log/ada%20lovelace%2Fops%3Fx%3D1/ROW%20UPDATED%23%C3%A9', (b: unknown) => ((body = b), true))
      .matchHeader('Content-Type', 'text/plain; charset=utf-8')
      .matchHeader('Application-Id', authData.applicationId)
      .reply(201, { ...receiptOf(sample), sequence: 1 });
    const result = await appTester(perform, {
      authData,
      inputData: { actorId: ' ada lovelace/ops?x=1 ', action: 'ROW UPDATED#é', details: '{not json, kept as text' },
    });
    expect(body).toBe('{not json, kept as text');
    expect(result).toMatchObject({ actorId: 'ada lovelace/ops?x=1', action: 'ROW UPDATED#é', details: '{not json, kept as text' });
    expect(result).toMatchObject({ entityType: null, actorRoles: null, applicationId: authData.applicationId, sequence: 1 });
    scope.done();
  });

  it('treats blank optional fields as absent and splits a single mapped roles value on commas', async () => {
    const scope = nock(NOCK_BASE_URL)
      .post(PATHS.log('u1', 'LOGIN'), '')
      .matchHeader('Actor-Roles', 'admin,auditor')
      .matchHeader('Idempotency-Key', (value: string | undefined) => value === undefined)
      .reply(201, receiptOf(sample));
    await appTester(perform, {
      authData,
      inputData: { actorId: 'u1', action: 'LOGIN', details: '  ', idempotencyKey: '', actorRoles: 'admin, auditor' as unknown as string[] },
    });
    scope.done();
  });

  it.each([
    [{ actorId: '', action: 'LOGIN' }, /Actor ID must not be empty/, 'missing_field'],
    [{ actorId: 'u1', action: 'A'.repeat(129) }, /Action must be at most 128 characters/, 'field_too_long'],
    [{ actorId: 'u1', action: 'LOGIN', entityType: 'invoice' }, /Entity Type and Entity ID must be given together/, 'missing_field'],
    [{ actorId: 'u1', action: 'LOGIN', ip: 'not-an-ip' }, /IP Address must be an IPv4 or IPv6 address/, 'invalid_field'],
    [{ actorId: 'u1', action: 'LOGIN', occurredAt: 'yesterday' }, /Occurred At must be an ISO-8601 date-time/, 'invalid_field'],
    [{ actorId: 'u1', action: 'LOGIN', idempotencyKey: 'has space' }, /Idempotency Key must be printable ASCII/, 'invalid_field'],
    [{ actorId: 'u1', action: 'LOGIN', details: 'x'.repeat(64 * 1024 + 1) }, /Details must be at most 65536 bytes/, 'details_too_large'],
  ])('rejects bad input %# before any request, naming the field as the user sees it', async (inputData, message, code) => {
    const scope = nock(NOCK_BASE_URL).post(/.*/).reply(201, receiptOf(sample));
    const error = await thrownBy(() => appTester(perform, { authData, inputData }));
    expect(error.message).toMatch(message);
    expect(error.code).toBe(code);
    expect(error.status).toBe(400);
    expect(scope.isDone()).toBe(false);
  });

  describe('maps error replies to z.errors', () => {
    const input = { authData, inputData: { actorId: 'u1', action: 'LOGIN' } };
    const reply = (status: number, body: object | string, headers: Record<string, string> = {}) =>
      nock(NOCK_BASE_URL).post(PATHS.log('u1', 'LOGIN')).reply(status, body, headers);

    it('400 with an error body → Error with the server code, field names in user words', async () => {
      reply(400, { error: { code: 'invalid_field', message: 'actorId must be text without control characters', field: 'actorId' } });
      const error = await thrownBy(() => appTester(perform, input));
      expect(error).toMatchObject({ name: 'AppError', code: 'invalid_field', status: 400 });
      expect(error.message).toBe(
        'The audit-trail service refused the request (HTTP 400): Actor ID must be text without control characters.',
      );
    });

    it('401 → ExpiredAuthError asking to reconnect (a rotated secret fails every run), without the secret', async () => {
      reply(401, { error: { code: 'unauthorized', message: 'Invalid credentials' } });
      const error = await thrownBy(() => appTester(perform, input));
      expect(error.name).toBe('ExpiredAuthError');
      expect(error.message).toMatch(/Reconnect the account/);
      expect(JSON.stringify(error)).not.toContain(authData.apiSecret);
    });

    it('403 → AuthenticationError naming the application problem', async () => {
      reply(403, { error: { code: 'unknown_application', message: 'Unknown application' } });
      const error = await thrownBy(() => appTester(perform, input));
      expect(error).toMatchObject({ name: 'AppError', code: 'AuthenticationError', status: 403 });
      expect(error.message).toMatch(/Application ID/);
    });

    it('429 with Retry-After in seconds → ThrottledError with that delay', async () => {
      reply(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'Retry-After': '17' });
      const error = await thrownBy(() => appTester(perform, input));
      expect(error).toMatchObject({ name: 'ThrottledError', delay: 17 });
      expect(error.message).toMatch(/too many requests .*in 17 seconds/);
    });

    it('429 with Retry-After as an HTTP date → ThrottledError with the seconds until then', async () => {
      const at = new Date(Date.now() + 120_000).toUTCString();
      reply(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'Retry-After': at });
      const error = await thrownBy(() => appTester(perform, input));
      expect(error.name).toBe('ThrottledError');
      expect(error.delay).toBeGreaterThanOrEqual(115);
      expect(error.delay).toBeLessThanOrEqual(121);
    });

    it('429 without Retry-After → ThrottledError without a delay', async () => {
      reply(429, 'busy');
      const error = await thrownBy(() => appTester(perform, input));
      expect(error.name).toBe('ThrottledError');
      expect(error.delay).toBeUndefined();
      expect(error.message).toMatch(/try again later/);
    });

    it('5xx → an error that says it is temporary, without the server internals', async () => {
      reply(503, { error: { code: 'internal_error', message: 'db locked at /var/lib/secret.db' } });
      const error = await thrownBy(() => appTester(perform, input));
      expect(error).toMatchObject({ name: 'AppError', code: 'internal_error', status: 503 });
      expect(error.message).toMatch(/temporary problem \(HTTP 503\)\. Try again/);
      expect(error.message).not.toContain('secret.db');
    });

    it('404 without an error body → points at the API Base URL', async () => {
      reply(404, 'Not Found');
      const error = await thrownBy(() => appTester(perform, input));
      expect(error).toMatchObject({ code: 'not_found', status: 404 });
      expect(error.message).toMatch(/Check the API Base URL/);
    });
  });
});
