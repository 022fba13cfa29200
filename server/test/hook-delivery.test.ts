/**
 * Webhook delivery under hostile or broken receivers (issue 10): signed deliveries, a slow-drip target of one
 * organization not stalling another's deliveries, a total deadline per attempt, the cap on hooks per application,
 * the per-organization queue bound, and a queue that survives a restart.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { PATHS, type HookSubscription, type StoredEntry } from '../../sdk/src/contract/schemas.js';
import type { Credentials } from '../../sdk/src/contract/wire.js';
import { SIGNATURE_HEADER, signatureHeader, verifySignature } from '../src/hooks/signature.js';
import { ThrottledLog } from '../src/hooks/throttled-log.js';
import { BACKENDS, createTestDatabase } from './support/postgres.js';
import { startServer, type TestServer } from './support/start-server.js';
import { api, expectError } from './support/http.js';
import { startReceiver, waitFor, type WebhookReceiver } from './support/webhook-receiver.js';

const subscribe = async (server: TestServer, targetUrl: string, credentials?: Credentials) => {
  const response = await api<HookSubscription>(server, PATHS.hooks, { body: { targetUrl }, ...(credentials ? { credentials } : {}) });
  expect(response.status).toBe(201);
  return response.body;
};

describe.each(BACKENDS)('on %s', (backend) => {
  describe('signatures', () => {
    let server: TestServer;
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      server = await startServer({ backend });
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await server.close();
      await receiver.close();
    });

    test('each delivery carries t=…,v1=… over "<t>.<body>" with the secret returned at subscription', async () => {
      const hook = await subscribe(server, `${receiver.url}/signed`);
      expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      await api(server, PATHS.log('alice', 'LOGIN'), { body: { n: 1 } });
      await server.app.hooks.idle();
      const [delivery] = receiver.received;
      const header = delivery?.headers[SIGNATURE_HEADER.toLowerCase()] as string;
      expect(header).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
      expect(verifySignature(header, delivery!.raw, hook.secret!)).toBe(true);
      expect((JSON.parse(delivery!.raw) as StoredEntry).actorId).toBe('alice');
      expect(delivery?.headers['audit-trail-delivery-id']).toEqual(expect.any(String));
      // A changed body, another secret, or an old timestamp (a replay) do not verify.
      expect(verifySignature(header, delivery!.raw.replace('alice', 'mallory'), hook.secret!)).toBe(false);
      expect(verifySignature(header, delivery!.raw, 'whsec_other')).toBe(false);
      const t = Number(/t=(\d+)/.exec(header)?.[1]);
      expect(verifySignature(header, delivery!.raw, hook.secret!, { nowSeconds: t + 301 })).toBe(false);
      expect(verifySignature(signatureHeader(hook.secret!, delivery!.raw, t - 1000), delivery!.raw, hook.secret!, { nowSeconds: t })).toBe(false);
      // The receiver code of docs/server.md, run as printed, agrees.
      const docs = readFileSync(join(__dirname, '../../docs/server.md'), 'utf8');
      const snippet = /```js\n([\s\S]*?function verifyAuditTrailSignature[\s\S]*?)```/.exec(docs)?.[1];
      expect(snippet).toBeDefined();
      const fromDocs = new Function('require', `${snippet}\nreturn verifyAuditTrailSignature;`)(require) as (h: string, b: string | Buffer, s: string) => boolean;
      expect(fromDocs(header, Buffer.from(delivery!.raw), hook.secret!)).toBe(true);
      expect(fromDocs(header, Buffer.from(delivery!.raw.replace('alice', 'mallory')), hook.secret!)).toBe(false);
      expect(fromDocs(signatureHeader(hook.secret!, delivery!.raw, t - 1000), delivery!.raw, hook.secret!)).toBe(false);
    });
  });

  describe('one organization cannot stall another', () => {
    let server: TestServer;
    let drip: WebhookReceiver;
    let fast: WebhookReceiver;
    beforeAll(async () => {
      // The idle timeout is longer than the drip interval, so only the total deadline can end a dripping attempt.
      server = await startServer({ backend, webhookRetryDelaysMs: [100], webhooks: { timeoutMs: 5000, deadlineMs: 2500, concurrency: 8, perTenantConcurrency: 2 } });
      drip = await startReceiver({ dripEveryMs: 2000 });
      fast = await startReceiver();
    });
    afterAll(async () => {
      await server.close();
      await drip.close();
      await fast.close();
    });

    test('8 hooks to a target dripping a byte every 2 s; another organization still gets 6 of 6 deliveries promptly', async () => {
      for (let i = 0; i < 8; i += 1) await subscribe(server, `${drip.url}/slow/${i}`);
      const other = await server.createTenant('Victim');
      await subscribe(server, `${fast.url}/victim`, other);
      // The attacker's deliveries first, so they hold every slot they can get.
      await api(server, PATHS.batch, { body: { entries: Array.from({ length: 20 }, (_, i) => ({ actorId: 'attacker', action: 'SPAM', details: { i } })) } });
      await waitFor(() => drip.received.length >= 2, 3000);
      const started = Date.now();
      for (let i = 0; i < 6; i += 1) {
        expect((await api(server, PATHS.log('victim', 'LOGIN'), { credentials: other, body: { i } })).status).toBe(201);
      }
      expect(await waitFor(() => fast.received.length === 6, 5000)).toBe(true);
      const latest = Math.max(...fast.received.map((delivery) => delivery.at)) - started;
      expect(latest).toBeLessThan(2000);
      // The attacker holds at most its share of slots at a time.
      expect(drip.received.length).toBeLessThanOrEqual(4);
    }, 30_000);

    test('a dripping attempt is cut at its total deadline, not left to the idle timeout', async () => {
      expect(await waitFor(() => drip.connectionLifetimesMs.length >= 2, 8000)).toBe(true);
      for (const lifetime of drip.connectionLifetimesMs) expect(lifetime).toBeLessThan(2500 + 1000);
    }, 15_000);
  });

  describe('caps', () => {
    let server: TestServer;
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      server = await startServer({ backend, webhooks: { maxHooksPerApplication: 3, maxPendingPerTenant: 5 } });
      receiver = await startReceiver({ hang: true });
    });
    afterAll(async () => {
      await server.close();
      await receiver.close();
    });

    test('a fourth hook on an application with a cap of 3 → 409 hook_limit_reached; deleting one makes room', async () => {
      const hooks = [];
      for (let i = 0; i < 3; i += 1) hooks.push(await subscribe(server, `${receiver.url}/h${i}`));
      const refused = await api(server, PATHS.hooks, { body: { targetUrl: `${receiver.url}/h3` } });
      expectError(refused, 409, 'hook_limit_reached');
      // Another application is not affected by this one's count.
      const other = await server.createTenant('Other');
      await subscribe(server, `${receiver.url}/other`, other);
      expect((await api(server, PATHS.hook(hooks[0]!.id), { method: 'DELETE' })).status).toBe(204);
      await subscribe(server, `${receiver.url}/h3`);
    });

    test('concurrent subscriptions cannot pass the cap together: 12 at once on a fresh application with a cap of 3 → 3 stored', async () => {
      const fresh = await server.createTenant('Race');
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, i) => api(server, PATHS.hooks, { body: { targetUrl: `${receiver.url}/race${i}` }, credentials: fresh })),
      );
      expect(responses.filter((response) => response.status === 201)).toHaveLength(3);
      for (const response of responses.filter((r) => r.status !== 201)) expectError(response, 409, 'hook_limit_reached');
      expect(await server.app.store.hooks.countForApplication(fresh.applicationId)).toBe(3);
    });

    test('an organization queues at most maxPendingPerTenant deliveries; the rest are dropped', async () => {
      // 3 hooks × 20 entries = 60 deliveries to a target that never answers.
      await api(server, PATHS.batch, { body: { entries: Array.from({ length: 20 }, (_, i) => ({ actorId: 'a', action: 'X', details: { i } })) } });
      expect(await server.app.store.hooks.countPendingDeliveries(server.credentials.organizationId)).toBe(5);
    });
  });

  describe('the queue survives a restart', () => {
    test('a delivery in flight when the server stops is sent after the next start, with the same delivery id', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'audit-trail-durable-'));
      const database = backend === 'postgres' ? await createTestDatabase() : undefined;
      const storage = { backend, dataDir, ...(database ? { databaseUrl: database.url } : {}) };
      const receiver = await startReceiver({ hang: true });
      try {
        const first = await startServer(storage);
        const credentials = first.credentials;
        await subscribe(first, `${receiver.url}/durable`);
        await api(first, PATHS.log('alice', 'LOGIN'), { body: { n: 1 } });
        expect(await waitFor(() => receiver.received.length === 1, 5000)).toBe(true);
        await first.close();
        receiver.mode = { status: 200 };
        const second = await startServer({ ...storage, seed: credentials });
        try {
          expect(await waitFor(() => receiver.received.length === 2, 5000)).toBe(true);
          await second.app.hooks.idle();
          const [before, after] = receiver.received;
          expect(after?.headers['audit-trail-delivery-id']).toBe(before?.headers['audit-trail-delivery-id']);
          expect(after?.raw).toBe(before?.raw);
          expect(await second.app.store.hooks.pendingDeliveries(10)).toEqual([]);
        } finally {
          await second.close();
        }
      } finally {
        await receiver.close();
        rmSync(dataDir, { recursive: true, force: true });
        await database?.drop();
      }
    }, 30_000);
  });
});

describe('drop logs are throttled', () => {
  test('1,000 identical warnings within the interval log once; the next one reports how many were suppressed', () => {
    const lines: unknown[][] = [];
    const log = { warn: (...args: unknown[]) => lines.push(args) } as unknown as FastifyBaseLogger;
    let now = 0;
    const throttled = new ThrottledLog(log, 10_000, () => now);
    for (let i = 0; i < 1000; i += 1) throttled.warn('full:org', { organizationId: 'org' }, 'queue full');
    expect(lines).toHaveLength(1);
    throttled.warn('full:other', {}, 'queue full');
    expect(lines).toHaveLength(2);
    now = 10_001;
    throttled.warn('full:org', { organizationId: 'org' }, 'queue full');
    expect(lines[2]?.[0]).toMatchObject({ organizationId: 'org', suppressedSinceLast: 999 });
  });
});
