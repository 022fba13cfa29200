/**
 * The admin API and `audit-trail admin` (issue 10, item 6): separate bearer credentials, organizations and
 * applications, secret rotation with a grace period, per-application API keys, hooks listed and deleted, and no
 * secret in any reply or output after the one that created it.
 */
import { ADMIN_PATHS, type AdminApplication, type CreatedApplicationKey, type CreatedOrganization, type RotatedSecret } from '../src/admin-contract.js';
import { PATHS, type HookSubscription } from '../../sdk/src/contract/schemas.js';
import type { Credentials } from '../../sdk/src/contract/wire.js';
import { main } from '../src/cli/main.js';
import { startServer, type TestServer } from './support/start-server.js';
import { BACKENDS } from './support/postgres.js';
import { api, expectError, type ApiRequest } from './support/http.js';

const TOKEN = 'admin-token-for-tests-0123456789abcdef';

describe.each(BACKENDS)('on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ backend, adminToken: TOKEN });
  });
  afterAll(() => server.close());

  /** An admin request: bearer token, no tenant credentials. */
  const admin = <T>(path: string, request: ApiRequest & { token?: string | null } = {}) =>
    api<T>(server, path, {
      ...request,
      credentials: null,
      headers: { ...(request.token === null ? {} : { authorization: `Bearer ${request.token ?? TOKEN}` }), ...request.headers },
    });

  describe('admin credentials', () => {
    test('without a token, a wrong one, or tenant credentials → 401', async () => {
      expectError(await admin(ADMIN_PATHS.organizations, { token: null }), 401, 'unauthorized');
      expectError(await admin(ADMIN_PATHS.organizations, { token: `${TOKEN}x` }), 401, 'unauthorized');
      expectError(await api(server, ADMIN_PATHS.organizations), 401, 'unauthorized');
    });

    test('a server without an admin token has no admin API (404)', async () => {
      const plain = await startServer({ backend });
      try {
        expectError(await api(plain, ADMIN_PATHS.organizations, { credentials: null, headers: { authorization: `Bearer ${TOKEN}` } }), 404, 'not_found');
      } finally {
        await plain.close();
      }
    });

    test('tenant credentials do not open the admin API and the admin token opens no tenant route', async () => {
      expectError(await api(server, PATHS.authCheck, { credentials: null, headers: { authorization: `Bearer ${TOKEN}` } }), 401, 'unauthorized');
    });
  });

  describe('organizations, applications, rotation, keys', () => {
    let created: CreatedOrganization;
    let credentials: Credentials;

    test('create an organization with a first application: the secret works and is shown only there', async () => {
      const response = await admin<CreatedOrganization>(ADMIN_PATHS.organizations, { body: { name: 'Acme', applicationName: 'Billing' } });
      expect(response.status).toBe(201);
      created = response.body;
      expect(created.apiSecret).toEqual(expect.any(String));
      credentials = { organizationId: created.organization.id, apiSecret: created.apiSecret, applicationId: created.application!.id };
      expect((await api(server, PATHS.authCheck, { credentials })).body).toMatchObject({ organizationName: 'Acme', applicationName: 'Billing' });
      const listed = await admin(ADMIN_PATHS.organizations);
      expect(listed.status).toBe(200);
      expect(listed.body).toMatchObject({ organizations: expect.arrayContaining([expect.objectContaining({ id: created.organization.id, name: 'Acme' })]) });
      expect(listed.text).not.toContain(created.apiSecret);
      expect(listed.text).not.toMatch(/secret(Hash|Salt)|secret_hash/);
    });

    test('applications: created, listed, duplicate id → 409 conflict, unknown organization → 404', async () => {
      const app = await admin<AdminApplication>(ADMIN_PATHS.applications(created.organization.id), { body: { name: 'Support', id: 'app_support_acme' } });
      expect(app.status).toBe(201);
      expect((await api(server, PATHS.authCheck, { credentials: { ...credentials, applicationId: 'app_support_acme' } })).status).toBe(200);
      expectError(await admin(ADMIN_PATHS.applications(created.organization.id), { body: { name: 'Again', id: 'app_support_acme' } }), 409, 'conflict');
      expectError(await admin(ADMIN_PATHS.applications('org_nope'), { body: { name: 'X' } }), 404, 'not_found');
      const list = await admin<{ applications: AdminApplication[] }>(ADMIN_PATHS.applications(created.organization.id));
      expect(list.body.applications.map((a) => a.name)).toEqual(['Billing', 'Support']);
    });

    test('rotation: the new secret works, the old one only until its grace period ends (even if verified before)', async () => {
      const rotated = await admin<RotatedSecret>(ADMIN_PATHS.rotateSecret(created.organization.id), { body: { graceSeconds: 2 } });
      expect(rotated.status).toBe(200);
      const fresh = { ...credentials, apiSecret: rotated.body.apiSecret };
      expect((await api(server, PATHS.authCheck, { credentials: fresh })).status).toBe(200);
      expect((await api(server, PATHS.authCheck, { credentials })).status).toBe(200);
      const listed = await admin<{ organizations: { id: string; previousSecretValidUntil: string | null }[] }>(ADMIN_PATHS.organizations);
      expect(listed.body.organizations.find((o) => o.id === created.organization.id)?.previousSecretValidUntil).toBe(rotated.body.previousSecretValidUntil);
      expect(listed.text).not.toContain(rotated.body.apiSecret);
      await new Promise((resolve) => setTimeout(resolve, Date.parse(rotated.body.previousSecretValidUntil) - Date.now() + 200));
      expectError(await api(server, PATHS.authCheck, { credentials }), 401, 'unauthorized');
      expect((await api(server, PATHS.authCheck, { credentials: fresh })).status).toBe(200);
      // A rotation without grace retires the old secret at once.
      const again = await admin<RotatedSecret>(ADMIN_PATHS.rotateSecret(created.organization.id), { body: { graceSeconds: 0 } });
      expectError(await api(server, PATHS.authCheck, { credentials: fresh }), 401, 'unauthorized');
      credentials = { ...credentials, apiSecret: again.body.apiSecret };
      expect((await api(server, PATHS.authCheck, { credentials })).status).toBe(200);
      expectError(await admin(ADMIN_PATHS.rotateSecret(created.organization.id), { body: { graceSeconds: -1 } }), 400, 'invalid_field', 'graceSeconds');
    });

    test('application keys: valid for their application only, listed without the key, deleted → rejected at once', async () => {
      const key = await admin<CreatedApplicationKey>(ADMIN_PATHS.applicationKeys(created.organization.id, credentials.applicationId), { method: 'POST' });
      expect(key.status).toBe(201);
      expect(key.body.apiKey).toMatch(/^atk_[0-9a-f]{16}_/);
      const keyed = { ...credentials, apiSecret: key.body.apiKey };
      expect((await api(server, PATHS.log('alice', 'LOGIN'), { credentials: keyed, body: { via: 'key' } })).status).toBe(201);
      expectError(await api(server, PATHS.authCheck, { credentials: { ...keyed, applicationId: 'app_support_acme' } }), 403, 'unknown_application');
      expect((await api<{ applications: { id: string }[] }>(server, PATHS.applications, { credentials: keyed })).body.applications.map((a) => a.id)).toEqual([
        credentials.applicationId,
      ]);
      // Another organization's id with this key: no.
      const other = await server.createTenant('Other');
      expectError(await api(server, PATHS.authCheck, { credentials: { ...other, apiSecret: key.body.apiKey } }), 401, 'unauthorized');
      const listed = await admin(ADMIN_PATHS.applicationKeys(created.organization.id, credentials.applicationId));
      expect(listed.body).toEqual({ keys: [{ id: key.body.key.id, applicationId: credentials.applicationId, createdAt: expect.any(String) }] });
      expect(listed.text).not.toContain(key.body.apiKey);
      expect((await admin(ADMIN_PATHS.applicationKey(created.organization.id, credentials.applicationId, key.body.key.id), { method: 'DELETE' })).status).toBe(204);
      expectError(await api(server, PATHS.authCheck, { credentials: keyed }), 401, 'unauthorized');
      expect((await api(server, PATHS.authCheck, { credentials })).status).toBe(200);
    });

    test('hooks: listed without their signing secret, deleted by id', async () => {
      const hook = await api<HookSubscription>(server, PATHS.hooks, { credentials, body: { targetUrl: 'http://127.0.0.1:9/never' } });
      expect(hook.status).toBe(201);
      const listed = await admin(ADMIN_PATHS.hooks(created.organization.id, credentials.applicationId));
      expect(listed.body).toEqual({ hooks: [expect.objectContaining({ id: hook.body.id, targetUrl: 'http://127.0.0.1:9/never' })] });
      expect(listed.text).not.toContain(hook.body.secret!);
      expect((await admin(ADMIN_PATHS.hook(hook.body.id), { method: 'DELETE' })).status).toBe(204);
      expectError(await admin(ADMIN_PATHS.hook(hook.body.id), { method: 'DELETE' }), 404, 'not_found');
      expectError(await api(server, PATHS.hook(hook.body.id), { credentials, method: 'DELETE' }), 404, 'not_found');
    });
  });

  describe('audit-trail admin (CLI)', () => {
    async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
      const lines: string[] = [];
      const errors: string[] = [];
      const write = process.stdout.write.bind(process.stdout);
      const writeErr = process.stderr.write.bind(process.stderr);
      process.stdout.write = ((chunk: string) => lines.push(String(chunk)) > 0) as typeof process.stdout.write;
      process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
      try {
        const code = await main(['admin', ...args], { AUDIT_TRAIL_BASE_URL: server.baseUrl, AUDIT_TRAIL_ADMIN_TOKEN: TOKEN });
        return { code, out: lines.join(''), err: errors.join('') };
      } finally {
        process.stdout.write = write;
        process.stderr.write = writeErr;
      }
    }

    test('org create prints the secret once; org list, app list and key list never do', async () => {
      const created = await cli(['org', 'create', '--name', 'Cli Org', '--app-name', 'Cli App']);
      expect(created.code).toBe(0);
      const secret = /AUDIT_TRAIL_API_SECRET='([^']+)'/.exec(created.out)?.[1];
      const org = /AUDIT_TRAIL_ORGANIZATION_ID='([^']+)'/.exec(created.out)?.[1];
      const app = /AUDIT_TRAIL_APPLICATION_ID='([^']+)'/.exec(created.out)?.[1];
      expect(secret && org && app).toBeTruthy();
      expect(created.out).toMatch(/will not show it again/);
      const key = await cli(['key', 'create', '--org', org!, '--app', app!]);
      const apiKey = /AUDIT_TRAIL_API_SECRET='([^']+)'/.exec(key.out)?.[1];
      expect(apiKey).toMatch(/^atk_/);
      for (const args of [['org', 'list'], ['app', 'list', '--org', org!], ['key', 'list', '--org', org!, '--app', app!], ['hook', 'list', '--org', org!, '--app', app!]]) {
        const listed = await cli(args);
        expect({ args, code: listed.code }).toEqual({ args, code: 0 });
        expect(listed.out).not.toContain(secret!);
        expect(listed.out).not.toContain(apiKey!);
      }
      expect((await cli(['org', 'list'])).out).toContain(org!);
      const rotated = await cli(['org', 'rotate-secret', '--org', org!, '--grace-seconds', '60']);
      expect(rotated.out).toMatch(/previous secret stays valid until/);
      expect(rotated.out).not.toContain(secret!);
    });

    test('mistakes are usage errors (exit 2), server refusals exit 1 with the code', async () => {
      expect((await cli(['org', 'create'])).code).toBe(2);
      expect((await cli(['nope', 'x'])).code).toBe(2);
      const missing = await cli(['app', 'list', '--org', 'org_missing']);
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/not_found/);
    });
  });
});
