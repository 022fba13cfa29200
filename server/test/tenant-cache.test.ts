/**
 * The tenant cache (server/src/auth/tenant-cache.ts): authentication reads organizations, applications and keys
 * from memory, and any change to them (here, through another connection on the same database, or a transaction
 * that rolled back) empties it before the next lookup. End to end: a key deleted or a secret rotated through one
 * server is refused by another server on the same database (its own connection) that had cached it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PATHS, type CreatedApplicationKey, type CreatedOrganization, type RotatedSecret } from '../src/admin-contract.js';
import { PATHS } from '../../sdk/src/contract/schemas.js';
import type { Credentials } from '../../sdk/src/contract/wire.js';
import { hashSecret } from '../src/auth/secrets.js';
import { TenantCache } from '../src/auth/tenant-cache.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import type { Store, TenantRepository } from '../src/store/repositories.js';
import { createTenant } from '../src/tenants.js';
import { startServer, type TestServer } from './support/start-server.js';
import { api, expectError } from './support/http.js';

/** The next turn of the event loop: another connection's commit applies from there (see changeToken). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TenantCache over SQLite', () => {
  let dir: string;
  let store: Store;
  let reads: number;
  let cache: TenantCache;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-trail-tenant-cache-'));
    store = openSqliteStore(dir);
    reads = 0;
    const counted = (name: 'findOrganization' | 'findApplication' | 'findApplicationKey') =>
      ((...args: unknown[]) => ((reads += 1), (store.tenants[name] as (...a: unknown[]) => unknown)(...args))) as never;
    const tenants: TenantRepository = {
      ...store.tenants,
      findOrganization: counted('findOrganization'),
      findApplication: counted('findApplication'),
      findApplicationKey: counted('findApplicationKey'),
      changeToken: () => store.tenants.changeToken(),
    };
    cache = new TenantCache(tenants);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a record read once is served from memory until a change through this store, which is seen at once', async () => {
    const { organizationId, applicationId } = await createTenant(store);
    const first = await cache.findOrganization(organizationId);
    expect(await cache.findApplication(organizationId, applicationId)).toMatchObject({ id: applicationId, organizationId });
    expect(reads).toBe(2);
    expect(await cache.findOrganization(organizationId)).toBe(first);
    expect(await cache.findApplication(organizationId, applicationId)).toMatchObject({ id: applicationId });
    expect(reads).toBe(2);

    const next = await hashSecret('a-new-secret');
    await store.tenants.rotateOrganizationSecret(organizationId, next, new Date(Date.now() + 60_000).toISOString());
    const rotated = await cache.findOrganization(organizationId);
    expect(rotated?.secretHash.equals(next.hash)).toBe(true);
    expect(rotated?.previousSecret?.hash.equals(first!.secretHash)).toBe(true);
    expect(reads).toBe(3);
  });

  test('a deleted key is not found right after, and an unknown id found later is not remembered as missing', async () => {
    const { organizationId, applicationId } = await createTenant(store);
    const { salt, hash } = await hashSecret('key-secret');
    expect(await cache.findApplicationKey('0123456789abcdef')).toBeUndefined();
    await store.tenants.insertApplicationKey({ id: '0123456789abcdef', applicationId, organizationId, secretSalt: salt, secretHash: hash, createdAt: new Date().toISOString() });
    expect(await cache.findApplicationKey('0123456789abcdef')).toMatchObject({ applicationId });
    expect(await cache.findApplicationKey('0123456789abcdef')).toMatchObject({ applicationId });
    await store.tenants.deleteApplicationKey(applicationId, '0123456789abcdef');
    expect(await cache.findApplicationKey('0123456789abcdef')).toBeUndefined();
    expect(await cache.findApplication(organizationId, 'app_later')).toBeUndefined();
    await store.tenants.insertApplication({ id: 'app_later', organizationId, name: 'Later', createdAt: new Date().toISOString() });
    expect(await cache.findApplication(organizationId, 'app_later')).toMatchObject({ name: 'Later' });
  });

  test('a change committed by another connection to the same database applies from the next turn', async () => {
    const { organizationId } = await createTenant(store);
    const before = await cache.findOrganization(organizationId);
    const other = openSqliteStore(dir);
    try {
      const next = await hashSecret('rotated-elsewhere');
      await other.tenants.rotateOrganizationSecret(organizationId, next, new Date().toISOString());
      await nextTurn();
      const after = await cache.findOrganization(organizationId);
      expect(after?.secretHash.equals(next.hash)).toBe(true);
      expect(after?.secretHash.equals(before!.secretHash)).toBe(false);
    } finally {
      await other.close();
    }
  });

  test('what a rolled-back transaction wrote, read while it was open, is gone after it', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.tenants.insertOrganization({ id: 'org_rolled_back', name: 'Never', secretSalt: Buffer.alloc(16), secretHash: Buffer.alloc(32), createdAt: new Date().toISOString() });
        expect(await cache.findOrganization('org_rolled_back')).toMatchObject({ name: 'Never' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await cache.findOrganization('org_rolled_back')).toBeUndefined();
  });

  test('a store that cannot tell when tenants change is asked every time', async () => {
    const { organizationId } = await createTenant(store);
    const blind = new TenantCache({ ...store.tenants, findOrganization: (id) => ((reads += 1), store.tenants.findOrganization(id)), changeToken: async () => undefined });
    await blind.findOrganization(organizationId);
    await blind.findOrganization(organizationId);
    expect(reads).toBe(2);
  });
});

describe('two servers on one database (each its own SQLite connection, as two processes would have)', () => {
  const TOKEN = 'admin-token-for-tests-0123456789abcdef';
  let dataDir: string;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'audit-trail-two-servers-'));
    a = await startServer({ dataDir, adminToken: TOKEN });
    b = await startServer({ dataDir });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const admin = <T>(path: string, method: 'POST' | 'DELETE', body?: unknown) =>
    api<T>(a, path, { method, credentials: null, headers: { authorization: `Bearer ${TOKEN}` }, ...(body === undefined ? {} : { body }) });

  test('a key deleted and a secret rotated through one are refused by the other, which had used them', async () => {
    const created = (await admin<CreatedOrganization>(ADMIN_PATHS.organizations, 'POST', { name: 'Two', applicationName: 'Both' })).body;
    const credentials: Credentials = { organizationId: created.organization.id, apiSecret: created.apiSecret, applicationId: created.application!.id };
    const key = (await admin<CreatedApplicationKey>(ADMIN_PATHS.applicationKeys(credentials.organizationId, credentials.applicationId), 'POST')).body;
    const keyed = { ...credentials, apiSecret: key.apiKey };
    for (let i = 0; i < 2; i++) {
      expect((await api(b, PATHS.log('alice', 'LOGIN'), { credentials: keyed, body: { i } })).status).toBe(201);
      expect((await api(b, PATHS.authCheck, { credentials })).status).toBe(200);
    }
    expect((await admin(ADMIN_PATHS.applicationKey(credentials.organizationId, credentials.applicationId, key.key.id), 'DELETE')).status).toBe(204);
    expectError(await api(b, PATHS.log('alice', 'LOGIN'), { credentials: keyed, body: {} }), 401, 'unauthorized');

    const rotated = (await admin<RotatedSecret>(ADMIN_PATHS.rotateSecret(credentials.organizationId), 'POST', { graceSeconds: 0 })).body;
    expectError(await api(b, PATHS.authCheck, { credentials }), 401, 'unauthorized');
    expect((await api(b, PATHS.authCheck, { credentials: { ...credentials, apiSecret: rotated.apiSecret } })).status).toBe(200);
  });
});
