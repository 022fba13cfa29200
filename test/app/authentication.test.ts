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
    expect(error.message).toMatch(/Organization ID or API Secret .*Reconnect/);
    expect(JSON.stringify(error)).not.toContain(authData.apiSecret);
  });

  it('rejects a base URL that is not http(s) before any request', async () => {
    const error = await thrownBy(() => appTester(testAuth, { authData: { ...authData, baseUrl: 'ftp://audit.example.test' } }));
    expect(error.message).toMatch(/must start with http:\/\/ or https:\/\//);
    expect(error.code).toBe('InvalidBaseUrl');
  });

  it('accepts a base URL with spaces and trailing slashes', async () => {
    const scope = nock(NOCK_BASE_URL).get(PATHS.authCheck).reply(200, who);
    await appTester(testAuth, { authData: { ...authData, baseUrl: `  ${NOCK_BASE_URL}/// ` } });
    scope.done();
  });
});
