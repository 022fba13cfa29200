/**
 * log() and logBatch() against the real reference server through a fault proxy: a reply lost after the server
 * stored the entry is retried with the same minted idempotency key, so the entry is stored once; a 429 with
 * Retry-After is waited out; the disabled client sends nothing at all.
 */
import { AuditTrailClient } from '../../sdk/src/client.js';
import { PATHS, type ListResponse } from '../../sdk/src/contract/schemas.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { useServer } from '../../server/test/support/use-server.js';
import { api } from '../../server/test/support/http.js';

const server = useServer();
let proxy: FaultProxy;
let client: AuditTrailClient;

beforeAll(async () => {
  proxy = await startFaultProxy(server.baseUrl);
  client = new AuditTrailClient({
    baseUrl: proxy.url,
    ...server.credentials,
    delivery: { retry: { baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 2000 } },
  });
});
afterAll(async () => {
  await client.close();
  await proxy.close();
});

const stored = async (actorId: string) => (await api<ListResponse>(server, `${PATHS.entries}?actorId=${actorId}`)).body.entries;

test('a reply lost after the server stored the entry: log() retries and the entry is stored once', async () => {
  proxy.inject({ kind: 'reset-after' });
  const receipt = await client.log({ actorId: 'lost-reply', action: 'LOGIN', details: { n: 1 } });
  expect(proxy.counts.forwarded).toBeGreaterThanOrEqual(2);
  const entries = await stored('lost-reply');
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({ id: receipt.logEntryId, hash: receipt.hash });
  expect(entries[0]?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
});

test('the same for a batch: every entry stored once', async () => {
  proxy.inject({ kind: 'reset-after' });
  const response = await client.logBatch([
    { actorId: 'lost-batch', action: 'A' },
    { actorId: 'lost-batch', action: 'B' },
  ]);
  expect(response.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate']);
  expect(await stored('lost-batch')).toHaveLength(2);
});

test('a 429 with Retry-After is waited out, then the entry is stored', async () => {
  proxy.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '1', 'content-type': 'application/json' } });
  const started = Date.now();
  await client.log({ actorId: 'throttled', action: 'LOGIN' });
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  expect(await stored('throttled')).toHaveLength(1);
});

test('a disabled client pointed at the proxy sends nothing', async () => {
  const before = proxy.counts.requests;
  const disabled = new AuditTrailClient({ baseUrl: proxy.url, disabled: true });
  await disabled.log({ actorId: 'nobody', action: 'LOGIN' });
  await disabled.listEntries();
  await disabled.close();
  expect(proxy.counts.requests).toBe(before);
});
