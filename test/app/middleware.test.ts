import nock from 'nock';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { NOCK_BASE_URL, appTester, authData } from '../helpers/app-bundle';
import { useNock } from '../../sdk/test/support/use-nock';

/** Records the headers of whatever request reaches `host`. */
const captureHeaders = (host: string) => {
  const seen: Record<string, string | string[] | undefined>[] = [];
  nock(host)
    .get(/.*/)
    .reply(function () {
      seen.push(this.req.headers);
      return [200, {}];
    });
  return seen;
};

describe('middleware: credentials', () => {
  useNock();

  it('never sends the credentials to a host other than the API Base URL', async () => {
    const seen = captureHeaders('https://elsewhere.example.test');
    await appTester(async (z: ZObject) => (await z.request({ url: 'https://elsewhere.example.test/x' })).data, { authData });
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toHaveProperty('authorization');
    expect(seen[0]).not.toHaveProperty('application-id');
  });

  it('does not treat a look-alike host (base URL as a prefix) as the service', async () => {
    const seen = captureHeaders(`${NOCK_BASE_URL}.evil.test`);
    await appTester(async (z: ZObject) => (await z.request({ url: `${NOCK_BASE_URL}.evil.test/api/entries` })).data, { authData });
    expect(seen[0]).not.toHaveProperty('authorization');
  });

  it('keeps an Application-Id the operation chose, and adds Basic auth', async () => {
    const seen = captureHeaders(NOCK_BASE_URL);
    await appTester(
      async (z: ZObject, _bundle: Bundle) =>
        (await z.request({ url: `${NOCK_BASE_URL}/api/entries`, headers: { 'Application-Id': 'app_other' } })).data,
      { authData },
    );
    expect(seen[0]?.['application-id']).toBe('app_other');
    expect(seen[0]?.['authorization']).toBe(`Basic ${Buffer.from('org_acme:s3cr3t-value-never-logged').toString('base64')}`);
  });
});
