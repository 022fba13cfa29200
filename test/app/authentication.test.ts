import nock from 'nock';
import App from '../../index';
import { testAuth } from '../../authentication';
import { PATHS } from '../../sdk/src/contract/schemas';
import { NOCK_BASE_URL, appTester, authData, thrownBy } from '../helpers/app-bundle';
import { useNock } from '../../sdk/test/support/use-nock';

const who = { organizationId: 'org_acme', organizationName: 'Acme', applicationId: 'app_billing', applicationName: 'Billing' };

describe('authentication', () => {
  useNock();

  it('checks the credentials with GET /api/auth/check, Basic auth and Application-Id', async () => {
    const scope = nock(NOCK_BASE_URL)
      .get(PATHS.authCheck)
      .basicAuth({ user: authData.organizationId, pass: authData.apiSecret })
      .matchHeader('Application-Id', authData.applicationId)
      .reply(200, who);
    const result = await appTester(testAuth, { authData });
    expect(result).toEqual(who);
    scope.done();
  });

  it('labels the connection with the organization and application names the test returns', () => {
    expect(App.authentication?.connectionLabel).toBe('{{organizationName}} / {{applicationName}}');
    for (const key of ['organizationName', 'applicationName'] as const) expect(who).toHaveProperty(key);
  });

  it('turns a 401 into a clear "reconnect" error that does not contain the secret', async () => {
    nock(NOCK_BASE_URL)
      .get(PATHS.authCheck)
      .reply(401, { error: { code: 'unauthorized', message: 'Invalid organization id or API secret' } });
    const error = await thrownBy(() => appTester(testAuth, { authData }));
    expect(error.name).toBe('AppError');
    expect(error.code).toBe('AuthenticationError');
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/Organization ID and API Secret .*Reconnect/);
    expect(JSON.stringify(error)).not.toContain(authData.apiSecret);
  });

  it.each(['ftp://audit.example.test', 'http://audit.example.test'])('rejects the base URL %s before any request (https only)', async (baseUrl) => {
    const scope = nock(/.*/).get(/.*/).reply(200, who);
    const error = await thrownBy(() => appTester(testAuth, { authData: { ...authData, baseUrl } }));
    expect(error.message).toMatch(/must start with https:\/\//);
    expect(error.code).toBe('InvalidBaseUrl');
    expect(scope.isDone()).toBe(false);
  });

  it.each([
    ['an HTML page', 200, '<!doctype html><title>Welcome</title>', { 'Content-Type': 'text/html' }],
    ['JSON of another API', 200, { status: 'ok' }, {}],
    ['a 404 page', 404, '<h1>Not Found</h1>', { 'Content-Type': 'text/html' }],
  ])('fails the connection test when the base URL answers %s', async (_what, status, body, headers) => {
    nock(NOCK_BASE_URL).get(PATHS.authCheck).reply(status, body, headers);
    const error = await thrownBy(() => appTester(testAuth, { authData }));
    expect(error.message).toMatch(/Check API Base URL/);
  });

  it('accepts a base URL with spaces and trailing slashes', async () => {
    const scope = nock(NOCK_BASE_URL).get(PATHS.authCheck).reply(200, who);
    await appTester(testAuth, { authData: { ...authData, baseUrl: `  ${NOCK_BASE_URL}/// ` } });
    scope.done();
  });
});
