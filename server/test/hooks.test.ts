import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PATHS, type HookSubscription, type StoredEntry } from '../../sdk/src/contract/schemas.js';
import { useServer } from './support/use-server.js';
import { BACKENDS } from './support/postgres.js';
import { api, expectError } from './support/http.js';

/** A local webhook receiver whose reply statuses are scripted per request. */
interface Receiver {
  url: string;
  received: { path: string; body: StoredEntry; hookId: string | undefined }[];
  /** Statuses to answer, in order; 200 once exhausted. */
  script: number[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const script: number[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body: JSON.parse(body) as StoredEntry, hookId: request.headers['audit-trail-hook-id'] as string | undefined });
      response.statusCode = script.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.each(BACKENDS)('on %s', (backend) => {
  const server = useServer({ backend, webhookRetryDelaysMs: [20, 40] });
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.script.length = 0;
  });

  const subscribe = async (path: string, filters: Record<string, string> = {}) => {
    const response = await api<HookSubscription>(server, PATHS.hooks, { body: { targetUrl: `${receiver.url}${path}`, ...filters } });
    expect(response.status).toBe(201);
    return response.body;
  };
  const unsubscribe = (id: string) => api(server, PATHS.hook(id), { method: 'DELETE' });
  const settle = () => server.app.hooks.idle();

  describe('webhook subscriptions', () => {
    test('POST /api/hooks returns the subscription; DELETE removes it (204, then 404)', async () => {
      const hook = await subscribe('/a', { action: 'LOGIN' });
      expect(hook).toEqual({ id: expect.any(String), targetUrl: `${receiver.url}/a`, actorId: null, action: 'LOGIN', entityType: null, entityId: null, createdAt: expect.any(String), secret: expect.stringMatching(/^whsec_/) });
      expect((await unsubscribe(hook.id)).status).toBe(204);
      expectError(await unsubscribe(hook.id), 404, 'not_found');
    });

    test('bad subscriptions are 400s', async () => {
      expectError(await api(server, PATHS.hooks, { body: {} }), 400, 'missing_field', 'targetUrl');
      expectError(await api(server, PATHS.hooks, { body: { targetUrl: 'ftp://x/y' } }), 400, 'invalid_field', 'targetUrl');
      expectError(await api(server, PATHS.hooks, { body: { targetUrl: 'not a url' } }), 400, 'invalid_field', 'targetUrl');
    });

    test('each new matching entry (single and batch) is POSTed as a StoredEntry; others are not', async () => {
      const hook = await subscribe('/filtered', { action: 'LOGIN', actorId: 'alice' });
      const logged = await api<{ logEntryId: string }>(server, PATHS.log('alice', 'LOGIN'), { body: { via: 'single' } });
      await api(server, PATHS.log('bob', 'LOGIN'), { body: 'not for this hook' });
      await api(server, PATHS.batch, { body: { entries: [{ actorId: 'alice', action: 'LOGOUT' }, { actorId: 'alice', action: 'LOGIN', details: 'batch' }] } });
      await settle();
      expect(receiver.received.map((r) => [r.path, r.body.actorId, r.body.action, r.body.details])).toEqual([
        ['/filtered', 'alice', 'LOGIN', { via: 'single' }],
        ['/filtered', 'alice', 'LOGIN', 'batch'],
      ]);
      expect(receiver.received[0]?.hookId).toBe(hook.id);
      const stored = await api<StoredEntry>(server, `${PATHS.entryById}?entryId=${logged.body.logEntryId}`);
      expect(receiver.received[0]?.body).toEqual(stored.body);
      await unsubscribe(hook.id);
    });

    test('an Entity Type / Entity ID filter delivers only entries about that entity', async () => {
      const hook = await subscribe('/entity', { entityType: 'invoice', entityId: 'inv_1' });
      expect(hook).toMatchObject({ entityType: 'invoice', entityId: 'inv_1' });
      await api(server, PATHS.logAboutEntity('alice', 'PAID', 'invoice', 'inv_2'), { body: 'other invoice' });
      await api(server, PATHS.logAboutEntity('alice', 'PAID', 'order', 'inv_1'), { body: 'same id, other type' });
      await api(server, PATHS.logAboutEntity('alice', 'PAID', 'invoice', 'inv_1'), { body: 'this one' });
      await settle();
      expect(receiver.received.map((r) => r.body.details)).toEqual(['this one']);
      await unsubscribe(hook.id);
    });

    test('an idempotent replay is not delivered again', async () => {
      const hook = await subscribe('/replay');
      const headers = { 'idempotency-key': 'hook-replay' };
      await api(server, PATHS.log('alice', 'ONCE'), { body: 'x', headers });
      await api(server, PATHS.log('alice', 'ONCE'), { body: 'x', headers });
      await settle();
      expect(receiver.received).toHaveLength(1);
      await unsubscribe(hook.id);
    });

    test('a 500 is retried until it succeeds', async () => {
      const hook = await subscribe('/flaky');
      receiver.script.push(500, 503);
      const logged = await api(server, PATHS.log('alice', 'RETRY'), { body: 'x' });
      expect(logged.status).toBe(201);
      await settle();
      expect(receiver.received.map((r) => r.body.action)).toEqual(['RETRY', 'RETRY', 'RETRY']);
      await unsubscribe(hook.id);
    });

    test('delivery gives up after the configured retries', async () => {
      const hook = await subscribe('/down');
      receiver.script.push(500, 500, 500, 500, 500);
      await api(server, PATHS.log('alice', 'GIVE_UP'), { body: 'x' });
      await settle();
      expect(receiver.received).toHaveLength(3);
      await unsubscribe(hook.id);
    });

    test('a 410 Gone removes the subscription', async () => {
      const hook = await subscribe('/gone');
      receiver.script.push(410);
      await api(server, PATHS.log('alice', 'FIRST'), { body: 'x' });
      await settle();
      await api(server, PATHS.log('alice', 'SECOND'), { body: 'x' });
      await settle();
      expect(receiver.received.map((r) => r.body.action)).toEqual(['FIRST']);
      expectError(await unsubscribe(hook.id), 404, 'not_found');
    });

    test('an unreachable target never fails the log request', async () => {
      const closed = await startReceiver();
      await closed.close();
      await api(server, PATHS.hooks, { body: { targetUrl: `${closed.url}/nobody` } });
      const logged = await api(server, PATHS.log('alice', 'UNREACHABLE'), { body: 'x' });
      expect(logged.status).toBe(201);
      await settle();
    });
  });
});
