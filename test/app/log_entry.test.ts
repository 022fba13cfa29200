import nock from 'nock';
import { perform } from '../../creates/log_entry';
import { PATHS, type Receipt, type StoredEntry } from '../../sdk/src/contract/schemas';
import sample from '../../samples/stored_entry.json';
import { NOCK_BASE_URL, appTester, authData, closedPortUrl, outputOf, storedSample, thrownBy } from '../helpers/app-bundle';
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

const stored = storedSample;
const output = outputOf;
/** The service's answer to reading an entry back. */
const readBack = (entry: StoredEntry = stored) =>
  nock(NOCK_BASE_URL).get(PATHS.entryById).query({ entryId: entry.id }).reply(200, entry);

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

  it('sends every field the way the SDK does and returns the entry as stored (the sample is exactly that)', async () => {
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
    const back = readBack();
    const result = await appTester(perform, { authData, inputData: sampleInput });
    expect(result).toEqual(output(stored));
    expect(Object.keys(result).sort()).toEqual(Object.keys(sample).sort());
    scope.done();
    back.done();
  });

  it('a replay receipt carrying the stored entry is shown without a second request', async () => {
    const first = { ...stored, details: { amount: 5 } };
    nock(NOCK_BASE_URL).post(/\/api\/log\//).reply(200, { ...receiptOf(sample), entry: first }, { 'Idempotent-Replayed': 'true' });
    const result = await appTester(perform, { authData, inputData: sampleInput });
    expect(result).toEqual(output(first));
  });

  it('a repeated Idempotency Key shows the entry stored the first time, not the values of this run', async () => {
    const first = { ...stored, details: { amount: 5 } };
    nock(NOCK_BASE_URL).post(/\/api\/log\//).reply(200, receiptOf(sample), { 'Idempotent-Replayed': 'true' });
    readBack(first);
    const result = await appTester(perform, { authData, inputData: { ...sampleInput, details: '{"amount": 6}' } });
    expect(result.details).toEqual({ amount: 5 });
  });

  it('says the entry was logged when reading it back fails, so nobody logs it twice', async () => {
    nock(NOCK_BASE_URL).post(/\/api\/log\//).reply(201, receiptOf(sample));
    nock(NOCK_BASE_URL).get(PATHS.entryById).query(true).reply(503, 'busy');
    const error = await thrownBy(() => appTester(perform, { authData, inputData: sampleInput }));
    expect(error.message).toMatch(new RegExp(`^The entry was logged \\(Entry ID ${sample.id}, Sequence Number 42\\), but reading it back failed: .*temporary problem`));
    expect(error.message).toMatch(/Do not run this step again unless it has an Idempotency Key/);
  });

  it('merges Details (Key/Value Pairs) into a JSON object, or sends them alone', async () => {
    const bodies: unknown[] = [];
    nock(NOCK_BASE_URL)
      .post(PATHS.log('u1', 'LOGIN'), (body: unknown) => (bodies.push(body), true))
      .times(2)
      .reply(201, receiptOf(sample));
    readBack();
    readBack();
    await appTester(perform, { authData, inputData: { actorId: 'u1', action: 'LOGIN', details: '{"a": 1}', detailsPairs: { b: '2' } } });
    await appTester(perform, { authData, inputData: { actorId: 'u1', action: 'LOGIN', detailsPairs: { plan: 'pro', '': 'ignored' } } });
    expect(bodies).toEqual([{ a: 1, b: '2' }, { plan: 'pro' }]);
  });

  it('percent-encodes path segments and sends details that are not JSON-like as text', async () => {
    let body: unknown;
    const scope = nock(NOCK_BASE_URL)
      .post('/api/log/ada%20lovelace%2Fops%3Fx%3D1/ROW%20UPDATED%23%C3%A9', (b: unknown) => ((body = b), true))
      .matchHeader('Content-Type', 'text/plain; charset=utf-8')
      .matchHeader('Application-Id', authData.applicationId)
      .reply(201, { ...receiptOf(sample), sequence: 1 });
    readBack();
    await appTester(perform, {
      authData,
      inputData: { actorId: ' ada lovelace/ops?x=1 ', action: 'ROW UPDATED#é', details: 'moved {row 3} to archive' },
    });
    expect(body).toBe('moved {row 3} to archive');
    scope.done();
  });

  it('treats blank optional fields as absent and splits a single mapped roles value on commas', async () => {
    const scope = nock(NOCK_BASE_URL)
      .post(PATHS.log('u1', 'LOGIN'), '')
      .matchHeader('Actor-Roles', 'admin,auditor')
      .matchHeader('Idempotency-Key', (value: string | undefined) => value === undefined)
      .reply(201, receiptOf(sample));
    readBack();
    await appTester(perform, {
      authData,
      inputData: { actorId: 'u1', action: 'LOGIN', details: '  ', idempotencyKey: '', actorRoles: 'admin, auditor' as unknown as string[] },
    });
    scope.done();
  });

  it.each([
    [{ actorId: '', action: 'LOGIN' }, /^Cannot log this entry: Actor ID is missing\. Fill in Actor ID/, 'missing_field'],
    [{ action: 'LOGIN' }, /^Cannot log this entry: Actor ID is missing\./, 'missing_field'],
    [{ actorId: 'u1', action: 'LOG\u0001IN' }, /^Cannot log this entry: Action must be text without control characters\. Correct Action/, 'invalid_field'],
    [{ actorId: 'u1', action: 'LOGIN', details: '{"amount": 5,}' }, /^Details looks like JSON but is not valid JSON: .+\. Correct it/, 'invalid_field'],
    [{ actorId: 'u1', action: 'LOGIN', details: '[1, 2]' }, /^Details must be a JSON object such as/, 'invalid_field'],
    [{ actorId: 'u1', action: 'LOGIN', details: 'text', detailsPairs: { a: '1' } }, /^Details is plain text, so it cannot be combined/, 'invalid_field'],
    [{ actorId: 'u1', action: 'LOGIN', details: '{"a":1}', detailsPairs: { a: '2' } }, /^"a" is given both in Details and in Details \(Key\/Value Pairs\)/, 'invalid_field'],
    [{ actorId: 'u1', action: 'A'.repeat(129) }, /Action must be at most 128 characters/, 'field_too_long'],
    [{ actorId: 'u1', action: 'LOGIN', entityType: 'invoice' }, /Entity ID is missing \(Entity Type and Entity ID must be given together\)/, 'missing_field'],
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
        'The Audit Trail service refused the request (HTTP 400): Actor ID must be text without control characters.',
      );
    });

    it('401 → ExpiredAuthError asking to reconnect (a rotated secret fails every run), without the secret', async () => {
      reply(401, { error: { code: 'unauthorized', message: 'Missing or invalid credentials (HTTP Basic organizationId:apiSecret)' } });
      const error = await thrownBy(() => appTester(perform, input));
      expect(error.name).toBe('ExpiredAuthError');
      expect(error.message).toMatch(/Organization ID and API Secret .*Reconnect the account/);
      expect(error.message).not.toMatch(/Basic|organizationId|header/);
      expect(JSON.stringify(error)).not.toContain(authData.apiSecret);
    });

    it('403 → AuthenticationError naming the application problem', async () => {
      reply(403, { error: { code: 'unknown_application', message: 'The Application-Id header does not name an application of this organization' } });
      const error = await thrownBy(() => appTester(perform, input));
      expect(error).toMatchObject({ name: 'AppError', code: 'AuthenticationError', status: 403 });
      expect(error.message).toMatch(/Check Application ID/);
      expect(error.message).not.toMatch(/header/);
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
      expect(error.message).toMatch(/Check API Base URL/);
    });

    it('409 idempotency_conflict → says the key was used for a different entry', async () => {
      reply(409, { error: { code: 'idempotency_conflict', message: 'idempotencyKey was used for another entry' } });
      const error = await thrownBy(() => appTester(perform, input));
      expect(error).toMatchObject({ code: 'idempotency_conflict', status: 409 });
      expect(error.message).toMatch(/^This Idempotency Key was already used for a different entry/);
    });

    it('an HTML page with status 200 → the API Base URL is not the service', async () => {
      reply(200, '<html>Welcome</html>', { 'Content-Type': 'text/html' });
      const error = await thrownBy(() => appTester(perform, input));
      expect(error).toMatchObject({ code: 'NotTheService' });
      expect(error.message).toBe(
        `The address in API Base URL (${NOCK_BASE_URL}) answered, but not like an Audit Trail service. Check API Base URL: it must be the address of the Audit Trail service itself.`,
      );
    });

    it('a refused connection → "Could not reach the Audit Trail service at <URL>. Check API Base URL."', async () => {
      const baseUrl = await closedPortUrl();
      const error = await thrownBy(() => appTester(perform, { ...input, authData: { ...authData, baseUrl } }));
      expect(error).toMatchObject({ code: 'ServiceUnreachable' });
      expect(error.message).toBe(`Could not reach the Audit Trail service at ${baseUrl}. Check API Base URL.`);
    });
  });
});
